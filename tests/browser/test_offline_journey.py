"""Offline field logging in headless Chromium with Playwright's offline mode."""

from playwright.sync_api import expect
from sqlalchemy import func, select

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
    expect(page.locator("[data-test=offline-queue] li")).to_have_count(0, timeout=15_000)
    assert contacts_by(live_app, officer) == before_officer + 1
    assert contacts_by(live_app, supervisor) == before_supervisor
    assert "/" in sum(cached_pages(page).values(), [])
    sign_out(page, live_server)  # nothing unsent: A's cached data goes
    assert idb(page, "households") == [] and idb(page, "meta", "householdsOwner") is None
    assert idb(page, "queue") == []
    assert cached_pages(page) == {}
