"""Reading a grid of target inputs (`cell-<subject id>-<period key>`) into TargetChanges."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import parsing
from ..i18n import number
from ..periods import Period
from ..progress.metrics import DEFAULT_SCHEME
from ..services.targets import MAX_OFFICER_TARGET, TargetChange


def cell_name(subject_id: int, period: Period) -> str:
    return f"cell-{subject_id}-{period.key}"


def parse_cells(
    form_data,
    subject: str,
    subject_ids,
    columns: list[Period],
    metric: str,
    existing: dict,
    note: str = "",
    maximum: int = MAX_OFFICER_TARGET,
    scheme: str = DEFAULT_SCHEME,
):
    """Changed cells become TargetChanges of the grid's scheme; a bad cell becomes an error
    beside it.

    A blank cell sets nothing (the period's target then comes pro rata from a longer one)."""
    changes, errors = [], {}
    for subject_id in subject_ids:
        for period in columns:
            name = cell_name(subject_id, period)
            text = (form_data.get(name) or "").strip()
            if not text:
                continue
            value = parsing.whole_number(text, 0, maximum)
            if value is None:
                errors[name] = _("A whole number from 0 to %(max)s.", max=number(maximum))
                continue
            current = existing.get((subject_id, period.key))
            if current is None or current.value != value:
                changes.append(
                    TargetChange(subject, subject_id, metric, period, value, note, scheme)
                )
    return changes, errors
