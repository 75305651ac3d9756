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
- boards: officers side by side (the team page)
- leaderboards: officers and collection organizations ranked
"""

from .area_board import UNITS, area_leaderboard
from .areas import TargetGap, stock_targets, target_gaps
from .boards import TeamRow, officer_board, officer_progress, team_board
from .core import FLOW_METRICS, Progress, Row, evaluate, pace_of, ranked
from .flows import (
    current_targets,
    daily_actuals,
    flow_actuals,
    flow_targets,
    last_contact_dates,
    monthly_actuals,
)
from .history import Point, participants_history
from .kept import init_app
from .leaderboards import (
    Board,
    BoardRow,
    funnel,
    officer_extremes,
    officer_leaderboard,
    org_leaderboard,
)
from .participants import Participants, participants_on, participants_through
from .scopes import (
    Scope,
    area_ids_below,
    area_scope,
    default_parent,
    default_scope,
    office_scope,
)
from .tree import area_tree, descendants, subtree_ids

__all__ = [
    "init_app",
    "UNITS",
    "Board",
    "BoardRow",
    "FLOW_METRICS",
    "Participants",
    "Point",
    "Progress",
    "Row",
    "Scope",
    "TargetGap",
    "TeamRow",
    "area_ids_below",
    "area_leaderboard",
    "area_scope",
    "area_tree",
    "current_targets",
    "daily_actuals",
    "default_parent",
    "default_scope",
    "descendants",
    "evaluate",
    "flow_actuals",
    "flow_targets",
    "funnel",
    "last_contact_dates",
    "monthly_actuals",
    "office_scope",
    "officer_board",
    "officer_extremes",
    "officer_leaderboard",
    "officer_progress",
    "org_leaderboard",
    "pace_of",
    "participants_history",
    "participants_on",
    "participants_through",
    "ranked",
    "stock_targets",
    "subtree_ids",
    "target_gaps",
    "team_board",
]
