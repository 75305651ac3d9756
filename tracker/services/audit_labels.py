"""What the audit log's codes mean to people: each action, each kind of record and each field
the services write into an event's before and after (services/audit.py), with how its value is
shown. tests/test_audit_log.py holds these tables to every `audit.record` call in the code."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import i18n, vocab
from ..dates import period_label
from ..periods import PeriodError, parse
from ..progress.metrics import UnknownMetric

ACTIONS = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "restore": _l("Restored"),
    "set_target": _l("Set a target"),
    "reopen_targets": _l("Reopened targets"),
    "renew": _l("Recorded a renewal"),
    "merge": _l("Merged households"),
    "review": _l("Recorded a prospect review"),
    "import": _l("Imported a file"),
    "reset_password": _l("Reset the password"),
    "change_password": _l("Changed their password"),
    "revoke": _l("Revoked"),
    "reorganise": _l("Applied a reorganisation"),
    "undo_reorganisation": _l("Undid a reorganisation"),
    "catalogue_add": _l("Added from the official catalogue"),
    "catalogue_rename": _l("Renamed from the official catalogue"),
    "reconcile_link": _l("Linked to an enrollment by hand"),
    "reconcile_correct": _l("Corrected from the insurer's list"),
    "reconcile_accept": _l("Accepted the difference"),
    "reconcile_unlink": _l("Marked as not the same person"),
    "reconcile_dismiss": _l("Dismissed from the reconciliation"),
}

ENTITIES = {
    "user": _l("User"),
    "area": _l("Area"),
    "collection_org": _l("Collection organization"),
    "office": _l("Insurer's office"),
    "target": _l("Target"),
    "target_reopening": _l("Reopening of targets"),
    "contact": _l("Contact"),
    "enrollment": _l("Enrollment"),
    "household": _l("Household"),
    "prospect_review": _l("Prospect review"),
    "outreach_session": _l("Awareness session"),
    "api_token": _l("API token"),
    "setting": _l("Setting"),
    "income_basis_rule": _l("Income basis rule"),
    "support_rate": _l("Support rate"),
    "insurer_record": _l("Row of the insurer's list"),
    "reorganisation": _l("Reorganisation"),
    # Imports name the kind of file as their record.
    "households": _l("Households file"),
    "counts": _l("Official counts file"),
    "insurer_list": _l("Insurer's per-person list"),
}

# How a field's value is shown: a date, a month, a number, a percentage, yes or no, a
# vocabulary's label, a record's name (users, areas, households…), or the text as it is.
DATE, MONTH, NUMBER, PERCENT, YES_NO, PERIOD, METRIC = (
    "date",
    "month",
    "number",
    "percent",
    "yes_no",
    "period",
    "metric",
)
USER, AREA, AREAS, HOUSEHOLD, ORG, OFFICE, ENROLLMENT = (
    "user",
    "area",
    "areas",
    "household",
    "org",
    "office",
    "enrollment",
)
SUBJECT = "subject"  # a target's subject: a user, an area or an organization, by `subject`

FIELDS: dict[str, tuple] = {
    # people and places
    "username": (_l("Username"), None),
    "full_name": (_l("Name"), None),
    "role": (_l("Role"), vocab.ROLES),
    "supervisor_id": (_l("Supervisor"), USER),
    "office_id": (_l("Office"), OFFICE),
    "active": (_l("Active"), YES_NO),
    "locale": (_l("Language"), vocab.LOCALES),
    "area_ids": (_l("Wards and communes"), AREAS),
    "primary_area_id": (_l("Primary ward or commune"), AREA),
    "code": (_l("Code"), None),
    "name": (_l("Name"), None),
    "parent_id": (_l("Part of"), AREA),
    "households": (_l("Households"), NUMBER),
    "working_age_population": (_l("Working-age population"), NUMBER),
    "valid_from": (_l("Exists from"), DATE),
    "valid_to": (_l("Ends on (the first day it no longer exists)"), DATE),
    "release": (_l("Catalogue release"), None),
    # targets
    "value": (_l("Value"), NUMBER),
    "subject": (_l("Target for"), vocab.TARGET_SUBJECTS),
    "subject_id": (_l("Who or what"), SUBJECT),
    "metric": (_l("Metric"), METRIC),
    "scheme": (_l("Scheme"), vocab.ENROLLMENT_SCHEMES),
    "period": (_l("Period"), PERIOD),
    "note": (_l("Note"), None),
    "reason": (_l("Reason"), None),
    "until": (_l("Open until"), DATE),
    # field work
    "area_id": (_l("Ward or commune"), AREA),
    "household_id": (_l("Household"), HOUSEHOLD),
    "contacted_on": (_l("Date"), DATE),
    "channel": (_l("Channel"), vocab.CONTACT_CHANNELS),
    "outcome": (_l("Outcome"), vocab.CONTACT_OUTCOMES),
    "people_reached": (_l("People reached"), NUMBER),
    "follow_up_on": (_l("Follow up on"), DATE),
    "notes": (_l("Notes"), None),
    "participant_name": (_l("Participant's name"), None),
    "citizen_id": (_l("Personal identification number"), None),
    "social_insurance_number": (_l("Social insurance number"), None),
    "birth_date": (_l("Date of birth"), DATE),
    "enrolled_on": (_l("Enrolled on"), DATE),
    "income_basis": (_l("Monthly income basis (đồng)"), NUMBER),
    "payment_period": (_l("Payment period"), vocab.PAYMENT_PERIODS),
    "months_paid": (_l("Months paid"), NUMBER),
    "supported_months": (_l("Months with state support"), NUMBER),
    "collection_org_id": (_l("Collection organization"), ORG),
    "officer_id": (_l("Officer"), USER),
    "insurer_status": (_l("Reconciliation"), vocab.RECONCILIATION_STATUSES),
    "insurer_note": (_l("Reason"), None),
    "paid_through_on": (_l("Paid through"), DATE),
    "method": (_l("Payment method"), vocab.PAYMENT_METHODS),
    "months": (_l("Months"), NUMBER),
    "monthly_contribution": (_l("Monthly contribution"), NUMBER),
    "monthly_state_support": (_l("State support a month"), NUMBER),
    # merges and reviews
    "kept": (_l("Household kept"), None),
    "removed": (_l("Household merged into it"), None),
    "id": (_l("Number"), None),
    "head_name": (_l("Head of household"), None),
    "address": (_l("Address"), None),
    "phone": (_l("Phone"), None),
    "next_follow_up_on": (_l("Follow up on"), DATE),
    "moved": (_l("Moved to the household kept"), None),
    "contacts": (_l("Contacts"), NUMBER),
    "enrollments": (_l("Enrollments"), NUMBER),
    "month": (_l("Review for month"), MONTH),
    # imports, reorganisations and the insurer's list
    "file": (_l("File"), None),
    "sha256": (_l("Fingerprint (SHA-256)"), None),
    "rows": (_l("Rows written"), NUMBER),
    "duplicates": (_l("Duplicates left out"), NUMBER),
    "confirmed": (_l("Confirmed"), NUMBER),
    "mismatched": (_l("Mismatched"), NUMBER),
    "only_insurer": (_l("Only in the insurer's list"), NUMBER),
    "only_app": (_l("Only in the app"), NUMBER),
    "dismissed": (_l("Dismissed"), NUMBER),
    "effective_on": (_l("Takes effect on"), DATE),
    "source": (_l("Source"), None),
    "ended": (_l("Units ended"), None),
    "begun": (_l("Units begun"), None),
    "successions": (_l("Successions"), NUMBER),
    "assignments": (_l("Assignments moved"), NUMBER),
    "enrollment": (_l("Enrollment"), ENROLLMENT),
    "resolution": (_l("Decision"), vocab.RESOLUTIONS),
    "differences": (_l("Differences"), None),
    # rules of the law and settings
    "contribution_percent": (_l("Contribution (percent of the basis)"), PERCENT),
    "minimum_basis": (_l("Minimum basis (đồng)"), NUMBER),
    "maximum_basis": (_l("Maximum basis (đồng)"), NUMBER),
    "percent": (_l("Support (percent)"), PERCENT),
    "lapse_grace_days": (_l("Days of grace before a participant lapses"), NUMBER),
    "credit_confirmed_only": (_l("Officers' credit rests on the insurer's confirmation"), YES_NO),
}

# Fields whose meaning depends on the record: a kind or a category of an area, an organization,
# a household, a status of a household or of a row of the insurer's list.
BY_ENTITY = {
    ("area", "kind"): (_l("Kind"), vocab.AREA_KINDS),
    ("collection_org", "kind"): (_l("Kind"), vocab.COLLECTION_ORG_KINDS),
    ("household", "category"): (_l("Category"), vocab.HOUSEHOLD_CATEGORIES),
    ("household", "status"): (_l("Status"), vocab.HOUSEHOLD_STATUSES),
    ("enrollment", "category"): (_l("Support tier"), vocab.ENROLLMENT_CATEGORIES),
    ("support_rate", "category"): (_l("Support tier"), vocab.ENROLLMENT_CATEGORIES),
    ("insurer_record", "status"): (_l("Status"), vocab.RECONCILIATION_STATUSES),
}


def field(entity: str, name: str) -> tuple:
    """(label, how its value is shown) of a field of an event about `entity`; a field nobody
    declared shows its own name and its value as it is."""
    return BY_ENTITY.get((entity, name)) or FIELDS.get(name) or (name, None)


def formatted(kind, value, name: str) -> str:
    """A value of a field called `name`, shown as the pages show it (`kind` from FIELDS)."""
    if kind in (DATE, MONTH) and (day := day_of(value)):
        return day.strftime("%m/%Y") if kind == MONTH else i18n.short_date(day)
    if kind in (NUMBER, PERCENT) and isinstance(value, int | float):
        shown = i18n.number(value)
        return f"{shown} %" if kind == PERCENT else shown
    if kind == YES_NO or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if kind == PERIOD and isinstance(value, str):
        try:
            return period_label(parse(value))
        except PeriodError:
            return value
    if kind == METRIC:
        return metric_name(value)
    if name == "id" and is_id(value):
        return f"#{value}"
    if name == "sha256" and isinstance(value, str):
        return value[:12] + "…"
    if isinstance(value, list):
        return listed(value)
    return str(value)


def listed(values: list, shown: int = 10) -> str:
    """A list as text; a long one (the units a reorganisation ended) says how many more."""
    text = ", ".join(map(str, values[:shown]))
    if len(values) > shown:
        text += " " + _("and %(count)d more items", count=len(values) - shown)
    return text


def difference(pair) -> str:
    """[the app's value, the insurer's] of a field the reconciliation found different."""
    if not isinstance(pair, list):
        return str(pair)
    shown = []
    for value in pair:
        day = day_of(value)
        shown.append(
            i18n.short_date(day) if day else i18n.number(value) if is_id(value) else str(value)
        )
    return " ≠ ".join(shown)


def metric_name(code) -> str:
    try:
        return str(i18n.metric_label(code))
    except UnknownMetric:
        return str(code)


def day_of(value) -> date | None:
    """An ISO date a snapshot holds (services/audit.snapshot), whatever its year."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
