"""Audit events as people read them: the action and the kind of record in words, the record's
name (the user's, the area's, a target's metric, subject and period…), and what changed, field
by field, with each value shown as the pages show it (dates, numbers, the labels of codes, the
names of the records an id points at). A page of events is described in a constant number of
queries: one per kind of record it names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from .. import i18n
from ..dates import period_label
from ..extensions import db
from ..models import (
    ApiToken,
    Area,
    AuditEvent,
    CollectionOrg,
    Contact,
    Enrollment,
    Household,
    IncomeBasisRule,
    InsurerRecord,
    Office,
    OutreachSession,
    ProspectReview,
    Reorganisation,
    SupportRate,
    Target,
    TargetReopening,
    User,
)
from ..periods import Period
from ..vocab import ENROLLMENT_CATEGORIES, RECONCILED_FIELDS
from . import audit_labels as labels
from .settings import KNOWN as SETTINGS

# Records an id points at, and the name each is shown by.
NAMED = {
    labels.USER: (User, lambda user: user.full_name),
    labels.AREA: (Area, lambda area: area.name),
    labels.HOUSEHOLD: (Household, lambda household: household.head_name),
    labels.ORG: (CollectionOrg, lambda org: org.name),
    labels.OFFICE: (Office, lambda office: office.name),
    labels.ENROLLMENT: (Enrollment, lambda enrollment: enrollment.participant_name),
}
NAMED_ENTITIES = {
    "user": labels.USER,
    "area": labels.AREA,
    "household": labels.HOUSEHOLD,
    "collection_org": labels.ORG,
    "office": labels.OFFICE,
    "enrollment": labels.ENROLLMENT,
}
# Records whose name is built from several of their fields (see Describer.subject).
RECORDS = {
    "target": Target,
    "contact": Contact,
    "insurer_record": InsurerRecord,
    "outreach_session": OutreachSession,
    "api_token": ApiToken,
    "prospect_review": ProspectReview,
    "target_reopening": TargetReopening,
    "reorganisation": Reorganisation,
    "income_basis_rule": IncomeBasisRule,
    "support_rate": SupportRate,
}
SUBJECT_KINDS = {"officer": labels.USER, "area": labels.AREA, "collection_org": labels.ORG}
TITLES = {InsurerRecord: "full_name", OutreachSession: "title", ApiToken: "name"}
HIDDEN = {"renewal", "target_id"}  # ids of rows nobody looks up from here


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the field was not there before (a creation)
    after: str | None  # None: it is not there after (a deletion)


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    action: str
    entity: str
    subject: str | None
    changes: list[Change]


def describe(events: list[AuditEvent]) -> list[Entry]:
    describer = Describer(events)
    return [describer.entry(event) for event in events]


def _flat(snapshot, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    """(path, value) of each leaf of a snapshot: a merge keeps the two households' fields."""
    if isinstance(snapshot, dict) and (not path or path[-1] != "differences"):
        for key, value in snapshot.items():
            yield from _flat(value, (*path, str(key)))
    else:
        yield path, snapshot


