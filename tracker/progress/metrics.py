"""One declaration per metric (docs/design.md, "Metrics"): what it counts, on which day, for which
scheme, whether a kept count holds it, what targets may be set for it and what it is called.
Flows, kept counts, targets, boards, exports and labels all read these declarations; a new
metric is a new declaration here, not a new code path.

A flow counts events of a source in a period: rows of contacts or enrollments, or the lapses
and returns of participants (progress/lifecycle.py), each with an officer, an area, an
organization and a day. A derived flow adds others with signs (net growth = new + returned −
lapsed). A stock is a level on a day (participants, progress/participants.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..vocab import ENROLLMENT_SCHEMES, INTERESTED_OUTCOMES

SCHEMES = tuple(ENROLLMENT_SCHEMES)
DEFAULT_SCHEME = "voluntary_si"
EVERY_SCHEME = "all"  # targets of metrics that do not depend on a scheme (outreach)
TARGET_SCHEMES = (*SCHEMES, EVERY_SCHEME)  # what a target's scheme column may hold
SUBJECT_COLUMNS = {
    "officer": "officer_id",
    "area": "area_id",
    "collection_org": "collection_org_id",
}


@dataclass(frozen=True)
class Metric:
    code: str
    label: object  # a lazy string, translated when shown
    kind: str  # flow, derived or stock
    scheme: str | None = None  # None: every scheme (outreach is not about one)
    records: str | None = None  # the model whose rows a flow counts (None: lifecycle events)
    day: str | None = None  # the column of the event's day
    distinct: str | None = None  # count distinct values of this column, not rows
    only: tuple[tuple[str, tuple], ...] = ()  # (column, allowed values) the rows must match
    kept: str | None = None  # the activity_summaries column that keeps it ready
    targets: tuple[str, ...] = ()  # subjects a target may be set for
    parts: tuple[tuple[str, int], ...] = ()  # derived: (metric code, sign)
    source: Callable | None = field(default=None, compare=False)  # lifecycle events

    @property
    def is_stock(self) -> bool:
        return self.kind == "stock"

    @property
    def model(self) -> type | None:
        """The model class of `records`, looked up when a query needs it: the targets table's
        check reads these declarations (target_codes) while tracker.models is still loading,
        so this module imports no model."""
        if self.records is None:
            return None
        from .. import models

        return getattr(models, self.records)

    @property
    def key(self) -> tuple[str, str | None]:
        return self.code, self.scheme

    @property
    def target_scheme(self) -> str:
        """What a target of this metric stores as its scheme."""
        return self.scheme or EVERY_SCHEME


def _lapses(scheme: str):
    """The lapse events of a scheme from start to end, read when a query needs them (lifecycle
    needs the models and the settings, which need these declarations first). The window goes
    into the events' own query, where the indexes of the paid-through dates serve it."""

    def events(start, end):
        from .lifecycle import lapse_events

        return lapse_events(scheme, start=start, end=end)

    return events


def _returns(scheme: str):
    def events(start, end):
        from .lifecycle import return_events

        return return_events(scheme, start=start, end=end)

    return events


_OUTREACH = [
    Metric(
        "contacts",
        _l("Contacts"),
        "flow",
        None,
        "Contact",
        "contacted_on",
        kept="contacts",
        targets=("officer", "area"),
    ),
    Metric(
        "households_reached",
        _l("Households reached"),
        "flow",
        None,
        "Contact",
        "contacted_on",
        distinct="household_id",
        kept="households_reached",
        targets=("officer", "area"),
    ),
    Metric(
        "interested_households",
        _l("Households interested"),
        "flow",
        None,
        "Contact",
        "contacted_on",
        distinct="household_id",
        only=(("outcome", INTERESTED_OUTCOMES),),
        kept="interested_households",
    ),
]
_KEPT_NEW = {"voluntary_si": "new_participants", "household_hi": "new_hi_participants"}
_KEPT_RETURNED = {"voluntary_si": "returned", "household_hi": "returned_hi"}
_KEPT_LAPSED = {"voluntary_si": "lapsed", "household_hi": "lapsed_hi"}


def _per_scheme(scheme: str) -> list[Metric]:
    return [
        Metric(
            "new_participants",
            _l("New participants"),
            "flow",
            scheme,
            "Enrollment",
            "enrolled_on",
            only=(("scheme", (scheme,)),),
            kept=_KEPT_NEW[scheme],
            targets=("officer", "area", "collection_org"),
        ),
        # Of the new participants, those the insurer's per-person list confirmed
        # (services/reconciliation): counted live, as confirmation comes months later.
        Metric(
            "confirmed_participants",
            _l("Confirmed by the insurer"),
            "flow",
            scheme,
            "Enrollment",
            "enrolled_on",
            only=(("scheme", (scheme,)), ("insurer_status", ("confirmed",))),
        ),
        Metric(
            "returned",
            _l("Returned"),
            "flow",
            scheme,
            day="day",
            source=_returns(scheme),
            kept=_KEPT_RETURNED[scheme],
            targets=("officer", "area"),
        ),
        Metric(
            "lapsed",
            _l("Lapsed"),
            "flow",
            scheme,
            day="day",
            source=_lapses(scheme),
            kept=_KEPT_LAPSED[scheme],
        ),
        Metric(
            "net_growth",
            _l("Net growth"),
            "derived",
            scheme,
            parts=(("new_participants", 1), ("returned", 1), ("lapsed", -1)),
            targets=("officer", "area"),
        ),
        Metric(
            "participants_total", _l("Participants (total)"), "stock", scheme, targets=("area",)
        ),
    ]


