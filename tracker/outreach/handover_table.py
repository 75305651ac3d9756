"""A hand-over list as a table to download: what a collection organization receives from the
supervisor's monthly review, numbered as Vietnamese lists are, with how many have enrolled."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..exports import INTEGER, Column, Table
from ..i18n import short_date
from ..models import CollectionOrg, ProspectReview, ReviewItem
from ..vocab import HOUSEHOLD_CATEGORIES, HOUSEHOLD_STATUSES


def handover_table(
    review: ProspectReview,
    organization: CollectionOrg | None,
    items: list[tuple[ReviewItem, date | None]],
) -> Table:
    columns = [
        Column(_("No."), INTEGER),
        Column(_("Ward or commune")),
        Column(_("Head of household")),
        Column(_("Address")),
        Column(_("Phone")),
        Column(_("Category")),
        Column(_("Status at review")),
        Column(_("Officer")),
        Column(_("Enrolled on")),
    ]
    rows = [
        [
            number,
            item.household.area.name,
            item.household.head_name,
            item.household.address,
            item.household.phone or "",
            str(HOUSEHOLD_CATEGORIES[item.household.category]),
            str(HOUSEHOLD_STATUSES[item.status_at_review]),
            item.officer.full_name if item.officer else "",
            enrolled,
        ]
        for number, (item, enrolled) in enumerate(items, start=1)
    ]
    enrolled_count = sum(1 for _item, enrolled in items if enrolled)
    receiver = organization.name if organization else _("(officers only)")
    return Table(
        _("Hand-over list"),
        columns,
        rows,
        covers=[
            receiver,
            _(
                "Review for %(month)s by %(name)s on %(date)s",
                month=review.month.strftime("%m/%Y"),
                name=review.supervisor.full_name,
                date=short_date(review.reviewed_at),
            ),
        ],
        total=[
            None,
            _("Total: %(count)d households", count=len(rows)),
            *([None] * 6),
            _("%(count)d enrolled", count=enrolled_count),
        ],
        file_parts=[f"{review.month:%Y-%m}", receiver],
        sheet=receiver,  # the list goes to the organization: its sheet bears its name
    )
