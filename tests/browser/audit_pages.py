"""Which pages the UX audit opens, for whom, with which arguments.

The list comes from the app's URL map, so a new page is audited the day it is added: every GET
route is a page unless it is a file or JSON (skipped with the reason printed in the report), and
each role opens the pages its declared access rule lets it open. Arguments are filled from the
demo office; a route whose argument has no sample here fails the audit until one is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from tracker.access import CAPABILITIES, PUBLIC, SIGNED_IN, rule_of
from tracker.dates import local_today
from tracker.demo.insurer_list import csv_bytes
from tracker.extensions import db
from tracker.models import (
    CollectionOrg,
    Contact,
    Enrollment,
    Household,
    ImportJob,
    InsurerRecord,
    Office,
    ProspectReview,
    ReviewItem,
    Target,
    User,
)
from tracker.services import import_jobs, imports
from tracker.services.reconciliation import job as insurer_list
from tracker.services.reviews import record_review

ROLES = ("officer", "supervisor", "leader", "admin")
ANONYMOUS = "anonymous"
# A route whose path names a file (sw.js, a CSV, an export, a job's progress as JSON).
FILE_ROUTE = re.compile(r"\.(?:[a-z]+|<[^>]+>)$")
PROBES = {"main.healthz", "main.readyz"}


@dataclass(frozen=True)
class Page:
    endpoint: str
    path: str


def not_a_page(app: Flask, rule) -> str | None:
    """Why a GET route is not a page to audit, or None when it is one."""
    if rule.endpoint == "static":
        return "static files (CSS, scripts, images)"
    if rule.endpoint.startswith("api."):
        return "the JSON API"
    if rule.endpoint in PROBES:
        return "a health probe answering JSON"
    if FILE_ROUTE.search(rule.rule):
        return "a file to download (CSV, XLSX, JSON progress, script, manifest)"
    return None


def skipped_routes(app: Flask) -> dict[str, str]:
    """Every GET route that is not a page, with the reason (for the report)."""
    return {
        rule.rule: reason
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and (reason := not_a_page(app, rule))
    }


def may_open(role: str, declared: str | None) -> bool:
    if declared == PUBLIC:
        return role == ANONYMOUS
    if role == ANONYMOUS or declared is None:
        return False
    return declared == SIGNED_IN or role in CAPABILITIES[declared]


def pages_for(app: Flask, role: str, samples: dict) -> list[Page]:
    """The pages `role` may open, in URL order, with the demo's sample arguments."""
    pages = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or not_a_page(app, rule):
            continue
        if not may_open(role, rule_of(app.view_functions[rule.endpoint])):
            continue
        values = {}
        for name in rule.arguments:
            value = samples.get(f"{rule.endpoint}:{name}", samples.get(name))
            if value is None:
                raise LookupError(
                    f"{rule.endpoint} needs a sample {name!r} for {role}: add one to "
                    "tests/browser/audit_pages.py (samples)"
                )
            values[name] = value
        path = rule.build(values, append_unknown=False)[1]
        pages.append(Page(rule.endpoint, path))
    return pages


def add_what_the_demo_lacks() -> None:
    """The demo holds no import, insurer list or prospect review; their pages need one each.
    Made through the services, as the supervisor would, inside an app context."""
    supervisor = _user("supervisor")
    template = imports.template_csv("households")
    import_jobs.save(supervisor, imports.preview(supervisor, "households", template, "ho.csv"))
    today = local_today()
    listed = csv_bytes(today)
    found = insurer_list.preview(supervisor, supervisor.office, today, listed, "danh-sach.csv")
    job = insurer_list.save(supervisor, found, listed)
    job.status = "queued"
    db.session.commit()
    insurer_list.run(job.id)
    prospects = db.session.scalars(
        select(Household.id)
        .where(Household.officer_id == _user("officer").id, Household.status == "prospect")
        .order_by(Household.id)
        .limit(3)
    ).all()
    org = db.session.scalars(select(CollectionOrg.id).order_by(CollectionOrg.id)).first()
    record_review(supervisor, today.replace(day=1), list(prospects), org, None)


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _latest(model, *conditions):
    return db.session.scalars(select(model.id).where(*conditions).order_by(model.id.desc())).first()


def samples_for(role: str) -> dict:
    """Arguments for `role`'s pages: the demo officer's objects, which every role may see, and
    the role's own records where only their author may open them."""
    if role == ANONYMOUS:
        return {}
    user, officer = _user(role), _user("officer")
    # Their own latest records (only their author opens the edit pages), else the officer's.
    author = user if _latest(Contact, Contact.officer_id == user.id) else officer
    handover = db.session.execute(
        select(ProspectReview.id, ReviewItem.collection_org_id).join(ReviewItem)
    ).first()
    return {
        "officer_id": officer.id,
        "user_id": officer.id,
        "contact_id": _latest(Contact, Contact.officer_id == author.id),
        "enrollment_id": _latest(Enrollment, Enrollment.officer_id == author.id),
        "household_id": _latest(Household, Household.officer_id == officer.id),
        "area_id": officer.primary_area.id,
        "org_id": _latest(CollectionOrg),
        "office_id": _latest(Office),
        "target_id": _latest(Target, Target.officer_id == officer.id),
        "review_id": handover.id if handover else None,
        "org": str(handover.collection_org_id) if handover else None,
        "outreach.import_job:job_id": _latest(ImportJob, ImportJob.kind == "households"),
        "books.list_job_page:job_id": _latest(ImportJob, ImportJob.kind == insurer_list.KIND),
        "record_id": _latest(InsurerRecord, InsurerRecord.status == "mismatched"),
    }