METRICS: tuple[Metric, ...] = tuple(_OUTREACH + [m for s in SCHEMES for m in _per_scheme(s)])
_BY_KEY = {metric.key: metric for metric in METRICS}


class UnknownMetric(KeyError):
    pass


def metric(code: str, scheme: str = DEFAULT_SCHEME) -> Metric:
    """The declaration of `code` for a scheme (or for every scheme, for outreach)."""
    found = _BY_KEY.get((code, None)) or _BY_KEY.get((code, scheme))
    if found is None:
        raise UnknownMetric(code)
    return found


def is_stock(code: str) -> bool:
    return metric(code).is_stock


# The flows an officer's progress shows and the boards rank on, in the order people read them:
# a presentation choice, declared once as codes. What each counts and what it is called are the
# declarations above.
FLOW_METRICS = (
    "new_participants",
    "net_growth",
    "returned",
    "lapsed",
    "contacts",
    "households_reached",
)


def flows(scheme: str = DEFAULT_SCHEME) -> list[Metric]:
    """The flows a board ranks on for a scheme, in the order people read them."""
    return [metric(code, scheme) for code in FLOW_METRICS]


def credited(item: Metric, by: str, confirmed_only: bool) -> Metric:
    """What an officer is credited with for a metric: with the office's setting on, new
    participants are those the insurer confirmed (docs/design.md, "The insurer's books")."""
    if confirmed_only and by == "officer_id" and item.code == "new_participants":
        return metric("confirmed_participants", item.scheme)
    return item


def stocks(scheme: str = DEFAULT_SCHEME) -> list[Metric]:
    """The levels on a day (participants), which only a board of areas ranks on."""
    return [item for item in METRICS if item.is_stock and item.scheme == scheme]


def codes(items) -> tuple[str, ...]:
    return tuple(item.code for item in items)


def movement(scheme: str = DEFAULT_SCHEME) -> list[tuple[Metric, int]]:
    """The flows net growth adds with their signs (who joined, came back, stopped paying),
    then net growth itself (sign 0): what the dashboard and the area boards show side by side."""
    net = metric("net_growth", scheme)
    return [(metric(code, scheme), sign) for code, sign in net.parts] + [(net, 0)]


def labels(wanted) -> dict[str, object]:
    """{code: label} for a selector or a table header."""
    return {code: metric(code).label for code in wanted}


def _reading_position(item: Metric) -> int:
    return FLOW_METRICS.index(item.code) if item.code in FLOW_METRICS else len(FLOW_METRICS)


def targetable(subject: str, scheme: str = DEFAULT_SCHEME) -> list[Metric]:
    """Metrics a target may be set for, for a subject, in the order people read them."""
    seen: dict[str, Metric] = {}
    for item in METRICS:
        if subject in item.targets and item.scheme in (None, scheme):
            seen.setdefault(item.code, item)
    return sorted(seen.values(), key=_reading_position)


def target_codes() -> tuple[str, ...]:
    """Every code a target may be set for, for some subject and scheme: what the targets
    table's check allows."""
    return tuple(dict.fromkeys(item.code for item in METRICS if item.targets))


def kept_metrics(model: type | None = None) -> list[Metric]:
    """The metrics of records activity_summaries keeps, of one model's records or of all
    (moved by each flush from the records it writes, progress/summary_deltas.py)."""
    return [m for m in METRICS if m.kept and m.records and (model is None or m.model is model)]


def kept_events() -> list[Metric]:
    """The lifecycle's flows activity_summaries keeps (returns and lapses of each scheme):
    moved from the enrollments and renewals a flush writes, and lapses also booked as days
    pass (progress/lapse_book.py)."""
    return [m for m in METRICS if m.kept and m.records is None]


def counted_models() -> list[type]:
    return list(dict.fromkeys(m.model for m in kept_metrics()))


def counted_columns(model: type) -> tuple[str, ...]:
    """The columns of a model whose change moves a kept count."""
    names = ["officer_id", "area_id", "deleted_at"]
    for item in kept_metrics(model):
        names.append(item.day)
        if item.distinct:
            names.append(item.distinct)
        names.extend(column for column, _values in item.only)
    return tuple(dict.fromkeys(names))


def matches(item: Metric, values: dict) -> bool:
    """Whether a record with these column values is one the metric counts."""
    return all(values.get(column) in allowed for column, allowed in item.only)


def condition(item: Metric, table):
    """The metric's `only` as SQL over a table or subquery's columns."""
    from sqlalchemy import and_, or_, true

    clauses = [
        or_(
            *(
                getattr(table.c if hasattr(table, "c") else table, column) == value
                for value in allowed
            )
        )
        for column, allowed in item.only
    ]
    return and_(*clauses) if clauses else true()
