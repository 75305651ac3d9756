"""Vocabularies: stable English codes stored in the database, labels shown translated.

The codes are a contract (docs/design.md); the labels are for people. Check constraints in the
models are built from these tuples so the database refuses anything else.
"""

from flask_babel import lazy_gettext as _l

ROLES = {
    "officer": _l("Officer"),
    "supervisor": _l("Supervisor"),
    "leader": _l("Leader"),
    "admin": _l("Administrator"),
}

# The units of both systems: until 2025-07-01 province › district, city or town › ward, commune
# or township; since then province (or centrally-run city) › ward, commune or special zone.
AREA_KINDS = {
    "province": _l("Province"),
    "district": _l("District"),
    "city": _l("City (district level)"),
    "town": _l("Town"),
    "ward": _l("Ward"),
    "commune": _l("Commune"),
    "township": _l("Township"),
    "special_zone": _l("Special zone"),
}
DISTRICT_LEVEL_KINDS = ("district", "city", "town")
LOCAL_AREA_KINDS = ("ward", "commune", "township", "special_zone")

HOUSEHOLD_CATEGORIES = {
    "self_employed": _l("Self-employed"),
    "trader": _l("Trader"),
    "farmer": _l("Farmer"),
    "informal_worker": _l("Informal worker"),
    "other": _l("Other"),
}

HOUSEHOLD_STATUSES = {
    "prospect": _l("Prospect"),
    "contacted": _l("Contacted"),
    "interested": _l("Interested"),
    "enrolled": _l("Enrolled"),
    "declined": _l("Declined"),
}

CONTACT_CHANNELS = {
    "home_visit": _l("Home visit"),
    "phone": _l("Phone call"),
    "message": _l("Message"),
    "ward_meeting": _l("Meeting with ward authorities"),
    "awareness_session": _l("Awareness session"),
}

CONTACT_OUTCOMES = {
    "informed": _l("Informed"),
    "interested": _l("Interested"),
    "follow_up": _l("Follow up"),
    "enrolled": _l("Enrolled"),
    "declined": _l("Declined"),
    "no_answer": _l("No answer"),
}

ENROLLMENT_SCHEMES = {
    "voluntary_si": _l("Voluntary social insurance"),
    "household_hi": _l("Household health insurance"),
}

ENROLLMENT_CATEGORIES = {
    "poor": _l("Poor household"),
    "near_poor": _l("Near-poor household"),
    "ethnic_minority": _l("Ethnic minority"),
    "other": _l("Other"),
}

PAYMENT_PERIODS = {
    "1": _l("Monthly"),
    "3": _l("Every 3 months"),
    "6": _l("Every 6 months"),
    "12": _l("Every 12 months"),
    "lump_sum": _l("Lump sum for several years"),
}
# How a renewal pays: a period as above, or back-payment (đóng bù) of months missed. An
# enrollment starts paying now, so it takes only the periods.
PAYMENT_METHODS = {
    **PAYMENT_PERIODS,
    "back_payment": _l("Back-payment of months missed"),
}

TARGET_SUBJECTS = {
    "officer": _l("Officer"),
    "area": _l("Area"),
    "collection_org": _l("Collection organization"),
}

# The metrics a target may be set for, and the schemes it may carry, are their declarations in
# progress/metrics.py (target_codes, TARGET_SCHEMES), which the targets table's checks read.

COLLECTION_ORG_KINDS = {
    "post_office": _l("Post office"),
    "commune_committee": _l("Commune People's Committee"),
    "womens_union": _l("Women's Union"),
    "farmers_association": _l("Farmers' Association"),
    "cooperative": _l("Cooperative"),
    "other": _l("Other"),
}

SESSION_KINDS = {
    "awareness": _l("Awareness session"),
    "training": _l("Training for collection staff"),
}

# An import job's states (models.operations); "stalled" is shown, never stored.
IMPORT_STATUSES = {
    "previewed": _l("Previewed, not started"),
    "queued": _l("Waiting to start"),
    "running": _l("Writing rows"),
    "done": _l("Done"),
    "failed": _l("Stopped on an error"),
    "stalled": _l("Stopped: no progress for 5 minutes"),
}

# Contact outcomes that count a household as interested (the funnel's middle step).
INTERESTED_OUTCOMES = ("interested", "enrolled")

# The funnel's steps (progress/funnels.py), each a part of the one before it.
FUNNEL_STEPS = {
    "contacted": _l("Households contacted"),
    "interested": _l("of them, interested"),
    "enrolled": _l("of them, enrolled"),
}

# Calendar periods whose counts progress.summary keeps ready; other periods are counted live.
SUMMARY_KINDS = ("month", "quarter", "year")
SUMMARY_SUBJECTS = ("officer", "area")

LOCALES = {"vi": "Tiếng Việt", "en": "English"}


def in_check(column: str, codes) -> str:
    """SQL for a check constraint that keeps `column` inside a vocabulary."""
    quoted = ", ".join(f"'{code}'" for code in codes)
    return f"{column} IN ({quoted})"


# The insurer's per-person list held against the enrollments (services/reconciliation).
RECONCILIATION_STATUSES = {
    "confirmed": _l("Confirmed"),
    "mismatched": _l("Mismatched"),
    "only_insurer": _l("Only in the insurer's list"),
    "only_app": _l("Only in the app"),
    "dismissed": _l("Dismissed"),
}
# How a list row found its enrollment.
MATCH_RULES = {
    "citizen_id": _l("Personal identification number"),
    "social_insurance_number": _l("Social insurance number"),
    "name_birth_area": _l("Name, date of birth and area"),
    "manual": _l("Linked by hand"),
}
# What a supervisor decided about a row or an enrollment.
RESOLUTIONS = {
    "link": _l("Linked by hand"),
    "correct": _l("Corrected from the insurer's list"),
    "accept": _l("Difference accepted"),
    "unlink": _l("Not the same person"),
    "dismiss": _l("Dismissed"),
}
INSURER_STATUSES = ("confirmed", "mismatched", "dismissed")  # on an enrollment
# The fields of the insurer's list compared with an enrollment, in the order they are shown.
RECONCILED_FIELDS = {
    "full_name": _l("Name"),
    "birth_date": _l("Date of birth"),
    "citizen_id": _l("Personal identification number"),
    "social_insurance_number": _l("Social insurance number"),
    "area": _l("Area"),
    "paid_through": _l("Paid through"),
    "monthly_contribution": _l("Monthly contribution"),
    "state_support": _l("State support a month"),
    "collection_agent": _l("Collection agent"),
}
