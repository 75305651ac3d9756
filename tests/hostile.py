"""The classes of hostile input an outside probe used (and a few older ones), as values and as
Hypothesis strategies, and how to put them on the wire exactly as a client would.

Shared by tests/test_hostile_routes.py (every route) and tests/test_hostile_input.py."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import strategies as st

# Each class as text, as it arrives in a query string, a form field or a JSON string.
TEXT_CLASSES: dict[str, list[str]] = {
    "unicode_digits": ["²", "١٢", "１２", "߁", "𝟙𝟚"],
    "beyond_64_bits": ["2147483648", "9223372036854775808", "99999999999999999999", "-" + "9" * 30],
    "nul": ["\x00", "a\x00b"],
    "lone_surrogate": ["\ud800", "a\udfffb"],
    "near_year_one": ["0001-01-01", "0001-01", "0001", "0000-00-00", "9999-12-31"],
    "long_span": ["2000-01-01..2100-12-31", "1000-01-01", "3000-12-31"],
    "markup_and_sql": ["<script>alert(1)</script>", "'; DROP TABLE contacts; --", 'Tổ "Một"'],
    "numbers_python_accepts": [" 12 ", "1_000", "+7", "1e3", "0x10", "NaN"],
    "size": ["9" * 400, " " * 50, ""],
}
# JSON numbers and shapes beside the texts above.
JSON_EXTRAS = [2**31, 2**63, 10**20, -(2**70), 1e308, -1, 0, 3.5, True, None, [], {}, [1, 2]]

HOSTILE_TEXT = st.sampled_from([value for values in TEXT_CLASSES.values() for value in values])
JSON_VALUE = st.one_of(HOSTILE_TEXT, st.sampled_from(JSON_EXTRAS), st.text(max_size=30))


def encode(value: str) -> str:
    """Percent-encoding as a browser would send it; a lone surrogate goes as the bytes a broken
    client would send (it cannot be UTF-8)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def query_string(values: dict[str, str]) -> str:
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in values.items())


def form_body(values: dict) -> str:
    """application/x-www-form-urlencoded, lists sent as repeated fields."""
    pairs = []
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{encode(key)}={encode(str(item))}")
    return "&".join(pairs)


def json_body(values: dict) -> bytes:
    """JSON with lone surrogates escaped as \\udXXX: valid JSON text, invalid Unicode."""
    return json.dumps(values, ensure_ascii=True).encode()
