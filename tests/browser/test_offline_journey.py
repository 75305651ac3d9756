"""Offline field logging in headless Chromium with Playwright's offline mode."""

import shutil
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.conftest import copy_of_demo, served
from tests.conftest import BASE_CONFIG
from tracker import assets, create_app, demo
from tracker.extensions import db
from tracker.models import Contact, Enrollment, Household


def counts(app):
    with app.app_context():
        result = tuple(
            db.session.scalar(select(func.count()).select_from(m))
            for m in (Contact, Enrollment, Household)
        )
        db.session.remove()
        return result


def wait_until_ready_for_offline(page, live_server):
    for path in ("/contacts/new", "/enrollments/new", "/"):
        page.goto(f"{live_server}{path}")
    # A worker is active once `ready` resolves; a page loaded after that is always controlled
    # (waiting for clients.claim() to reach the open page proved flaky on a loaded machine).
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", polling=100)
    expect(page.locator("[data-last-sync]")).not_to_have_text("")


def log_contact_offline(page, live_server, query=None, new_household=None, follow_up=None):
    page.goto(f"{live_server}/contacts/new")
    if query:
        page.fill("#household_query", query)
        page.locator("#household-results button").first.click()
    if new_household:
        page.check("#create_household")
        page.fill("#new_head_name", new_household)
        page.fill("#new_address", "Tổ 9, Kim Tân")
    if follow_up:
        page.fill("#follow_up_on", follow_up)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/?queued=*")


def test_offline_logging_then_sync(page, context, live_server, live_app, sign_in, screenshot):
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in("officer")
    wait_until_ready_for_offline(page, live_server)
    before = counts(live_app)

    context.set_offline(True)
    log_contact_offline(page, live_server, query="kim tan")
    log_contact_offline(page, live_server, new_household="Hộ Mới Ngoại Tuyến")
    log_contact_offline(page, live_server, query="kim tan")
    page.goto(f"{live_server}/enrollments/new")
    page.fill("#participant_name", "Người Tham Gia Ngoại Tuyến")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/?queued=*")

    page.reload()  # still offline: the queue lives on the phone
    queue = page.locator("[data-test=offline-queue] li")
    expect(queue).to_have_count(4)
    expect(page.locator("[data-test=net-status]")).to_contain_text("(4)")
    expect(page.locator("[data-test=provisional]")).to_be_visible()
    # dates as the page's language writes them (the queue keeps the API's ISO dates)
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    expect(queue.first).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(queue.first).not_to_contain_text(today.isoformat())
    screenshot("offline-queue")
    assert counts(live_app) == before

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(queue).to_have_count(0, timeout=15_000)
    contacts, enrollments, households = counts(live_app)
    assert (contacts, enrollments, households) == (before[0] + 3, before[1] + 1, before[2] + 1)

    # a record sent twice (a dropped answer, two tabs) is stored once
    status = page.evaluate("""async () => {
        const csrf = document.querySelector('meta[name=csrf-token]').content;
        const me = await (await fetch('/api/v1/me')).json();
        const area = me.areas[0].id;
        const last = await fetch('/api/v1/contacts', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
            body: JSON.stringify({client_token: 'twice', area: area, contacted_on:
              new Date().toLocaleDateString('sv-SE'), channel: 'phone', outcome: 'informed',
              people_reached: 1})});
        const again = await fetch('/api/v1/contacts', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
            body: JSON.stringify({client_token: 'twice', area: area, contacted_on:
              new Date().toLocaleDateString('sv-SE'), channel: 'phone', outcome: 'informed',
              people_reached: 1})});
        return [last.status, again.status];
    }""")
    assert status == [201, 200]
    assert counts(live_app)[0] == contacts + 1


def test_refused_record_comes_back_to_fix(page, context, live_server, sign_in, screenshot):
    sign_in("officer")
    wait_until_ready_for_offline(page, live_server)
    context.set_offline(True)
    log_contact_offline(page, live_server, query="kim tan", follow_up="2020-01-01")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    refused = page.locator("[data-test=offline-queue] li .text-danger")
    expect(refused).to_contain_text("follow_up_on", timeout=15_000)
    page.set_viewport_size({"width": 375, "height": 812})
    screenshot("offline-refused")


