"""Where a household of a split unit goes, proposed from what is known without a network: the
successor its address names, else the official default for the old unit (vietnamadminunits, whose
conversion of a full street address would ask an online geocoder, so only the unit is given),
else the successor with the largest share. The user may choose otherwise before applying."""

from __future__ import annotations

import re
from functools import lru_cache

from ...models import Area
from ...text import fold

_PREFIXES = re.compile(r"^(phuong|xa|thi tran|dac khu|thanh pho|thi xa|huyen|quan|tinh) ")


def bare(name: str) -> str:
    """'Phường Cam Đường' → 'cam duong': the name without its kind, folded."""
    return _PREFIXES.sub("", fold(name))


def propose_successor(
    area: Area, address: str, names: dict[str, str], largest: str
) -> tuple[str, str]:
    """(successor code, reason) for a household of `area`, among `names` {code: name}."""
    folded = f" {fold(address)} "
    named = [code for code, name in names.items() if f" {bare(name)} " in folded]
    if len(named) == 1:
        return named[0], "address"
    official = _official_successor(_full_name(area))
    matching = [code for code, name in names.items() if official and bare(name) == bare(official)]
    if len(matching) == 1:
        return matching[0], "official"
    return largest, "largest_share"


def _full_name(area: Area) -> str:
    parts, current = [], area
    while current is not None:
        parts.append(current.name)
        current = current.parent
    return ", ".join(parts)


@lru_cache(maxsize=512)
def _official_successor(full_name: str) -> str | None:
    """The new ward the official conversion gives for an old one, or None when the package
    does not know it."""
    try:
        from vietnamadminunits import convert_address
    except ImportError:  # pragma: no cover - a pinned dependency
        return None
    try:
        return convert_address(full_name).ward or None
    except Exception:  # noqa: BLE001 - an address it cannot parse proposes nothing
        return None
