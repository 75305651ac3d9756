"""Every aggregate the app shows about progress, computed in SQL (docs/design.md, "Progress
rules").

Plain functions over a Period return dataclasses; views, the API, exports and charts all call
this package and nothing else for numbers. Each function runs a fixed number of queries, whatever
the number of officers or areas: counts are GROUP BY queries, and only target definitions and the
area tree (a few rows each) are combined in Python.

- core: attainment, expected, pace, forecast, ranking (pure rules)
- flows: new participants, contacts, households reached, and their targets
- tree: the areas in time, their children and successions
- participants: participants on a date; areas: participants_total targets
- scopes and area_board: the board of an office's or a parent's units, in the period's units
  or today's
- officers: officers side by side (the team page, the dashboard's best and worst)
- funnels: households from contact to enrollment, each step within the one before
- leaderboards: officers and collection organizations ranked
- metrics: one declaration per metric, which everything above reads

The names below load on first use (PEP 562): the targets table's check reads the metric
declarations (metrics.target_codes) while tracker.models is still being imported, which an
eager import of the queries here, which need the models, would make impossible.
"""

from importlib import import_module

# name → the module of this package that defines it
_HOMES = {
    "area_board": ("UNITS", "AREA_METRICS", "area_leaderboard"),
    "areas": ("TargetGap", "stock_targets", "target_gaps"),
    "officers": ("Extremes", "TeamRow", "officer_board", "officer_progress", "team_board"),
    "core": ("Progress", "Row", "evaluate", "pace_of", "ranked"),
    "flows": (
        "current_targets",
        "daily_actuals",
        "flow_actuals",
        "flow_targets",
        "last_contact_dates",
        "monthly_actuals",
    ),
    "funnels": ("funnel",),
    "history": ("Point", "participants_history"),
    "kept": ("init_app",),
    "leaderboards": (
        "Board",
        "BoardRow",
        "officer_columns",
        "officer_extremes",
        "officer_leaderboard",
        "officers_among",
        "org_leaderboard",
        "ranked_officer_ids",
        "read_rows",
    ),
    "metrics": ("FLOW_METRICS",),
    "participants": ("Participants", "participants_on", "participants_through"),
    "scopes": (
        "Scope",
        "area_ids_below",
        "area_scope",
        "default_parent",
        "default_scope",
        "office_scope",
    ),
    "tree": ("area_tree", "descendants"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}
__all__ = sorted(_HOME_OF)


def __getattr__(name: str):
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME_OF))
