"""A province's units and its 2025 reorganisation from the maintained official packages, not
typed by hand: today's 34 provinces and 3,321 wards, communes and special zones with their
official codes from `vietnam-provinces`; the units of 2008–2025 (63 provinces, their districts
and wards, with the codes of that system) and which old unit became which new one from
`vietnamadminunits`. Both are pinned in requirements.txt; a newer release is loaded by
`flask --app app areas load` again, which adds and renames what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ...text import fold
from .mapping import FULL_SHARE, MappingRow

EFFECTIVE_ON = date(2025, 7, 1)  # Resolution 202/2025/QH15 and the communes' resolutions
SOURCE = "Nghị quyết 202/2025/QH15 và các nghị quyết sắp xếp đơn vị hành chính cấp xã 2025"
OLD_KINDS = {
    "Quận": "district",
    "Huyện": "district",
    "Thành phố": "city",
    "Thị xã": "town",
    "Phường": "ward",
    "Xã": "commune",
    "Thị trấn": "township",
}
NEW_KINDS = {
    "tỉnh": "province",
    "thành phố trung ương": "province",
    "phường": "ward",
    "xã": "commune",
    "đặc khu": "special_zone",
}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str
    parent: str  # the parent's code, "" for a province


@dataclass(frozen=True)
class Catalogue:
    """One province as the packages describe it: today's units, the old units it came from
    (parents first), and the mapping between them."""

    province: Unit
    units: tuple[Unit, ...]
    old_units: tuple[Unit, ...]
    mapping: tuple[MappingRow, ...]
    release: str


class CatalogueError(ValueError):
    def __init__(self, code: str, name: str = ""):
        super().__init__(code)
        self.code = code
        self.name = name


def releases() -> str:
    from importlib.metadata import version

    return (
        f"vietnam-provinces {version('vietnam-provinces')}, "
        f"vietnamadminunits {version('vietnamadminunits')}"
    )


def official_catalogue(province_name: str) -> Catalogue:
    """The catalogue of one of today's provinces, named as people write it ("Lào Cai", "Tỉnh
    Lào Cai", "lao cai")."""
    from vietnam_provinces import Province, VietNamDivisionType, Ward

    wanted = fold(province_name).removeprefix("tinh ").removeprefix("thanh pho ")
    found = [p for p in Province.iter_all() if fold(p.name).removeprefix("thanh pho ") == wanted]
    if len(found) != 1:
        raise CatalogueError("unknown_province", province_name)
    official = found[0]
    province_code = f"{int(official.code):02d}"
    prefix = "Tỉnh " if official.division_type == VietNamDivisionType.TINH else ""
    province = Unit(province_code, prefix + official.name, "province", "")
    units = tuple(
        Unit(f"{int(w.code):05d}", w.name, NEW_KINDS[w.division_type.value], province_code)
        for w in sorted(Ward.iter_by_province(official.code), key=lambda w: int(w.code))
    )
    old_units, mapping = _history(province_code, units)
    return Catalogue(province, units, old_units, mapping, releases())


def _history(province_code: str, units: tuple[Unit, ...]):
    """The old units of the provinces merged into this one, and the mapping rows."""
    data, legacy, new_wards = _converter()
    new_key = next(key for key, code in new_wards["provinces"].items() if code == province_code)
    old_keys = data["DICT_PROVINCE"][new_key]
    old_rows = [row for row in legacy.values() if row["provinceKey"] in old_keys]
    old_units: dict[str, Unit] = {}
    for row in sorted(
        old_rows, key=lambda r: (r["provinceCode"], r["districtCode"], r["wardCode"] or "")
    ):
        province = Unit(row["provinceCode"], row["province"], "province", "")
        district = Unit(
            row["districtCode"], row["district"], OLD_KINDS[row["districtType"]], province.code
        )
        old_units.setdefault(province.code, province)
        old_units.setdefault(district.code, district)
        if row["wardCode"]:
            ward = Unit(row["wardCode"], row["ward"], OLD_KINDS[row["wardType"]], district.code)
            old_units.setdefault(ward.code, ward)
    by_name = {unit.name: unit for unit in units}
    by_code = {unit.code: unit for unit in units}

    def new_unit(ward_key: str) -> Unit:
        row = new_wards["wards"][new_key, ward_key]
        return (
            by_name.get(row["ward"])
            or by_code.get(row["wardCode"])
            or Unit(row["wardCode"], row["ward"], NEW_KINDS[row["wardType"].lower()], province_code)
        )

    def old_unit(old_key: str) -> Unit:
        row = legacy[old_key]
        return old_units[row["wardCode"] or row["districtCode"]]

    # Which new units each old one went to. Most went whole to one; some were divided, and a
    # few appear under two new units without being marked divided: all of those are splits.
    targets: dict[str, list[Unit]] = {}
    for ward_key, olds in data["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {}).items():
        for old_key in olds:
            _add_once(targets.setdefault(old_unit(old_key).code, []), new_unit(ward_key))
    for old_key, news in data["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {}).items():
        for new in news:
            _add_once(targets.setdefault(old_unit(old_key).code, []), new_unit(new["newWardKey"]))
    rows: list[MappingRow] = []
    for unit in old_units.values():
        if unit.kind == "province":
            parts = [(province_unit(province_code, units), FULL_SHARE)]
        else:
            successors = targets.get(unit.code, [])
            parts = list(zip(successors, _equal_shares(len(successors)), strict=True))
        if not parts:  # a district or city: the level is abolished, its units go on elsewhere
            rows.append(MappingRow(len(rows) + 2, unit.code, "", effective_on=EFFECTIVE_ON))
        for successor, share in parts:
            rows.append(
                MappingRow(
                    len(rows) + 2,
                    unit.code,
                    successor.code,
                    successor.name,
                    successor.kind,
                    successor.parent,
                    EFFECTIVE_ON,
                    share,
                )
            )
    return tuple(old_units.values()), tuple(rows)


def province_unit(province_code: str, units: tuple[Unit, ...]) -> Unit:
    """The new province, as the mapping names it (its units name it as their parent)."""
    from vietnam_provinces import Province, VietNamDivisionType

    official = Province.from_code(int(province_code))
    prefix = "Tỉnh " if official.division_type == VietNamDivisionType.TINH else ""
    return Unit(province_code, prefix + official.name, "province", "")


def _add_once(units: list[Unit], unit: Unit) -> None:
    if unit not in units:
        units.append(unit)


def _equal_shares(count: int) -> list[int]:
    """Basis points adding up to 100 %: the packages say where an old unit went, not how much
    of it; the written mapping can be edited before it is applied."""
    if not count:
        return []
    base = FULL_SHARE // count
    return [base + (1 if index < FULL_SHARE - base * count else 0) for index in range(count)]


@lru_cache(maxsize=1)
def _converter():
    """The converter's mapping, the old units by key, and the new units by key (read once)."""
    import json
    from importlib.resources import files

    from vietnamadminunits.database import query

    data = json.loads(
        files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8")
    )
    legacy = {
        f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}": row
        for row in query(
            "SELECT provinceKey, districtKey, wardKey, province, provinceCode, district, "
            "districtCode, districtType, ward, wardCode, wardType FROM admin_units_legacy"
        )
    }
    new_rows = query(
        "SELECT provinceKey, provinceCode, wardKey, ward, wardCode, wardType FROM admin_units"
    )
    new_wards = {
        "provinces": {row["provinceKey"]: row["provinceCode"] for row in new_rows},
        "wards": {(row["provinceKey"], row["wardKey"]): row for row in new_rows},
    }
    return data, legacy, new_wards
