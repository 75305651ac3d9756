"""Closed periods keep the targets they had (docs/design.md, "Targets").

- A target for a period that has ended is locked: it can be set again only while a leader has
  reopened that period, with a reason and for a few days, audited.
- No write rewrites a month already closed. The months of a year share its target
  (targets_math.compose_flow_target), so any write in that year moves them all: a supplementary
  year target raised in November, but equally a Q4 target set in March beside the year's, which
  shrinks what the year leaves for January. So before any write, each closed month of the year
  that has a target now but none of its own is pinned to that target, exactly (exact_value),
  and the write then moves only the months still open. Months a leader reopened are not pinned:
  reopening is how a closed month may change.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from .. import periods
from ..extensions import db
from ..models import Target, TargetReopening, User
from ..periods import Period, month
from ..targets_math import compose_flow_target
from . import audit

REOPENING_DAYS = 7


class ReopenError(ValueError):
    def __init__(self, field_name: str, code: str):
        super().__init__(code)
        self.field = field_name
        self.code = code


def is_closed(period: Period, today: date) -> bool:
    return period.end < today


def open_reopening(period: Period, today: date) -> TargetReopening | None:
    return db.session.scalar(
        select(TargetReopening)
        .where(
            TargetReopening.period_start <= period.start,
            TargetReopening.period_end >= period.end,
            TargetReopening.open_until >= today,
        )
        .order_by(TargetReopening.open_until.desc())
        .limit(1)
    )


def open_reopenings(span: Period, today: date) -> list[TargetReopening]:
    """The reopenings in force that touch a span, latest first."""
    return list(
        db.session.scalars(
            select(TargetReopening)
            .where(
                TargetReopening.period_start <= span.end,
                TargetReopening.period_end >= span.start,
                TargetReopening.open_until >= today,
            )
            .order_by(TargetReopening.reopened_at.desc())
        )
    )


def editable(period: Period, today: date) -> bool:
    return not is_closed(period, today) or open_reopening(period, today) is not None


def reopen(actor: User, period: Period, reason: str, today: date) -> TargetReopening:
    """A leader reopens a closed period's targets for REOPENING_DAYS days; audited, one
    transaction."""
    if not is_closed(period, today):
        raise ReopenError("period", "not_closed")
    reason = reason.strip()
    if not reason:
        raise ReopenError("reason", "reason_required")
    reopening = TargetReopening(
        period_start=period.start,
        period_end=period.end,
        reason=reason[:500],
        open_until=today + timedelta(days=REOPENING_DAYS - 1),
        reopened_by_id=actor.id,
    )
    db.session.add(reopening)
    db.session.flush()
    after = {"period": period.key, "reason": reopening.reason, "until": str(reopening.open_until)}
    audit.record(actor, "reopen_targets", "target_reopening", reopening.id, None, after)
    db.session.commit()
    return reopening


def closed_months(period: Period, today: date) -> list[Period]:
    """The months of a period that ended before today."""
    found, day = [], period.start
    while day <= period.end:
        span = month(day.year, day.month)
        if span.end < today and period.start <= span.start and span.end <= period.end:
            found.append(span)
        day = span.end + timedelta(days=1)
    return found


def pin_closed_months(actor: User, change, today: date) -> None:
    """Write, for each closed month of the change's year that has a target but none of its own
    and is not reopened, the target it has now, so that the change leaves it as it was.

    Every month is checked, not only those inside the change's period: a finer target set
    beside a coarser one (a quarter beside the year) moves what the coarser one leaves for
    the months outside it. A month without any target keeps having none until a target covers
    it: that is setting a target, not rewriting one."""
    from ..progress.flows import SUBJECT_COLUMNS, current_targets

    year = periods.year(change.period.start.year)
    rows = current_targets(
        change.subject, change.metric, year, [change.subject_id], scheme=change.scheme
    ).get(change.subject_id, [])
    if not rows:
        return  # nothing set yet: nothing to keep
    explicit = {(r.period_start, r.period_end) for r in rows}
    reopened = open_reopenings(year, today)
    column = SUBJECT_COLUMNS[change.subject]
    for span in closed_months(year, today):
        if (span.start, span.end) in explicit or span == change.period:
            continue
        if any(r.period_start <= span.start and span.end <= r.period_end for r in reopened):
            continue
        exact = compose_flow_target(rows, span)
        if exact is None:
            continue
        db.session.add(
            Target(
                subject=change.subject,
                metric=change.metric,
                scheme=change.stored_scheme,
                period_start=span.start,
                period_end=span.end,
                value=round(exact),
                exact_value=exact,
                set_by_id=actor.id,
                note="kept as it was when another target of its year changed",
                **{column.key: change.subject_id},
            )
        )
    db.session.flush()
