"""A supervisor imports the insurer's list of the demo office, reads the preview, watches the
job, corrects a mismatched enrollment from the list and sees the officer's confirmed count
move."""

import re

from playwright.sync_api import expect

from tracker.dates import local_today
from tracker.demo.insurer_list import csv_bytes
from tracker.extensions import db


def _confirmed_of(page, officer: str) -> int:
    row = page.locator("[data-test=by-officer] tbody tr", has_text=officer)
    return int(re.sub(r"\D", "", row.locator("[data-test=officer-confirmed]").inner_text()))


def test_supervisor_imports_the_list_and_resolves_a_mismatch(
    page, live_app, live_server, sign_in, screenshot, tmp_path
):
    with live_app.app_context():
        listed = tmp_path / "danh-sach-bhxh.csv"
        listed.write_bytes(csv_bytes(local_today()))
        db.session.remove()
    sign_in("supervisor")
    page.goto(f"{live_server}/reconciliation")
    page.locator("[data-test=import-list]").click()
    page.set_input_files("#file", str(listed))
    screenshot("reconciliation-import")
    page.locator("[data-test=list-form] button").click()
    expect(page.locator("[data-test=list-problems]")).to_have_text("0")
    assert int(page.locator("[data-test=list-rows]").inner_text().replace(".", "")) > 1000
    page.locator("[data-test=commit]").click()
    expect(page.locator("[data-test=job-done-message]")).to_be_visible(timeout=120_000)
    page.locator("[data-test=job-back]").click()

    page.locator("[data-test=status-tabs] a", has_text="Lệch thông tin").click()
    expect(page.locator("[data-test=count-mismatched]")).not_to_have_text("0")
    screenshot("reconciliation")
    first = page.locator("[data-test=rows] a").first
    officer = first.locator("[data-test=row-officer]").inner_text()
    before = _confirmed_of(page, officer)
    first.click()
    expect(page.locator("[data-test=fields] tr.table-warning").first).to_be_visible()
    screenshot("reconciliation-record")
    page.locator("[data-test=correct]").click()
    expect(page.locator("#reason")).to_have_class(re.compile("is-invalid"))  # a reason first
    page.fill("#reason", "Sửa theo danh sách của BHXH")
    page.locator("[data-test=correct]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{live_server}/reconciliation")
    assert _confirmed_of(page, officer) == before + 1