IDB = """async ([storeName, key]) => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('outreach-tracker', 1);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    return await new Promise((resolve) => {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        const request = key === null ? store.getAll() : store.get(key);
        request.onsuccess = () => resolve(request.result === undefined ? null : request.result);
    });
}"""


def idb(page, store, key=None):
    return page.evaluate(IDB, [store, key])


CACHE_STORAGE = """async () => {
    const found = {};
    for (const name of await caches.keys()) {
        const requests = await (await caches.open(name)).keys();
        found[name] = requests.map((request) => new URL(request.url).pathname);
    }
    return found;
}"""
SHARED_FILES = ("/static/", "/manifest.webmanifest")  # the same for every user


def cached_pages(page) -> dict[str, list[str]]:
    """Every page (not a static file) in Cache Storage, by cache name: whatever the service
    worker's version calls its caches, a user's pages are found here."""
    found = {
        name: [path for path in paths if not path.startswith(SHARED_FILES)]
        for name, paths in page.evaluate(CACHE_STORAGE).items()
    }
    return {name: paths for name, paths in found.items() if paths}


def user_id(app, username):
    from tracker.models import User

    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.username == username))
        db.session.remove()
        return found


def contacts_by(app, officer_id):
    with app.app_context():
        found = db.session.scalar(
            select(func.count()).select_from(Contact).where(Contact.officer_id == officer_id)
        )
        db.session.remove()
        return found


def sent_within(seconds, arrived):
    """Polls the database: a record sent in the background lands some time after the page shows."""
    deadline = time.monotonic() + seconds
    while not arrived():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def sign_out(page, live_server):
    page.once("dialog", lambda dialog: dialog.accept())
    page.evaluate("document.querySelector('form[action=\"/logout\"]').requestSubmit()")
    page.wait_for_url(f"{live_server}/login**")
    page.wait_for_load_state("networkidle")


def test_two_users_on_one_phone_share_nothing(page, context, live_server, live_app, sign_in):
    """Records queued offline by officer A were sent under whoever signed in next (a supervisor
    got A's contact), and A's cached households stayed after A's session ended; A's pages stayed
    in Cache Storage after sign-out too (the page deleted a cache the worker no longer used)."""
    officer, supervisor = user_id(live_app, "officer"), user_id(live_app, "supervisor")
    sign_in("officer")
    wait_until_ready_for_offline(page, live_server)
    assert idb(page, "meta", "householdsOwner") == officer
    assert len(idb(page, "households")) > 100
    assert "/" in sum(cached_pages(page).values(), [])  # A's Today page, to open offline
    before_officer, before_supervisor = (
        contacts_by(live_app, officer),
        contacts_by(live_app, supervisor),
    )

    context.set_offline(True)
    log_contact_offline(page, live_server, query="kim tan")
    # The network returns but the contacts endpoint does not answer: A signs out, one unsent.
    context.route("**/api/v1/contacts", lambda route: route.abort())
    context.set_offline(False)
    page.goto(f"{live_server}/")
    expect(page.locator("[data-test=offline-queue] li")).to_have_count(1)
    sign_out(page, live_server)
    context.unroute("**/api/v1/contacts")
    assert len(idb(page, "households")) > 100  # kept: A has a record to send
    assert cached_pages(page) == {}  # A's pages never outlive A's session

    sign_in("supervisor")
    page.goto(f"{live_server}/")
    expect(page.locator("[data-test=held]")).to_contain_text("1", timeout=15_000)
    expect(page.locator("[data-last-sync]")).not_to_have_text("", timeout=15_000)
    queued = idb(page, "queue")
    assert [(r["user"], r["status"]) for r in queued] == [(officer, "waiting")]
    assert idb(page, "meta", "householdsOwner") == supervisor  # A's households are gone
    assert contacts_by(live_app, officer) == before_officer
    assert contacts_by(live_app, supervisor) == before_supervisor
    # Even a page that tried would be refused by the server.
    status = page.evaluate(
        """async (payload) => {
            const csrf = document.querySelector('meta[name=csrf-token]').content;
            const response = await fetch('/api/v1/contacts', {method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf,
                          'X-Expected-User': String(payload.officer)},
                body: JSON.stringify(payload.record)});
            return response.status;
        }""",
        {"officer": officer, "record": queued[0]["payload"]},
    )
    assert status == 409
    assert contacts_by(live_app, supervisor) == before_supervisor
    sign_out(page, live_server)

    sign_in("officer")
    page.goto(f"{live_server}/")
    # The queue's list starts empty before the page reads it, so wait for the record itself.
    assert sent_within(15, lambda: contacts_by(live_app, officer) == before_officer + 1)
    expect(page.locator("[data-test=offline-queue] li")).to_have_count(0, timeout=15_000)
    assert contacts_by(live_app, supervisor) == before_supervisor
    assert "/" in sum(cached_pages(page).values(), [])
    sign_out(page, live_server)  # nothing unsent: A's cached data goes
    assert idb(page, "households") == [] and idb(page, "meta", "householdsOwner") is None
    assert idb(page, "queue") == []
    assert cached_pages(page) == {}


