"""The domain model (docs/design.md), one module per concern, re-exported here."""

from .areas import (
    Area,
    AreaSuccession,
    CollectionOrg,
    Office,
    ParticipantCount,
    Reorganisation,
    collection_org_areas,
    office_areas,
)
from .audit import AuditEvent
from .books import InsurerRecord
from .fieldwork import Contact, Enrollment, Household, OutreachSession
from .operations import HealthCheck, ImportJob
from .outreach import ProspectReview, Renewal, ReviewItem
from .rules import IncomeBasisRule, SupportRate
from .settings import Setting
from .summaries import ActivitySummary, LapseBooking
from .targets import Target, TargetReopening
from .users import ApiToken, Assignment, User

__all__ = [
    "ActivitySummary",
    "LapseBooking",
    "ApiToken",
    "Area",
    "AreaSuccession",
    "Assignment",
    "AuditEvent",
    "CollectionOrg",
    "Contact",
    "Enrollment",
    "HealthCheck",
    "Household",
    "ImportJob",
    "InsurerRecord",
    "IncomeBasisRule",
    "Office",
    "OutreachSession",
    "ParticipantCount",
    "ProspectReview",
    "Reorganisation",
    "Renewal",
    "ReviewItem",
    "Setting",
    "SupportRate",
    "Target",
    "TargetReopening",
    "User",
    "collection_org_areas",
    "office_areas",
]
