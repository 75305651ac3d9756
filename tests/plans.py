"""Filling a year of the team's targets goes through a preview (tracker/targets/team.py): these
read the preview's form back and confirm it, as the supervisor's "Save" button does."""

from __future__ import annotations

import html
import re

HIDDEN = re.compile(r'<input type="hidden" name="((?:plan-|basis)[^"]*)" value="([^"]*)">')


def plan_form(page: str) -> dict[str, str]:
    """The hidden fields of the preview's form: the grid's fingerprint and each planned cell."""
    form = page[page.index('data-test="plan-form"') :]
    return {name: html.unescape(value) for name, value in HIDDEN.findall(form)}


def confirm_plan(client, url: str, data: dict, note: str = ""):
    """Ask for the preview of a plan, then save exactly what it shows."""
    preview = client.post(url, data=data)
    assert preview.status_code == 200, preview.status_code
    fields = plan_form(preview.get_data(as_text=True))
    return client.post(url, data={**fields, "action": "confirm", "note": note})
