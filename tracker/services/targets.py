"""Setting targets: versioned, audited, one transaction per user action.

A change never edits a row: the current version gets `replaced_at` and a new version is added,
so the earlier value stays visible (a supplementary target) and every change is an AuditEvent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from ..access import carries_personal_targets, may_set_target_for
from ..dates import local_today
from ..errors import RuleBroken
from ..extensions import db
from ..models import Area, CollectionOrg, Target, User
from ..periods import Period
from ..progress.metrics import DEFAULT_SCHEME, SCHEMES, UnknownMetric, is_stock, metric
from . import audit, target_locks

MAX_OFFICER_TARGET = 100_000
MAX_AREA_TARGET = 100_000_000
SUBJECT_MODELS = {"officer": User, "area": Area, "collection_org": CollectionOrg}
SUBJECT_KEYS = {"officer": "officer_id", "area": "area_id", "collection_org": "collection_org_id"}


@dataclass(frozen=True)
class TargetChange:
    subject: str
    subject_id: int
    metric: str
    period: Period
    value: int
    note: str = ""
    scheme: str = DEFAULT_SCHEME

    @property
    def stored_scheme(self) -> str:
        """The scheme the target row holds: `all` for outreach, which is not about one."""
        return metric(self.metric, self.scheme).target_scheme


def _subject(change: TargetChange):
    model = SUBJECT_MODELS.get(change.subject)
    if model is None:
        raise RuleBroken("subject", "unknown_subject")
    found = db.session.get(model, change.subject_id)
    if found is None or (change.subject == "officer" and not carries_personal_targets(found)):
        raise RuleBroken("id", "unknown_subject", status=404)
    return found


def validate(actor: User, change: TargetChange):
    """Raise RuleBroken unless `actor` may set this target to this value."""
    if change.scheme not in SCHEMES:
        raise RuleBroken("scheme", "unknown_scheme")
    try:
        declared = metric(change.metric, change.scheme)
    except UnknownMetric:
        raise RuleBroken("metric", "metric_not_for_subject") from None
    if change.subject not in declared.targets:
        raise RuleBroken("metric", "metric_not_for_subject")
    if change.period.kind == "custom":
        raise RuleBroken("period", "period_not_on_boundaries")
    if isinstance(change.value, bool) or not isinstance(change.value, int):
        raise RuleBroken("value", "not_a_whole_number")
    ceiling = MAX_AREA_TARGET if change.subject == "area" else MAX_OFFICER_TARGET
    if not 0 <= change.value <= ceiling:
        raise RuleBroken("value", "out_of_range")
    subject = _subject(change)
    if change.subject == "area":
        _check_unit_in_time(subject, change)
    officer = subject if change.subject == "officer" else None
    if not may_set_target_for(actor, change.subject, officer):
        raise RuleBroken("id", "target_forbidden", status=403)
    if not target_locks.editable(change.period, local_today()):
        raise RuleBroken("period", "period_closed")
    return subject


def _check_unit_in_time(area: Area, change: TargetChange) -> None:
    """A unit has targets only for periods it exists in; a participants target, only for a
    period whose last day it exists on (a dissolved unit has no participants after its end)."""
    period = change.period
    if area.valid_to is not None and period.start >= area.valid_to:
        raise RuleBroken("period", "unit_ended")
    if area.valid_from is not None and period.end < area.valid_from:
        raise RuleBroken("period", "unit_not_yet")
    if is_stock(change.metric) and not area.exists_on(period.end):
        raise RuleBroken("period", "unit_not_on_last_day")


def predecessors_sum(
    area_ids: list[int], code: str, period: Period, scheme: str = DEFAULT_SCHEME
) -> dict[int, int]:
    """For units a reorganisation changed within or before the period: the sum of their
    predecessors' targets for it, each by the share that came here (a split's parts divide
    the target, as the boards in today's units do), the default of their own (the targets grid
    shows it). A succession after the period gives no default: the unit that goes on into it
    was still only itself then."""
    from ..progress import area_tree, flow_targets, stock_targets

    tree = area_tree()
    sources = {
        area_id: [
            (step.other, step.share)
            for step in tree.predecessors.get(area_id, [])
            if step.effective_on <= period.end
        ]
        for area_id in area_ids
    }
    sources = {area_id: steps for area_id, steps in sources.items() if steps}
    wanted = {other for steps in sources.values() for other, _share in steps}
    if not wanted:
        return {}
    found = (
        stock_targets(period, wanted, scheme)
        if is_stock(code)
        else flow_targets("area", code, period, wanted, scheme)
    )
    sums = {}
    for area_id, steps in sources.items():
        values = [share * found[other] for other, share in steps if found.get(other) is not None]
        if values:
            sums[area_id] = round(sum(values))
    return sums


def current(change: TargetChange) -> Target | None:
    return db.session.scalar(
        select(Target).where(
            Target.subject == change.subject,
            getattr(Target, SUBJECT_KEYS[change.subject]) == change.subject_id,
            Target.metric == change.metric,
            Target.scheme == change.stored_scheme,
            Target.period_start == change.period.start,
            Target.period_end == change.period.end,
            Target.replaced_at.is_(None),
        )
    )


def _apply(actor: User, change: TargetChange) -> Target:
    """Add the new version (unless the value is unchanged); the caller commits."""
    validate(actor, change)
    existing = current(change)
    if existing is not None and existing.value == change.value and existing.exact_value is None:
        return existing  # unchanged (a pin typed over with its rounded value is a change)
    if not is_stock(change.metric):
        target_locks.pin_closed_months(actor, change, local_today())
    now = datetime.now(UTC)
    if existing is not None:
        existing.replaced_at = now
        db.session.flush()  # the one-current-version index must see the old row closed first
    target = Target(
        subject=change.subject,
        metric=change.metric,
        scheme=change.stored_scheme,
        period_start=change.period.start,
        period_end=change.period.end,
        value=change.value,
        set_by_id=actor.id,
        set_at=now,
        note=change.note.strip()[:500],
        **{SUBJECT_KEYS[change.subject]: change.subject_id},
    )
    db.session.add(target)
    db.session.flush()
    audit.record(
        actor,
        "set_target",
        "target",
        target.id,
        {"value": existing.value, "target_id": existing.id} if existing else None,
        {
            "value": target.value,
            "subject": change.subject,
            "subject_id": change.subject_id,
            "metric": change.metric,
            "scheme": change.stored_scheme,
            "period": change.period.key,
            "note": target.note,
        },
    )
    return target


def set_target(actor: User, change: TargetChange) -> Target:
    """One target, one transaction."""
    try:
        target = _apply(actor, change)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return target


def set_targets(actor: User, changes: list[TargetChange]) -> list[Target]:
    """A whole grid in one transaction: every cell is saved, or none is."""
    try:
        targets = [_apply(actor, change) for change in changes]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return targets


def versions(target: Target) -> list[Target]:
    """Every version of the same subject, metric and period, newest first."""
    key = SUBJECT_KEYS[target.subject]
    return list(
        db.session.scalars(
            select(Target)
            .where(
                Target.subject == target.subject,
                getattr(Target, key) == getattr(target, key),
                Target.metric == target.metric,
                Target.scheme == target.scheme,
                Target.period_start == target.period_start,
                Target.period_end == target.period_end,
            )
            .order_by(Target.set_at.desc(), Target.id.desc())
        )
    )


def explicit_targets(
    subject: str, ids: list[int], code: str, year: int, scheme: str = DEFAULT_SCHEME
) -> dict[tuple[int, str], Target]:
    """Current targets set for exactly a year, quarter or month of `year`, keyed by
    (subject id, period key), for the editing grids."""
    column = getattr(Target, SUBJECT_KEYS[subject])
    rows = db.session.scalars(
        select(Target).where(
            Target.subject == subject,
            column.in_(ids),
            Target.metric == code,
            Target.scheme == metric(code, scheme).target_scheme,
            Target.replaced_at.is_(None),
            Target.period_start >= date(year, 1, 1),
            Target.period_end <= date(year, 12, 31),
        )
    )
    found = {}
    for target in rows:
        span = Period(target.period_start, target.period_end)
        if span.kind != "custom":
            found[(getattr(target, column.key), span.key)] = target
    return found
