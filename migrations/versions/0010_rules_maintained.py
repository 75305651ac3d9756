"""Rules maintained: dated rules with an end, the corrected table of the law from 2016 to the
2027 poverty line, and the amounts of renewals with the months of state support they used
(docs/design.md, "Contributions and the rules of the law").

- income_basis_rules and support_rates get valid_to (exclusive, empty: in force until a later
  rule), filled so each kind follows on with no gap or overlap.
- The rows of 0001 began in 2018 and held a maximum of 27,800,000 from 2018-01-01, though the
  base salary was 1,300,000 until 2018-06-30: the table now starts on 2016-01-01 (Decree
  134/2015) with every change of the base salary and of the poverty line, the 2018 maximum split
  at 2018-07-01, the 2024 law from 2025-07-01 and the 2027 poverty line (Decree 351/2025), each
  row with its source. No state support before 2018-01-01 is a row of 0 %, not a missing row.
- enrollments.supported_months and renewals' method and amounts, filled for the rows already
  there by the rules of their date, in the order paid, so the 120-month cap counts them.

Self-contained: it reads only its own tables, so it can be re-chained after another 0008.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

SUPPORT_MONTHS_CAP = 120  # Decree 134/2015 art. 14, Decree 159/2025: at most 10 years
SUPPORTED_CHECK = 'supported_months IS NULL OR supported_months BETWEEN 0 AND 120'

# (valid_from, minimum = rural poverty line, maximum = 20 × base salary, source); 22 % always.
BASES = [
    (date(2016, 1, 1), 700_000, 23_000_000,
     "Luật BHXH 58/2014/QH13 Điều 87, NĐ 134/2015/NĐ-CP Điều 10; chuẩn nghèo nông thôn 700.000 đ "
     "(QĐ 59/2015/QĐ-TTg); lương cơ sở 1.150.000 đ (NĐ 66/2013/NĐ-CP)"),
    (date(2016, 5, 1), 700_000, 24_200_000,
     "Chuẩn nghèo nông thôn 700.000 đ (QĐ 59/2015/QĐ-TTg); lương cơ sở 1.210.000 đ "
     "(NĐ 47/2016/NĐ-CP)"),
    (date(2017, 7, 1), 700_000, 26_000_000,
     "Chuẩn nghèo nông thôn 700.000 đ (QĐ 59/2015/QĐ-TTg); lương cơ sở 1.300.000 đ "
     "(NĐ 47/2017/NĐ-CP)"),
    (date(2018, 7, 1), 700_000, 27_800_000,
     "Chuẩn nghèo nông thôn 700.000 đ (QĐ 59/2015/QĐ-TTg); lương cơ sở 1.390.000 đ "
     "(NĐ 72/2018/NĐ-CP)"),
    (date(2019, 7, 1), 700_000, 29_800_000,
     "Chuẩn nghèo nông thôn 700.000 đ (QĐ 59/2015/QĐ-TTg, đến hết 2021 theo NĐ 07/2021/NĐ-CP); "
     "lương cơ sở 1.490.000 đ (NĐ 38/2019/NĐ-CP)"),
    (date(2022, 1, 1), 1_500_000, 29_800_000,
     "Chuẩn nghèo nông thôn 1.500.000 đ giai đoạn 2022-2025 (NĐ 07/2021/NĐ-CP Điều 3); "
     "lương cơ sở 1.490.000 đ (NĐ 38/2019/NĐ-CP)"),
    (date(2023, 7, 1), 1_500_000, 36_000_000,
     "Chuẩn nghèo nông thôn 1.500.000 đ (NĐ 07/2021/NĐ-CP); lương cơ sở 1.800.000 đ "
     "(NĐ 24/2023/NĐ-CP)"),
    (date(2024, 7, 1), 1_500_000, 46_800_000,
     "Chuẩn nghèo nông thôn 1.500.000 đ (NĐ 07/2021/NĐ-CP); lương cơ sở 2.340.000 đ "
     "(NĐ 73/2024/NĐ-CP)"),
    (date(2025, 7, 1), 1_500_000, 46_800_000,
     "Luật BHXH 41/2024/QH15 Điều 31, 36; chuẩn nghèo 1.500.000 đ (NĐ 07/2021, đến 31/12/2026 "
     "theo NĐ 351/2025/NĐ-CP); mức tham chiếu = lương cơ sở 2.340.000 đ (NĐ 73/2024)"),
    (date(2027, 1, 1), 2_200_000, 46_800_000,
     "Luật BHXH 41/2024/QH15 Điều 31, 36; chuẩn nghèo nông thôn 2.200.000 đ giai đoạn 2027-2030 "
     "(NĐ 351/2025/NĐ-CP); mức tham chiếu = lương cơ sở 2.340.000 đ (NĐ 73/2024/NĐ-CP)"),
]
CATEGORIES = ("poor", "near_poor", "ethnic_minority", "other")
# (valid_from, {category: percent of the minimum contribution}, source)
SUPPORT = [
    (date(2016, 1, 1), dict.fromkeys(CATEGORIES, 0),
     "NĐ 134/2015/NĐ-CP Điều 14: Nhà nước hỗ trợ tiền đóng từ ngày 01/01/2018"),
    (date(2018, 1, 1), {"poor": 30, "near_poor": 25, "ethnic_minority": 10, "other": 10},
     "NĐ 134/2015/NĐ-CP Điều 14: hộ nghèo 30 %, hộ cận nghèo 25 %, đối tượng khác 10 %"),
    (date(2025, 7, 1), {"poor": 50, "near_poor": 40, "ethnic_minority": 30, "other": 20},
     "NĐ 159/2025/NĐ-CP: hộ nghèo 50 %, hộ cận nghèo 40 %, người dân tộc thiểu số 30 %, "
     "đối tượng khác 20 %"),
]
# What 0001 loaded, for the downgrade.
ORIGINAL_BASES = [
    (date(2018, 1, 1), 700_000, 27_800_000,
     "Decree 134/2015; poverty line 2016-2021 (Decision 59/2015); base salary 1,390,000"),
    (date(2019, 7, 1), 700_000, 29_800_000, "Base salary 1,490,000 (Decree 38/2019)"),
    (date(2022, 1, 1), 1_500_000, 29_800_000, "Rural poverty line 2022-2025 (Decree 07/2021)"),
    (date(2023, 7, 1), 1_500_000, 36_000_000, "Base salary 1,800,000 (Decree 24/2023)"),
    (date(2024, 7, 1), 1_500_000, 46_800_000, "Base salary 2,340,000 (Decree 73/2024)"),
]
ORIGINAL_SUPPORT = [
    (date(2018, 1, 1), {"poor": 30, "near_poor": 25, "ethnic_minority": 10, "other": 10},
     "Decree 134/2015"),
    (date(2025, 7, 1), {"poor": 50, "near_poor": 40, "ethnic_minority": 30, "other": 20},
     "Decree 159/2025"),
]
PERIODS = {1: "1", 3: "3", 6: "6", 12: "12"}

bases_t = sa.table("income_basis_rules", sa.column("id", sa.Integer),
                   sa.column("valid_from", sa.Date), sa.column("valid_to", sa.Date),
                   sa.column("contribution_percent", sa.Integer),
                   sa.column("minimum_basis", sa.Integer), sa.column("maximum_basis", sa.Integer),
                   sa.column("source", sa.String))
rates_t = sa.table("support_rates", sa.column("id", sa.Integer),
                   sa.column("valid_from", sa.Date), sa.column("valid_to", sa.Date),
                   sa.column("category", sa.String), sa.column("percent", sa.Integer),
                   sa.column("source", sa.String))
enrollments_t = sa.table("enrollments", sa.column("id", sa.Integer),
                         sa.column("citizen_id", sa.String), sa.column("enrolled_on", sa.Date),
                         sa.column("scheme", sa.String), sa.column("category", sa.String),
                         sa.column("income_basis", sa.Integer),
                         sa.column("months_paid", sa.Integer),
                         sa.column("monthly_state_support", sa.Integer),
                         sa.column("supported_months", sa.Integer),
                         sa.column("deleted_at", sa.DateTime))
renewals_t = sa.table("renewals", sa.column("id", sa.Integer),
                      sa.column("enrollment_id", sa.Integer), sa.column("renewed_on", sa.Date),
                      sa.column("months", sa.Integer), sa.column("method", sa.String),
                      sa.column("income_basis", sa.Integer),
                      sa.column("monthly_contribution", sa.Integer),
                      sa.column("monthly_state_support", sa.Integer),
                      sa.column("supported_months", sa.Integer))


def upgrade():
    with op.batch_alter_table('income_basis_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch_op.create_check_constraint('validity', 'valid_to IS NULL OR valid_to > valid_from')
    with op.batch_alter_table('support_rates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch_op.create_check_constraint('validity', 'valid_to IS NULL OR valid_to > valid_from')
    _correct_rules()
    if op.get_bind().dialect.name == 'sqlite':
        # Batch mode would copy enrollments and DROP the old table, which SQLite refuses once
        # renewals reference its rows (foreign keys are on): add the column with its check.
        op.execute(f"ALTER TABLE enrollments ADD COLUMN supported_months INTEGER "
                   f"CONSTRAINT ck_enrollments_supported_months CHECK ({SUPPORTED_CHECK})")
    else:
        with op.batch_alter_table('enrollments', schema=None) as batch_op:
            batch_op.add_column(sa.Column('supported_months', sa.Integer(), nullable=True))
            batch_op.create_check_constraint('supported_months', SUPPORTED_CHECK)
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('income_basis', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('monthly_contribution', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('monthly_state_support', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('supported_months', sa.Integer(), nullable=True))
    _fill_payments()
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.alter_column('method', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_check_constraint(
            'method',
            "method IN ('1', '3', '6', '12', 'lump_sum', 'back_payment')")
        batch_op.create_check_constraint('income_basis', 'income_basis IS NULL OR income_basis > 0')
        batch_op.create_check_constraint('supported_months', SUPPORTED_CHECK)


def _correct_rules():
    """Upsert the table above by date, drop 0001's wrong 2018-01-01 maximum, then chain valid_to.
    Rows an office added by hand on other dates are kept and chained with the rest."""
    connection = op.get_bind()
    for valid_from, minimum, maximum, source in BASES:
        values = {"contribution_percent": 22, "minimum_basis": minimum,
                  "maximum_basis": maximum, "source": source}
        done = connection.execute(bases_t.update().where(bases_t.c.valid_from == valid_from)
                                  .values(**values))
        if done.rowcount == 0:
            connection.execute(bases_t.insert().values(valid_from=valid_from, **values))
    connection.execute(bases_t.delete().where(bases_t.c.valid_from == date(2018, 1, 1),
                                              bases_t.c.maximum_basis == 27_800_000))
    for valid_from, percents, source in SUPPORT:
        for category, percent in percents.items():
            done = connection.execute(
                rates_t.update()
                .where(rates_t.c.valid_from == valid_from, rates_t.c.category == category)
                .values(percent=percent, source=source))
            if done.rowcount == 0:
                connection.execute(rates_t.insert().values(
                    valid_from=valid_from, category=category, percent=percent, source=source))
    _chain(connection, bases_t, None)
    for category in CATEGORIES:
        _chain(connection, rates_t, rates_t.c.category == category)


def _chain(connection, table, condition):
    """Each row ends where the next begins; the last stays open."""
    query = sa.select(table.c.id, table.c.valid_from).order_by(table.c.valid_from)
    if condition is not None:
        query = query.where(condition)
    rows = connection.execute(query).all()
    for (row_id, _), following in zip(rows, rows[1:] + [None]):
        connection.execute(table.update().where(table.c.id == row_id)
                           .values(valid_to=following[1] if following else None))


def _half_up(amount, percent):
    return (amount * percent + 50) // 100


def _fill_payments():
    """Supported months of enrollments (all their months under the cap: an enrollment is a
    person's first payment) in one statement; then renewals' method and amounts by the rules of
    their date, person by person (citizen ID, else the enrollment) in the order they were paid.
    Only enrollments with renewals are read into memory."""
    connection = op.get_bind()
    e = enrollments_t.c
    connection.execute(enrollments_t.update().values(supported_months=sa.case(
        (e.monthly_state_support.is_(None), None),
        (sa.and_(e.monthly_state_support > 0, e.months_paid > SUPPORT_MONTHS_CAP),
         SUPPORT_MONTHS_CAP),
        (sa.and_(e.monthly_state_support > 0, e.months_paid.is_not(None)), e.months_paid),
        else_=0)))
    renewals = connection.execute(
        sa.select(renewals_t).order_by(renewals_t.c.renewed_on, renewals_t.c.id)).all()
    if not renewals:
        return
    bases = connection.execute(sa.select(
        bases_t.c.valid_from, bases_t.c.valid_to, bases_t.c.contribution_percent,
        bases_t.c.minimum_basis, bases_t.c.maximum_basis)).all()
    rates = connection.execute(sa.select(
        rates_t.c.valid_from, rates_t.c.valid_to, rates_t.c.category, rates_t.c.percent)).all()

    def in_force(rows, day):
        return next((r for r in rows if r.valid_from <= day and
                     (r.valid_to is None or day < r.valid_to)), None)

    ids = sorted({r.enrollment_id for r in renewals})
    enrollments = {}
    for chunk in range(0, len(ids), 500):
        for row in connection.execute(sa.select(enrollments_t)
                                      .where(e.id.in_(ids[chunk:chunk + 500]))):
            enrollments[row.id] = row
    used = {}
    for enrollment in enrollments.values():
        person = enrollment.citizen_id or f"enrollment-{enrollment.id}"
        if enrollment.deleted_at is None:
            used[person] = used.get(person, 0) + (enrollment.supported_months or 0)
    for row in renewals:
        enrollment = enrollments[row.enrollment_id]
        person = enrollment.citizen_id or f"enrollment-{enrollment.id}"
        values = {"method": PERIODS.get(row.months, "lump_sum")}
        basis = in_force(bases, row.renewed_on)
        rate = in_force([r for r in rates if r.category == enrollment.category], row.renewed_on)
        if enrollment.scheme == "voluntary_si" and basis is not None and rate is not None:
            chosen = min(max(enrollment.income_basis or 0, basis.minimum_basis),
                         basis.maximum_basis)
            support = _half_up(_half_up(basis.minimum_basis, basis.contribution_percent),
                               rate.percent)
            left = max(SUPPORT_MONTHS_CAP - used.get(person, 0), 0)
            supported = min(row.months, left) if support > 0 else 0
            values.update(income_basis=chosen,
                          monthly_contribution=_half_up(chosen, basis.contribution_percent),
                          monthly_state_support=support, supported_months=supported)
            if enrollment.deleted_at is None:
                used[person] = used.get(person, 0) + supported
        connection.execute(renewals_t.update().where(renewals_t.c.id == row.id).values(**values))


def downgrade():
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_renewals_supported_months'), type_='check')
        batch_op.drop_constraint(op.f('ck_renewals_income_basis'), type_='check')
        batch_op.drop_constraint(op.f('ck_renewals_method'), type_='check')
        batch_op.drop_column('supported_months')
        batch_op.drop_column('monthly_state_support')
        batch_op.drop_column('monthly_contribution')
        batch_op.drop_column('income_basis')
        batch_op.drop_column('method')
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        op.execute("ALTER TABLE enrollments DROP COLUMN supported_months")
    else:
        with op.batch_alter_table('enrollments', schema=None) as batch_op:
            batch_op.drop_constraint(op.f('ck_enrollments_supported_months'), type_='check')
            batch_op.drop_column('supported_months')
    connection.execute(bases_t.delete())
    connection.execute(rates_t.delete())
    connection.execute(bases_t.insert(), [
        {"valid_from": valid_from, "contribution_percent": 22, "minimum_basis": minimum,
         "maximum_basis": maximum, "source": source}
        for valid_from, minimum, maximum, source in ORIGINAL_BASES])
    connection.execute(rates_t.insert(), [
        {"valid_from": valid_from, "category": category, "percent": percent, "source": source}
        for valid_from, percents, source in ORIGINAL_SUPPORT
        for category, percent in percents.items()])
    with op.batch_alter_table('support_rates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_support_rates_validity'), type_='check')
        batch_op.drop_column('valid_to')
    with op.batch_alter_table('income_basis_rules', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_income_basis_rules_validity'), type_='check')
        batch_op.drop_column('valid_to')
