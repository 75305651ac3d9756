"""What each broken rule says: one table of codes (tracker.errors.RuleBroken) to lazily
translated messages, so a code reads the same on a form, in a flash and in the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    # targets (services/targets.py, target_plans.py, targets/team.py)
    "unknown_scheme": _l("voluntary_si or household_hi."),
    "metric_not_for_subject": _l("This metric cannot be a target for this subject."),
    "period_not_on_boundaries": _l("Targets are set for a month, a quarter or a year."),
    "not_a_whole_number": _l("A whole number, please."),
    "out_of_range": _l("The value is out of range."),
    "unknown_subject": _l("Unknown officer, area or organization."),
    "target_forbidden": _l("You may not set this target."),
    "weights_not_numbers": _l("Weights must be numbers separated by semicolons."),
    "weights_wrong_count": _l("Give one non-negative weight per column, not all zero."),
    "yearly_missing": _l("Fill in the yearly target of each selected officer first."),
    "no_officer_selected": _l("Select at least one officer."),
    "plan_unreadable": _l("This preview cannot be read any more: fill the year again."),
    "value_missing": _l("Type the value to apply."),
    "unit_ended": _l("This unit no longer exists in that period."),
    "unit_not_yet": _l("This unit does not exist yet in that period."),
    "period_closed": _l(
        "This period has ended: its targets are closed. A leader can reopen them for a "
        "week, saying why."
    ),
    "unit_not_on_last_day": _l(
        "This unit does not exist on the period's last day: set the target of the unit it became."
    ),
    # prospect reviews (services/reviews.py)
    "no_household_selected": _l("Select at least one household."),
    "bad_month": _l("A month as YYYY-MM."),
    "not_yours": _l("Some households are not in your wards."),
    "unknown_org": _l("Choose an active collection organization."),
    "not_your_officer": _l("Choose an officer of your team."),
    # users (services/users.py)
    "username_taken": _l("This username is already in use."),
    "not_a_supervisor": _l("Choose a user whose role is supervisor."),
    "unknown_area": _l("Choose wards or communes from the list."),
    "primary_not_assigned": _l("The primary area must be one of the areas covered."),
    "not_the_supervisors_office": _l("An officer works in the office of their supervisor."),
    "unknown_office": _l("Choose an office from the list."),
    # areas and collection organizations (services/areas.py)
    "area_code_taken": _l("Another unit bears this code at the same time."),
    "org_name_taken": _l("Another organization already has this name."),
    "wrong_parent": _l(
        "A province stands alone; a district, city or town belongs to a province; "
        "a ward, commune or township belongs to a district, city or town, and from "
        "01/07/2025 wards, communes and special zones belong to a province."
    ),
    "parent_not_in_time": _l("The unit it belongs to must exist on every day this one does."),
    "cycle": _l("An area cannot be part of itself."),
    "children_outlive_it": _l(
        "Units under it still exist after this end: end or move them first, with a reorganisation."
    ),
    "children_before_it": _l("Units under it existed before this beginning."),
    "ends_before_it_begins": _l("The end must come after the beginning."),
    # duplicate households (services/duplicates.py)
    "not_mergeable": _l("Only two different households of the same ward can be merged."),
    # imports (services/imports.py, import_files.py, import_jobs.py, reconciliation/job.py)
    "unreadable": _l("This workbook cannot be read. Save it again as .xlsx or .csv."),
    "not_utf8": _l("The CSV is not UTF-8. In Excel, save as “CSV UTF-8”."),
    "empty": _l("The file is empty."),
    "too_many_rows": _l("At most 20.000 rows per file."),
    "too_large": _l("This workbook is too large once unpacked. Keep only the data to import."),
    "expired": _l("This preview has expired. Upload the file again."),
    "has_problems": _l("Fix the problems listed first: nothing was written."),
    "unknown_kind": _l("Unknown kind of import."),
    # field work (services/fieldwork.py, contacts.py, enrollments.py, renewals.py, sessions.py)
    "date_missing": _l("Give a date."),
    "date_in_future": _l("The date cannot be in the future."),
    "date_before_account": _l("The date is before this account was created."),
    "client_token_invalid": _l("A client token of 1 to 64 characters is required."),
    "area_not_yours": _l("Choose one of your wards or communes."),
    "area_not_on_that_day": _l(
        "%(name)s did not exist on that date: choose the ward or commune of that day."
    ),
    "household_not_in_area": _l("Choose a household of this ward or commune."),
    "required": _l("This field is required."),
    "too_long": _l("At most %(count)d characters."),
    "not_a_listed_value": _l("Choose one of the listed values."),
    "edit_window_over": _l("Records can be changed for 7 days after logging."),
    "people_reached_range": _l("From 1 to %(max)s people."),
    "attendees_range": _l("From 0 to %(max)s people."),
    "follow_up_before_contact": _l("The follow-up cannot be before the contact."),
    "session_not_in_area": _l("Choose a session held in this ward or commune."),
    "phone_invalid": _l("Digits only, at most 20."),
    "likely_already_registered": _l(
        "Likely already registered: %(households)s. Choose the household in the search, "
        "or tick “A different person” to add a new one."
    ),
    "home_visit_needs_household": _l(
        "A home visit is to a household: choose one from the search, or tick “New household”."
    ),
    "citizen_id_invalid": _l("A citizen ID has exactly 12 digits."),
    "already_enrolled": _l("This person is already enrolled."),
    "already_enrolled_in_scheme": _l("This person is already enrolled in this scheme."),
    "lump_sum_months": _l("A lump sum pays for 1 to 5 years (12 to 60 months) ahead."),
    "back_payment_months": _l("A back-payment pays for 1 to 600 months missed."),
    "back_payment_too_long": _l(
        "A back-payment covers only the months missed: at most %(months)d here."
    ),
    "nothing_missed": _l("No month was missed: the participant is paid through %(date)s."),
    "payment_method_missing": _l("Choose how the participant paid."),
    "date_before_enrollment": _l("The date cannot be before the enrollment."),
    "not_whole_dong": _l("A whole number of đồng."),
    "si_number_invalid": _l("A social insurance number has 10 digits."),
    "born_after_enrollment": _l("The date of birth comes after the enrollment."),
    "not_a_clock_time": _l("A time as HH:MM."),
    "contribution_no_rule": _l("No contribution rule covers this date."),
    "contribution_no_support_rule": _l(
        "No state support rate for this category is in force on this date."
    ),
    "contribution_income_basis_step": _l(
        "The income basis is a whole number of thousands of đồng."
    ),
    "contribution_income_basis_out_of_range": _l(
        "From %(low)s to %(high)s đồng a month on this date."
    ),
}
