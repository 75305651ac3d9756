"""The domain model of DESIGN.md, one module per concern, re-exported here."""

from .areas import Area, CollectionOrg, ParticipantCount, collection_org_areas
from .audit import AuditEvent
from .fieldwork import Contact, Enrollment, Household, OutreachSession
from .operations import HealthCheck, ImportJob
from .outreach import ProspectReview, Renewal, ReviewItem
from .rules import IncomeBasisRule, SupportRate
from .summaries import ActivitySummary
from .targets import Target
from .users import ApiToken, Assignment, User

__all__ = [
    "ActivitySummary",
    "ApiToken",
    "Area",
    "Assignment",
    "AuditEvent",
    "CollectionOrg",
    "Contact",
    "Enrollment",
    "HealthCheck",
    "Household",
    "ImportJob",
    "IncomeBasisRule",
    "OutreachSession",
    "ParticipantCount",
    "ProspectReview",
    "Renewal",
    "ReviewItem",
    "SupportRate",
    "Target",
    "User",
    "collection_org_areas",
]