def test_a_page_never_saved_says_so_and_lists_the_saved_ones(
    page, context, live_server, sign_in, screenshot
):
    """Offline, a page never opened on the phone once showed Today under its address."""
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in("officer")
    wait_until_ready_for_offline(page, live_server)
    context.set_offline(True)
    page.goto(f"{live_server}/records")  # never opened on this phone
    assert page.url == f"{live_server}/records"
    expect(page.locator("[data-test=offline-page] h1")).to_have_text(
        "Trang này chưa được lưu trên điện thoại này"
    )
    expect(page.locator("[data-test=offline-queue]")).to_have_count(0)  # not Today
    saved = page.locator("[data-test=saved-pages] li:visible")
    expect(saved).to_have_count(3)
    screenshot("offline-page")
    # what the list shows is what the phone holds
    page.evaluate("""async () => {
        for (const name of await caches.keys()) {
            if (!name.startsWith("pages-")) continue;
            await (await caches.open(name)).delete("/enrollments/new");
        }
    }""")
    page.reload()
    expect(saved).to_have_count(2)
    expect(page.locator("[data-saved-page='/enrollments/new']")).to_be_hidden()
    page.locator("[data-saved-page='/contacts/new'] a").click()
    expect(page.locator("form[data-offline=contact]")).to_be_visible()
    context.set_offline(False)


class Deploy:
    """One address, the app behind it swapped as a deploy swaps it."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def cache_names(page) -> list[str]:
    return page.evaluate("async () => await caches.keys()")


def test_a_changed_static_file_reaches_an_installed_phone(page, context, demo_database, tmp_path):
    """Static files are cache-first on the phone: a changed file reaches it because its URL
    changes, and with it the service worker and the names of its caches."""
    before = copy_of_demo(demo_database, tmp_path)
    source = Path(shutil.copytree(assets.SOURCE, tmp_path / "static"))
    offline_js = source / "js" / "offline.js"
    offline_js.write_text(offline_js.read_text() + "// deployed after the phone installed\n")
    after = create_app(
        {
            **BASE_CONFIG,
            "WTF_CSRF_ENABLED": True,
            "SQLALCHEMY_DATABASE_URI": before.config["SQLALCHEMY_DATABASE_URI"],
            "STATIC_SOURCE": str(source),
        }
    )
    old, new = before.extensions["assets"], after.extensions["assets"]
    assert old.id != new.id, (old, new)
    site = Deploy(before)
    with served(site) as base:
        page.goto(f"{base}/login")
        page.fill("#username", "officer")
        page.fill("#password", demo.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        wait_until_ready_for_offline(page, base)
        assert sorted(cache_names(page)) == [f"pages-{old.id}", f"shell-{old.id}"]

        site.app = after  # the deploy
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
        expected = [f"pages-{new.id}", f"shell-{new.id}"]
        deadline = time.monotonic() + 15
        while sorted(cache_names(page)) != expected and time.monotonic() < deadline:
            page.wait_for_timeout(200)  # the new worker installs, then drops the old caches
        assert sorted(cache_names(page)) == [f"pages-{new.id}", f"shell-{new.id}"]

        context.set_offline(True)
        page.goto(f"{base}/")  # Today from the new worker's cache, with the new file
        script = page.locator("script[src*='/js/offline.']")
        expect(script).to_have_attribute("src", new.url("js/offline.js"))
        text = page.evaluate(
            f"async () => await (await fetch({new.url('js/offline.js')!r})).text()"
        )
        assert text.endswith("// deployed after the phone installed\n")
        context.set_offline(False)
