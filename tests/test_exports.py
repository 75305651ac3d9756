"""Every download the app offers (the three leaderboards and the hand-over lists), as a
Vietnamese or an English office opens it: the CSV in the dialect of the reader's language, read
back with that dialect, the XLSX with numbers as numbers, titles, totals, markers and file
names in the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.factories import (
    make_area,
    make_city,
    make_enrollment,
    make_household,
    make_officer,
    make_org,
    make_user,
)
from tracker import exports
from tracker.extensions import db
from tracker.models import ParticipantCount
from tracker.periods import parse
from tracker.services import reviews
from tracker.services.targets import TargetChange, set_target

HEADER = 3  # rows before the header: the title, what it covers, a blank row


@pytest.fixture(autouse=True)
def _in_2023(targets_today):
    targets_today(date(2023, 1, 1))  # the targets of 2024 are still open


@pytest.fixture
def office(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city, code="02647")
    db.session.add(ParticipantCount(area_id=ward.id, as_of=date(2023, 12, 31), participants=462))
    chief = make_user("chief", "supervisor", full_name="Trần Văn Bình")
    other_chief = make_user("chief2", "supervisor")
    an = make_officer("an", supervisor=chief, areas=[ward], full_name="An")
    binh = make_officer("binh", supervisor=chief, areas=[ward], full_name="Bình")
    make_officer("chi", supervisor=other_chief, areas=[ward], full_name="Chi")
    make_user("leader", "leader")
    set_target(chief, TargetChange("officer", an.id, "new_participants", parse("2024"), 4))
    set_target(chief, TargetChange("officer", binh.id, "new_participants", parse("2024"), 3))
    for day in (1, 2):
        make_enrollment(an, ward, date(2024, 3, day))
    make_enrollment(binh, ward, date(2024, 3, 3))
    return city, ward, chief, an, binh


def read_csv(response, delimiter: str) -> list[list[str]]:
    assert response.data.startswith("\ufeff".encode())  # Excel then reads UTF-8
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=delimiter))


def number(text: str, decimal: str) -> float:
    """A CSV cell as the dialect's Excel reads it back."""
    return float(text.rstrip("%").replace(decimal, "."))


def names_of(response) -> tuple[str, str | None]:
    """(the ASCII file name, the name in the reader's language from filename*)."""
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    plain = disposition.split('filename="')[1].split('"')[0]
    assert plain.isascii()
    if "filename*=UTF-8''" not in disposition:
        return plain, None
    return plain, unquote(disposition.split("filename*=UTF-8''")[1])


def in_english(client):
    client.post("/language", data={"locale": "en", "next": "/"})


def test_vietnamese_csv_has_semicolons_decimal_commas_title_and_total(office, client, auth):
    auth.login("leader")
    response = client.get("/boards/officers.csv?period=2024")
    assert response.content_type == "text/csv; charset=utf-8"
    rows = read_csv(response, ";")
    assert rows[0] == ["Bảng xếp hạng cán bộ"]
    covers = rows[1][0]
    assert covers.startswith("Kỳ 2024 · BHXH tự nguyện · Người tham gia mới · tất cả cán bộ")
    assert "xuất lúc " in covers and rows[2] == []
    header = rows[HEADER]
    assert header[:2] == ["Hạng", "Cán bộ"] and "Tỷ lệ vận động thành công" in header
    an = rows[HEADER + 1]
    column = {name: index for index, name in enumerate(header)}
    assert an[column["Cán bộ"]] == "An" and an[column["Thực hiện"]] == "2"
    assert an[column["Tỷ lệ hoàn thành"]] == "50,0%"  # Excel in Vietnamese reads 0,5
    assert number(an[column["Tỷ lệ hoàn thành"]], ",") == 50.0
    total = rows[HEADER + 4]  # An, Bình, Chi, then the total
    assert total[column["Cán bộ"]] == "Tổng cộng (3 cán bộ)"
    assert (total[column["Chỉ tiêu"]], total[column["Thực hiện"]]) == ("7", "3")
    assert total[column["Tỷ lệ hoàn thành"]] == "42,9%"
    assert rows[-1] == [
        "Tỷ lệ vận động thành công: số người tham gia mới trên số hộ đã được tuyên truyền,"
        " vận động."
    ]
    # Read with the English dialect, the Vietnamese file is one cell a line: the dialect matters.
    assert read_csv(response, ",")[HEADER][0].startswith("Hạng;Cán bộ;")