class Describer:
    """Loads what a page of events names, then describes each event."""

    def __init__(self, events: list[AuditEvent]):
        wanted: dict[str, set[int]] = defaultdict(set)
        rows: dict[str, set[int]] = defaultdict(set)
        for event in events:
            if event.entity_id is not None and event.entity in NAMED_ENTITIES:
                wanted[NAMED_ENTITIES[event.entity]].add(event.entity_id)
            elif event.entity_id is not None and event.entity in RECORDS:
                rows[event.entity].add(event.entity_id)
            for snapshot in (event.before, event.after):
                for path, value in _flat(snapshot or {}):
                    kind = self._kind(event.entity, path, snapshot)
                    if kind == labels.AREAS and isinstance(value, list):
                        wanted[labels.AREA].update(v for v in value if labels.is_id(v))
                    elif isinstance(kind, str) and kind in NAMED and labels.is_id(value):
                        wanted[kind].add(value)
        self.records: dict[str, dict[int, object]] = {}
        for entity, ids in rows.items():
            model = RECORDS[entity]
            found = db.session.scalars(select(model).where(model.id.in_(ids)))
            self.records[entity] = {row.id: row for row in found}
        for target in self.records.get("target", {}).values():
            wanted[SUBJECT_KINDS[target.subject]].add(self._target_subject(target))
        for contact in self.records.get("contact", {}).values():
            wanted[labels.HOUSEHOLD].add(contact.household_id)
        self.names: dict[str, dict[int, str]] = {}
        for kind, ids in wanted.items():
            model, name = NAMED[kind]
            ids = {i for i in ids if i is not None}
            found = db.session.scalars(select(model).where(model.id.in_(ids))) if ids else []
            self.names[kind] = {row.id: name(row) for row in found}

    @staticmethod
    def _kind(entity: str, path: tuple, snapshot) -> object:
        kind = labels.field(entity, path[-1])[1] if path else None
        if kind == labels.SUBJECT:
            return SUBJECT_KINDS.get((snapshot or {}).get("subject"))
        return kind

    @staticmethod
    def _target_subject(target: Target) -> int | None:
        return {
            "officer": target.officer_id,
            "area": target.area_id,
            "collection_org": target.collection_org_id,
        }[target.subject]

    def name(self, kind: str, record_id) -> str:
        return self.names.get(kind, {}).get(record_id) or f"#{record_id}"

    def entry(self, event: AuditEvent) -> Entry:
        return Entry(
            event=event,
            action=str(labels.ACTIONS.get(event.action, event.action)),
            entity=str(labels.ENTITIES.get(event.entity, event.entity)),
            subject=self.subject(event),
            changes=self.changes(event),
        )

    def subject(self, event: AuditEvent) -> str | None:
        """The record's name, as the pages name it."""
        entity, record_id = event.entity, event.entity_id
        snapshot = event.after or event.before or {}
        if entity == "setting":
            return next((str(SETTINGS[k].label) for k in snapshot if k in SETTINGS), None)
        if entity in ("households", "counts", "insurer_list"):
            return snapshot.get("file")
        if record_id is None:
            return None
        if entity in NAMED_ENTITIES:
            return self.name(NAMED_ENTITIES[entity], record_id)
        row = self.records.get(entity, {}).get(record_id)
        if row is None:
            return self._gone(entity, snapshot) or f"#{record_id}"
        return self._named(entity, row)

    def _named(self, entity: str, row) -> str:
        if entity == "target":
            subject = self.name(SUBJECT_KINDS[row.subject], self._target_subject(row))
            period = period_label(Period(row.period_start, row.period_end))
            return f"{labels.metric_name(row.metric)} · {subject} · {period}"
        if entity == "contact":
            household = self.name(labels.HOUSEHOLD, row.household_id) if row.household_id else None
            return f"{household or _('No household')} · {i18n.short_date(row.contacted_on)}"
        if entity == "target_reopening":
            return period_label(Period(row.period_start, row.period_end))
        if entity == "prospect_review":
            return row.month.strftime("%m/%Y")
        if entity == "reorganisation":
            return _("taking effect on %(date)s", date=i18n.short_date(row.effective_on))
        if entity in ("income_basis_rule", "support_rate"):
            return self._rule(entity, row.valid_from, getattr(row, "category", None))
        return getattr(row, TITLES[type(row)])

    def _gone(self, entity: str, snapshot: dict) -> str | None:
        """A deleted rule is named by its own last snapshot."""
        if entity in ("income_basis_rule", "support_rate") and snapshot.get("valid_from"):
            return self._rule(
                entity, labels.day_of(snapshot["valid_from"]), snapshot.get("category")
            )
        return None

    def _rule(self, entity: str, valid_from: date | None, category: str | None) -> str:
        since = _("in force from %(date)s", date=i18n.short_date(valid_from))
        if entity == "support_rate" and category in ENROLLMENT_CATEGORIES:
            return f"{ENROLLMENT_CATEGORIES[category]} · {since}"
        return since

    def changes(self, event: AuditEvent) -> list[Change]:
        """Each field that changed: before → after (only after for a creation, only before for
        a deletion); fields an update left as they were are not shown."""
        before, after = dict(_flat(event.before or {})), dict(_flat(event.after or {}))
        found = []
        for path in dict.fromkeys([*before, *after]):
            old, new = before.get(path, ...), after.get(path, ...)
            blank = all(value in (..., None, "", []) for value in (old, new))
            if not path or path[-1] in HIDDEN or old == new or blank:
                continue
            label = " › ".join(str(labels.field(event.entity, part)[0]) for part in path)
            found.append(
                Change(
                    label,
                    self.show(event, path, before[path]) if path in before else None,
                    self.show(event, path, after[path]) if path in after else None,
                )
            )
        return found

    def show(self, event: AuditEvent, path: tuple, value) -> str:
        """A value as the pages show it."""
        if path[-1] == "differences" and isinstance(value, dict):
            return (
                "; ".join(
                    f"{RECONCILED_FIELDS.get(name, name)}: {labels.difference(pair)}"
                    for name, pair in value.items()
                )
                or "—"
            )
        snapshot = event.after if event.after and path[0] in event.after else event.before
        kind = self._kind(event.entity, path, snapshot)
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(kind, dict):
            return str(kind.get(value, value))
        if isinstance(kind, str) and kind in NAMED and labels.is_id(value):
            return self.name(kind, value)
        if kind == labels.AREAS and isinstance(value, list):
            return labels.listed([self.name(labels.AREA, v) for v in value])
        return labels.formatted(kind, value, path[-1])
