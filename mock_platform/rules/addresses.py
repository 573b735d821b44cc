"""Taiwan address rules: the real 縣市 → 鄉鎮市區 list and how an address is written.

The list lives in ``mock_platform/data/tw_districts.json`` (22 cities/counties, 368
districts, in postal-code order) so the mock's drop-downs, its validation and the
test fixtures all agree on one source.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

# Numeric parts carry a unit character after the number; the others are names that
# already end in their unit (e.g. 中正區, 建國里, 忠孝東路一段).
_NUMBERED = {"neighborhood": "鄰", "lane": "巷", "alley": "弄", "number": "號", "floor": "樓"}
_ORDER = (
    "city",
    "district",
    "village",
    "neighborhood",
    "street",
    "lane",
    "alley",
    "number",
    "floor",
)


@cache
def cities() -> dict[str, list[str]]:
    """Every 縣市 mapped to its 鄉鎮市區, both in conventional order; read once."""
    raw = files("mock_platform").joinpath("data", "tw_districts.json").read_text("utf-8")
    data: dict[str, list[str]] = json.loads(raw)
    return data


CITIES: dict[str, list[str]] = cities()


def is_valid_district(city: str, district: str) -> bool:
    """True when ``district`` is one of ``city``'s 鄉鎮市區 (e.g. 信義區 is in both 臺北市 and 基隆市)."""
    return district in CITIES.get(city, ())


def format_address(parts: dict[str, str]) -> str:
    """Join address parts the Taiwanese way, largest unit first, skipping empty ones.

    Keys: city, district, village, neighborhood, street, lane, alley, number, floor.
    ``{"city": "臺北市", "district": "中正區", "street": "忠孝東路一段", "number": "10",
    "floor": "5"}`` gives ``臺北市中正區忠孝東路一段10號5樓``.
    """
    pieces: list[str] = []
    for key in _ORDER:
        value = parts.get(key, "").strip()
        if not value:
            continue
        unit = _NUMBERED.get(key, "")
        # Callers sometimes pass "5樓" rather than "5"; don't write 5樓樓.
        if unit and not value.endswith(unit):
            value += unit
        pieces.append(value)
    return "".join(pieces)