def test_english_csv_has_commas_and_decimal_points(office, client, auth):
    auth.login("leader")
    in_english(client)
    rows = read_csv(client.get("/boards/officers.csv?period=2024"), ",")
    assert rows[0] == ["Officer leaderboard"] and rows[1][0].startswith("Period 2024 · ")
    column = {name: index for index, name in enumerate(rows[HEADER])}
    assert rows[HEADER + 1][column["Attainment"]] == "50.0%"
    assert number(rows[HEADER + 4][column["Attainment"]], ".") == pytest.approx(42.9)
    assert rows[HEADER + 4][column["Officer"]] == "Total (3 officers)"


def test_xlsx_numbers_are_numbers_with_formats_and_the_sheet_is_named(office, client, auth):
    auth.login("leader")
    response = client.get("/boards/officers.xlsx?period=2024")
    assert response.content_type == exports.MEDIA_TYPES["xlsx"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Bảng xếp hạng cán bộ"]
    sheet = book.active
    assert sheet["A1"].value == "Bảng xếp hạng cán bộ" and sheet["A1"].font.bold
    assert sheet["A2"].value.startswith("Kỳ 2024 · BHXH tự nguyện")
    header = [cell.value for cell in sheet[HEADER + 1]]
    assert header[1] == "Cán bộ" and sheet.cell(HEADER + 1, 2).font.bold
    assert sheet.freeze_panes == "A5"
    an = sheet[HEADER + 2]
    actual, attainment = an[header.index("Thực hiện")], an[header.index("Tỷ lệ hoàn thành")]
    assert actual.value == 2 and actual.number_format == "#,##0"
    assert attainment.value == 0.5 and attainment.number_format == "0.0%"
    total = sheet[HEADER + 5]
    assert total[1].value == "Tổng cộng (3 cán bộ)" and total[1].font.bold
    assert total[header.index("Chỉ tiêu")].value == 7
    assert total[header.index("Thực hiện")].value == 3
    in_english(client)
    english = load_workbook(io.BytesIO(client.get("/boards/officers.xlsx?period=2024").data))
    assert english.sheetnames == ["Officer leaderboard"]


def test_file_names_in_the_readers_language_with_an_ascii_one_beside(office, client, auth):
    auth.login("leader")
    assert names_of(client.get("/boards/officers.xlsx?period=2024")) == (
        "bang-xep-hang-can-bo-2024.xlsx",
        "bảng-xếp-hạng-cán-bộ-2024.xlsx",
    )
    plain, named = names_of(client.get("/boards/officers.csv?period=2024-Q1&metric=contacts"))
    assert (plain, named) == (
        "bang-xep-hang-can-bo-luot-tuyen-truyen-van-dong-2024-q1.csv",
        "bảng-xếp-hạng-cán-bộ-lượt-tuyên-truyền-vận-động-2024-q1.csv",
    )
    plain, named = names_of(client.get("/boards/areas.xlsx?period=2024&scheme=household_hi"))
    assert plain == "bang-xep-hang-xa-phuong-thi-tran-bhyt-ho-gia-dinh-2024.xlsx"
    assert named == "bảng-xếp-hạng-xã-phường-thị-trấn-bhyt-hộ-gia-đình-2024.xlsx"
    in_english(client)
    assert names_of(client.get("/boards/orgs.csv?from=2024-01-05&to=2024-03-14")) == (
        "collection-organization-leaderboard-2024-01-05_2024-03-14.csv",
        None,
    )


def test_areas_export_keeps_the_estimate_marker_and_totals_the_scope(office, client, auth):
    city, ward, *_ = office
    auth.login("leader")
    rows = read_csv(client.get(f"/boards/areas.csv?period=2024&parent={city.id}"), ";")
    assert "Thành phố Lào Cai" in rows[1][0] and "Như trong kỳ" in rows[1][0]
    column = {name: index for index, name in enumerate(rows[HEADER])}
    kim_tan = rows[HEADER + 1]
    assert kim_tan[column["Địa bàn"]] == "Kim Tân" and kim_tan[column["Mã"]] == "02647"
    assert kim_tan[column["Người tham gia"]] == "465"  # 462 counted, 3 enrolled since
    assert kim_tan[column["Ước tính"]] == "*"
    total = rows[HEADER + 2]
    assert total[column["Địa bàn"]] == "Tổng cộng: Thành phố Lào Cai"
    assert total[column["Người tham gia"]] == "465"
    assert rows[-1][0].startswith("* số ước tính")
    sheet = load_workbook(
        io.BytesIO(client.get(f"/boards/areas.xlsx?period=2024&parent={city.id}").data)
    ).active
    header = [cell.value for cell in sheet[HEADER + 1]]
    assert sheet.cell(HEADER + 2, header.index("Người tham gia") + 1).value == 465
    assert sheet.cell(HEADER + 2, header.index("Mã") + 1).value == "02647"  # a code stays text


def test_orgs_export_has_its_total(office, client, auth):
    city, ward, chief, an, binh = office
    post = make_org("Bưu điện 1/2")
    make_enrollment(an, ward, date(2024, 4, 1), collection_org_id=post.id)
    auth.login("leader")
    rows = read_csv(client.get("/boards/orgs.csv?period=2024"), ";")
    assert rows[0] == ["Bảng xếp hạng tổ chức dịch vụ thu"]
    assert rows[HEADER + 1][1] == "Bưu điện 1/2" and rows[HEADER + 1][4] == "1"
    assert rows[HEADER + 2][1] == "Tổng cộng (1 tổ chức)" and rows[HEADER + 2][4] == "1"
    book = load_workbook(io.BytesIO(client.get("/boards/orgs.xlsx?period=2024").data))
    assert book.sheetnames == ["Tổ chức dịch vụ thu"]


def test_a_supervisors_export_holds_the_team_and_totals_it(office, client, auth):
    auth.login("chief")
    rows = read_csv(client.get("/boards/officers.csv?period=2024"), ";")
    assert "chỉ các cán bộ trong tổ của bạn" in rows[1][0]
    column = {name: index for index, name in enumerate(rows[HEADER])}
    assert [row[column["Cán bộ"]] for row in rows[HEADER + 1 : -3]] == ["An", "Bình"]
    total = rows[-3]
    assert total[column["Cán bộ"]] == "Tổng cộng (2 cán bộ)"
    assert (total[column["Chỉ tiêu"]], total[column["Thực hiện"]]) == ("7", "3")


def test_an_officers_export_holds_their_own_row(office, client, auth):
    auth.login("an")
    rows = read_csv(client.get("/boards/officers.csv"), ";")
    assert "chỉ số liệu của bạn" in rows[1][0]
    assert [row[1] for row in rows[HEADER + 1 : HEADER + 3]] == ["An", "Tổng cộng (1 cán bộ)"]


def test_handover_export_numbers_households_dates_them_and_totals(office, client, auth):
    city, ward, chief, an, binh = office
    post = make_org("Bưu điện")
    first = make_household(ward, "Nguyễn Văn A")
    second = make_household(ward, "=cmd|' /C calc'!A0")
    review = reviews.record_review(
        chief, date(2024, 11, 1), [first.id, second.id], post.id, an.id, "Tháng 11"
    )
    make_enrollment(an, ward, datetime.now(UTC).date(), household=first)
    auth.login("chief")
    url = f"/handovers/{review.id}/{post.id}"
    rows = read_csv(client.get(url + ".csv"), ";")
    assert rows[0] == ["Danh sách bàn giao"] and rows[1][0].startswith("Bưu điện · ")
    assert rows[HEADER][:3] == ["STT", "Xã/phường/thị trấn", "Chủ hộ"]
    by_name = {row[2]: row for row in rows[HEADER + 1 : HEADER + 3]}
    assert by_name["Nguyễn Văn A"][0] in {"1", "2"}
    assert by_name["Nguyễn Văn A"][-1] == datetime.now(UTC).date().strftime("%d/%m/%Y")
    assert "'=cmd|' /C calc'!A0" in by_name  # a formula is text, never run
    assert rows[HEADER + 3][1] == "Tổng cộng: 2 hộ" and rows[HEADER + 3][-1] == "1 hộ đã tham gia"
    plain, named = names_of(client.get(url + ".csv"))
    assert plain == "danh-sach-ban-giao-2024-11-buu-dien.csv"
    assert named == "danh-sách-bàn-giao-2024-11-bưu-điện.csv"
    sheet = load_workbook(io.BytesIO(client.get(url + ".xlsx").data)).active
    dates = [sheet.cell(row, 9).value for row in (HEADER + 2, HEADER + 3)]
    assert any(isinstance(value, datetime) for value in dates)
    assert sheet.cell(HEADER + 2, 1).value == 1 and sheet.cell(HEADER + 2, 9).number_format
    in_english(client)
    english = read_csv(client.get(url + ".csv"), ",")
    enrolled = [row[-1] for row in english[HEADER + 1 : HEADER + 3] if row[-1]]
    assert enrolled == [datetime.now(UTC).date().isoformat()]  # ISO: no day-month confusion


def test_formulas_are_neutralised_in_csv_and_xlsx(office, client, auth):
    city, ward, chief, *_ = office
    make_officer("evil", supervisor=chief, full_name='=HYPERLINK("http://x")')
    auth.login("leader")
    text = client.get("/boards/officers.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ';"=HYPERLINK' not in text
    sheet = load_workbook(io.BytesIO(client.get("/boards/officers.xlsx").data)).active
    names = [cell.value for cell in sheet["B"]]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(not str(name).startswith("=") for name in names if name)


@pytest.mark.parametrize(
    "value,kind,vi,en",
    [
        (1234567, exports.INTEGER, "1234567", "1234567"),  # no group separator in any dialect
        (-3, exports.SIGNED, "-3", "-3"),  # a negative number is a number, not a formula
        (3, exports.SIGNED, "+3", "+3"),
        (0, exports.SIGNED, "0", "0"),
        (12.5, exports.DECIMAL, "12,5", "12.5"),
        (120.0, exports.DECIMAL, "120", "120"),
        (0.6875, exports.PERCENT, "68,8%", "68.8%"),
        (None, exports.PERCENT, "", ""),
        (date(2024, 3, 5), exports.TEXT, "05/03/2024", "2024-03-05"),
        ("-1", exports.TEXT, "'-1", "'-1"),
    ],
)
def test_cells_in_each_dialect(value, kind, vi, en):
    assert exports.csv_value(value, kind, exports.DIALECTS["vi"]) == vi
    assert exports.csv_value(value, kind, exports.DIALECTS["en"]) == en


def test_content_disposition_is_plain_ascii_when_the_name_is():
    assert exports.content_disposition("officers-2024.csv") == (
        'attachment; filename="officers-2024.csv"'
    )
    assert exports.content_disposition("đồng-tuyển.xlsx") == (
        'attachment; filename="dong-tuyen.xlsx"; '
        "filename*=UTF-8''%C4%91%E1%BB%93ng-tuy%E1%BB%83n.xlsx"
    )
