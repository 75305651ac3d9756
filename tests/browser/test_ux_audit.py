"""The UX audit: every page each role may open, in Vietnamese and English, must fit the screen
from 360 to 1366 px, pass axe-core with no serious or critical violation, and, for officers
(who work on phones), load with a cumulative layout shift under 0.1.

One load per page, role and language: the viewport is then resized through the widths. Officer
pages load at 390 px (their phone), where CLS is measured once the page has loaded and its
scripts' requests (the offline sync) have ended; axe runs at 1366 px, where the whole menu
shows. It takes minutes, so it runs once per suite on the demo office's SQLite copy, not once
per database. `make ux-audit` runs it alone; it writes its report to bench/results/ux-audit.md
either way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import audit_checks, audit_pages
from tests.browser.conftest import copy_of_demo
from tests.servers import gunicorn
from tracker.demo import DEMO_PASSWORD
from tracker.extensions import db

WIDTHS = (360, 390, 768, 1280, 1366)
PHONE, DESKTOP = 390, 1366
LANGUAGES = ("vi", "en")
ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "bench" / "results" / "ux-audit.md"


@dataclass
class Finding:
    role: str
    language: str
    width: int | str
    path: str
    check: str
    detail: str


@dataclass
class RoleAudit:
    role: str
    pages: list[str] = field(default_factory=list)
    checks: int = 0
    worst_cls: tuple[float, str] = (0.0, "")
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0


@pytest.fixture(scope="module")
def audit_app(demo_database, tmp_path_factory):
    """The demo office on a copy of its own, with the import, list and review it lacks."""
    app = copy_of_demo(demo_database, tmp_path_factory.mktemp("ux-audit"))
    with app.app_context():
        audit_pages.add_what_the_demo_lacks()
        db.session.remove()
    return app


@pytest.fixture(scope="module")
def audit_server(audit_app):
    """Served by gunicorn in processes of its own: from a thread of this process, the pages
    waited on the browser's driver for the interpreter and the audit ran three times slower."""
    env = {
        "DATABASE_URL": audit_app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "ux-audit",
        "LOG_LEVEL": "WARNING",
    }
    with gunicorn(env, cwd=ROOT, workers=2) as base:
        yield base


@pytest.fixture(scope="module")
def audited():
    """Each role's results, for the one report they share."""
    return {}


def size(width: int) -> dict:
    return {"width": width, "height": 844 if width < 768 else 800}


def sign_in(page, base: str, role: str) -> None:
    page.goto(f"{base}/login")
    if role != audit_pages.ANONYMOUS:
        page.fill("#username", role)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")


def speak(page, language: str) -> None:
    """Switch the way a user does, with the language button (it is saved for signed-in users)."""
    if page.get_attribute("html", "lang") == language:
        return
    with page.expect_navigation():
        page.evaluate(f"document.querySelector('button[name=locale][value={language}]').click()")


class Traffic:
    """Requests in flight, so a page counts as loaded once its scripts' requests have ended too
    (Playwright's "networkidle" would wait 500 ms of silence on each of some 300 loads)."""

    QUIET_MS, LIMIT_MS, STEP_MS = 200, 5_000, 25

    def __init__(self, page):
        self.page, self.pending = page, set()
        page.on("request", lambda request: self.pending.add(request))
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", lambda request: self.pending.discard(request))

    def forget(self) -> None:
        """A new page: requests the last one left unanswered no longer count."""
        self.pending.clear()

    def settle(self) -> None:
        quiet = waited = 0
        while quiet < self.QUIET_MS and waited < self.LIMIT_MS:
            self.page.wait_for_timeout(self.STEP_MS)
            waited += self.STEP_MS
            quiet = 0 if self.pending else quiet + self.STEP_MS


