"""The API's contract as pydantic models (docs/design.md, "The API"): what each operation
reads and answers, published as OpenAPI 3.1 at /api/v1/openapi.json by tracker/api/spec.py.
The views still read their input themselves, with the field messages the contract promises;
schemathesis (tests/test_api_contract.py) holds the views and these models to each other."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from ..parsing import DB_INT_MAX

Number = float | None  # a figure that may be unknown (no target, no pace yet)
# Query parameters are absent or a value: a query string has no null.
QText = str | SkipJsonSchema[None]
QDay = date | SkipJsonSchema[None]
QWhole = int | SkipJsonSchema[None]


def _without_null_defaults(schema: dict) -> None:
    for prop in schema.get("properties", {}).values():
        if prop.get("default", "") is None:
            del prop["default"]


class _Query(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra=_without_null_defaults)


class ErrorBody(BaseModel):
    code: str = Field(description="malformed_json, invalid, forbidden, not_found, wrong_user, …")
    message: str = Field(description="What went wrong, in the user's language.")
    fields: dict[str, str] = Field(description="Each bad field and what it must be.")


class ErrorResponse(BaseModel):
    """Every 4xx and 5xx of the API."""

    error: ErrorBody


class PeriodOut(BaseModel):
    start: date
    end: date


class AreaRef(BaseModel):
    id: int
    code: str
    name: str


class MeOut(BaseModel):
    id: int
    username: str
    full_name: str
    role: str
    areas: list[AreaRef] = Field(description="The wards and communes this user logs in.")


class PeriodQuery(_Query):
    period: QText = Field(None, description="2024, 2024-Q1 or 2024-03.")
    from_: QDay = Field(None, alias="from", description="First day, with `to`.")
    to: QDay = Field(None, description="Last day, with `from`.")


class ProgressQuery(PeriodQuery):
    officer: QText = Field(None, description="An officer id, or `me` (the default).")
    scheme: QText = Field(None, description="voluntary_si (default) or household_hi.")


class MetricOut(BaseModel):
    target: Number
    actual: float
    attainment: Number
    expected: Number
    pace: str | None = Field(description="ahead, on_track, behind, or null.")
    forecast: Number
    needed_per_day: Number
    baseline: int | None = Field(None, description="Stock metrics only.")
    growth_attainment: Number = Field(None, description="Stock metrics only.")


class OfficerRef(BaseModel):
    id: int
    name: str


class ProgressOut(BaseModel):
    officer: OfficerRef
    period: PeriodOut
    scheme: str
    metrics: dict[str, MetricOut]


class TargetIn(BaseModel):
    subject: str = Field(description="officer, area or collection_org.")
    id: int = Field(ge=0, le=DB_INT_MAX, description="The subject's id.")
    metric: str
    period: str = Field(description="2024, 2024-Q1 or 2024-03.")
    value: int = Field(ge=0, le=DB_INT_MAX)
    note: str | None = None
    scheme: str | None = Field(None, description="voluntary_si (default) or household_hi.")


class TargetOut(BaseModel):
    id: int
    subject: str
    subject_id: int | None
    metric: str
    scheme: str
    value: int
    period: PeriodOut
    set_by: int | None
    set_at: datetime
    note: str


class BoardQuery(PeriodQuery):
    metric: QText = None
    scheme: QText = Field(None, description="voluntary_si (default) or household_hi.")


class AreaBoardQuery(BoardQuery):
    units: QText = Field(None, description="period (default) or current.")
    parent: QText = Field(None, description="The code of the unit whose children rank.")
    office: QText = Field(None, description="The code of an office.")


class BoardTotal(BaseModel):
    name: str | None
    target: Number
    actual: float
    attainment: Number
    growth_attainment: Number


class BoardRow(BaseModel):
    """A ranked officer or unit; an area board's rows also carry participants, growth,
    coverage and the flows."""

    model_config = ConfigDict(extra="allow")

    rank: int | None
    id: int | None
    code: str | None
    name: str
    target: Number
    actual: float
    attainment: Number
    expected: Number
    pace: str | None
    forecast: Number
    growth_attainment: Number
    baseline: int | None


class BoardOut(BaseModel):
    period: PeriodOut
    metric: str
    scheme: str
    total: BoardTotal
    rows: list[BoardRow]


class AreaBoardOut(BoardOut):
    units: str


class AreasQuery(_Query):
    on: QDay = Field(None, description="The day (YYYY-MM-DD); today by default.")


class AreaOut(BaseModel):
    id: int
    code: str
    name: str
    kind: str
    parent: int | None
    valid_from: date | None
    valid_to: date | None
    predecessors: list[int]
    successors: list[int]


class AreasOut(BaseModel):
    on: date
    rows: list[AreaOut]


class PickerQuery(_Query):
    q: QText = Field(None, max_length=100, description="Words of a name; accents ignored.")
    office: QWhole = Field(
        None, ge=1, le=DB_INT_MAX, description="An office id: its areas and teams only."
    )
    on: QDay = Field(None, description="The day whose units are offered; today by default.")


class PickerItem(BaseModel):
    kind: str = Field(description="office, area or team: the board filter it sets.")
    id: int
    name: str
    code: str | None
    office: int | None = Field(description="The office the area or team belongs to, if any.")
    office_name: str | None


class PickerOut(BaseModel):
    q: str
    on: date
    office: int | None
    offices: list[PickerItem] = Field(description="At most 20 of each kind, in Vietnamese order.")
    areas: list[PickerItem]
    teams: list[PickerItem]


class ContributionQuery(_Query):
    on: QDay = Field(None, description="The day the rules apply; today by default.")
    category: QText = Field(None, description="An enrollment category (default other).")
    payment_period: QText = Field(None, description="1, 3, 6, 12, lump_sum, back_payment.")
    income_basis: QWhole = Field(None, ge=0, le=10**15, description="Đồng a month.")
    months: QWhole = Field(None, ge=0, le=10**15)
    support_used: QWhole = Field(None, ge=0, le=10**15, description="Months supported.")


class ContributionOut(BaseModel):
    monthly_contribution: int
    state_support: int
    participant_pays: int
    months: int | None
    amount_due: int
    source: str


class NewHouseholdIn(BaseModel):
    head_name: str
    address: str | None = None
    phone: str | None = None
    category: str | None = None
    different_person: bool | None = Field(
        None, description="True: the officer checked the likely duplicates and this is new."
    )


class ContactIn(BaseModel):
    client_token: str = Field(description="The client's id for this record: a replay is a 200.")
    area: int
    household: int | None = None
    contacted_on: date
    channel: str
    outcome: str
    people_reached: int
    follow_up_on: date | None = None
    notes: str | None = None
    session: int | None = None
    new_household: NewHouseholdIn | None = None


class ContactOut(BaseModel):
    id: int
    client_token: str | None
    officer: int
    area: int
    household: int | None
    contacted_on: date
    channel: str
    outcome: str
    people_reached: int
    follow_up_on: date | None
    notes: str | None
    household_status: str | None


class EnrollmentIn(BaseModel):
    client_token: str
    area: int
    household: int | None = None
    participant_name: str
    enrolled_on: date
    scheme: str
    category: str
    citizen_id: str | None = None
    birth_date: date | None = None
    social_insurance_number: str | None = None
    income_basis: int | None = None
    payment_period: str | None = None
    months_paid: int | None = None
    collection_org: int | None = None
    session: int | None = None


class EnrollmentOut(BaseModel):
    id: int
    client_token: str | None
    officer: int
    area: int
    household: int | None
    participant_name: str
    citizen_id: str | None
    birth_date: date | None
    social_insurance_number: str | None
    enrolled_on: date
    scheme: str
    category: str
    income_basis: int | None
    payment_period: str | None
    paid_through_on: date | None
    months_paid: int | None
    monthly_contribution: int | None
    monthly_state_support: int | None
    supported_months: int | None
    amount_due: int | None
    collection_org: int | None


class HouseholdQuery(_Query):
    q: QText = Field(None, description="Part of the head's name, address or phone.")
    area: QWhole = Field(None, description="A ward's id.")


class HouseholdOut(BaseModel):
    id: int
    head_name: str
    address: str | None
    area: int
    area_name: str
    status: str
    category: str | None


class HouseholdsOut(BaseModel):
    households: list[HouseholdOut]


class DuplicateQuery(_Query):
    name: QText = Field(None, description="The new household head's name.")
    phone: QText = None
    address: QText = None
    area: QWhole = Field(None, description="The ward the new household is in.")


class LikelyDuplicateOut(HouseholdOut):
    reasons: list[str] = Field(description="name, phone or address: what it shares.")


class DuplicatesOut(BaseModel):
    households: list[LikelyDuplicateOut]
