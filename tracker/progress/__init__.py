"""Every aggregate the app shows about progress, computed in SQL (DESIGN.md, "Progress rules").

Plain functions over a Period return dataclasses; views, the API, exports and charts all call
this package and nothing else for numbers. Each function runs a fixed number of queries, whatever
the number of officers or areas: counts are GROUP BY queries, and only target definitions and the
area tree (a few rows each) are combined in Python.

- core: attainment, expected, pace, forecast, ranking (pure rules)
- flows: new participants, contacts, households reached, and their targets
- areas: participants on a date, and participants_total targets
- boards: officers side by side (the team page)
- leaderboards: officers, areas and collection organizations ranked
"""

from . import summary_deltas  # noqa: F401  (keeps activity_summaries true on every flush)
from .areas import (
    Participants,
    TargetGap,
    descendants,
    participants_on,
    stock_targets,
    subtree_ids,
    target_gaps,
)
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
from .leaderboards import (
    Board,
    BoardRow,
    area_leaderboard,
    default_parent,
    funnel,
    officer_extremes,
    officer_leaderboard,
    org_leaderboard,
)

__all__ = [
    "Board",
    "BoardRow",
    "area_leaderboard",
    "daily_actuals",
    "default_parent",
    "funnel",
    "officer_leaderboard",
    "officer_extremes",
    "org_leaderboard",
    "FLOW_METRICS",
    "Participants",
    "Progress",
    "Row",
    "TargetGap",
    "TeamRow",
    "current_targets",
    "descendants",
    "evaluate",
    "flow_actuals",
    "flow_targets",
    "last_contact_dates",
    "monthly_actuals",
    "officer_board",
    "officer_progress",
    "pace_of",
    "participants_on",
    "ranked",
    "stock_targets",
    "subtree_ids",
    "target_gaps",
    "team_board",
]
