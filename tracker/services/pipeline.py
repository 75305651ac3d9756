"""A household's status along its pipeline, moved by the outcomes of contacts.

prospect → contacted → interested → enrolled, or declined. The status only moves forward
(a later "informed" does not undo "interested"); "enrolled" is final; a declined household that
later shows interest moves on again.
"""

from __future__ import annotations

PIPELINE = ("prospect", "contacted", "interested", "enrolled")
OUTCOME_STATUS = {
    "informed": "contacted",
    "follow_up": "contacted",
    "no_answer": "contacted",
    "interested": "interested",
    "enrolled": "enrolled",
    "declined": "declined",
}


def next_status(current: str, outcome: str) -> str:
    if current == "enrolled":
        return current
    proposed = OUTCOME_STATUS[outcome]
    if proposed == "declined":
        return proposed
    if current == "declined":
        return proposed if proposed in ("interested", "enrolled") else current
    return max(current, proposed, key=PIPELINE.index)