def audit_page(traffic: Traffic, base: str, role: str, language: str, path: str, result: RoleAudit):
    page = traffic.page

    def found(width, check, detail):
        result.findings.append(Finding(role, language, width, path, check, detail))

    first = PHONE if role == "officer" else DESKTOP
    page.set_viewport_size(size(first))
    traffic.forget()
    response = page.goto(base + path)
    kind = response.headers.get("content-type", "")
    if response.status != 200 or not kind.startswith("text/html"):
        found(first, "opens", f"answered {response.status} {kind}")
        return
    traffic.settle()
    if role == "officer":
        cls, movers = audit_checks.layout_shift(page)
        result.checks += 1
        if cls > result.worst_cls[0]:
            result.worst_cls = (cls, f"{path} ({language})")
        if cls >= audit_checks.CLS_LIMIT:
            found(first, "layout shift", f"CLS {cls:.3f}; moved: {', '.join(movers) or '?'}")
    for width in sorted(WIDTHS, key=lambda w: w != first):
        page.set_viewport_size(size(width))
        result.checks += 1
        if problems := audit_checks.overflow(page):
            found(width, "overflow", "; ".join(problems))
        if width == DESKTOP:
            result.checks += 1
            for violation in audit_checks.serious_violations(page):
                found(width, "axe", violation)


@pytest.mark.parametrize("role", [audit_pages.ANONYMOUS, *audit_pages.ROLES])
def test_every_page_fits_passes_axe_and_holds_still(
    role, browser, browser_context_args, audit_app, audit_server, audited
):
    started = time.monotonic()
    result = audited.setdefault(role, RoleAudit(role))
    with audit_app.app_context():
        pages = audit_pages.pages_for(audit_app, role, audit_pages.samples_for(role))
        db.session.remove()
    result.pages = [p.path for p in pages]
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    traffic = Traffic(page)
    try:
        sign_in(page, audit_server, role)
        for language in LANGUAGES:
            speak(page, language)
            for each in pages:
                audit_page(traffic, audit_server, role, language, each.path, result)
    finally:
        context.close()
        result.seconds = time.monotonic() - started
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(report(audit_app, audited), encoding="utf-8")  # every role so far
    lines = [f"{f.path} [{f.language}, {f.width}px] {f.check}: {f.detail}" for f in result.findings]
    assert not lines, f"{len(lines)} finding(s) for {role}:\n" + "\n".join(lines[:40])


def report(app, results: dict[str, RoleAudit]) -> str:
    """The audit as a person reads it: what was checked, then every finding."""
    total_pages = sum(len(r.pages) for r in results.values())
    checks = sum(r.checks for r in results.values())
    findings = [f for r in results.values() for f in r.findings]
    lines = [
        "# UX audit",
        "",
        f"{total_pages} pages × {len(LANGUAGES)} languages across {len(results)} roles; "
        f"widths {', '.join(map(str, WIDTHS))} px; {checks} checks; "
        f"**{len(findings)} finding(s)**.",
        "",
        "| role | pages | checks | findings | worst CLS (officer) | seconds |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in results.values():
        worst = (
            f"{r.worst_cls[0]:.3f} {r.worst_cls[1] or '(every page)'}"
            if r.role == "officer"
            else "—"
        )
        lines.append(
            f"| {r.role} | {len(r.pages)} | {r.checks} | {len(r.findings)} | {worst} "
            f"| {r.seconds:.0f} |"
        )
    lines += ["", "## Findings", ""]
    lines += [
        f"- {f.role}, {f.language}, {f.width} px, `{f.path}` — {f.check}: {f.detail}"
        for f in findings
    ] or ["None."]
    lines += ["", "## Pages audited", ""]
    for r in results.values():
        lines.append(f"- {r.role}: " + ", ".join(f"`{p}`" for p in r.pages))
    lines += ["", "## Routes that are not pages (not audited)", ""]
    for path, reason in sorted(audit_pages.skipped_routes(app).items()):
        lines.append(f"- `{path}`: {reason}")
    return "\n".join(lines) + "\n"
