"""An address block: 縣市 and 鄉鎮市區 drop-downs, then 村/里, 鄰, 街路段, 巷, 弄, 號, 樓."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from fixtures.models import Address

PART_LABELS: dict[str, str] = {
    "village": "村/里",
    "neighborhood": "鄰",
    "street": "街路段",
    "lane": "巷",
    "alley": "弄",
    "number": "號",
    "floor": "樓",
}


class AddressBlock:
    """One address group named by its legend, e.g. 「來臺工作地址」 or 「居留地址」."""

    def __init__(self, page: Page, legend: str) -> None:
        self.page = page
        self.legend = legend
        self.root = page.get_by_role("group", name=legend, exact=True)
        self.city = page.get_by_label(f"{legend} 縣市")
        self.district = page.get_by_label(f"{legend} 鄉鎮市區")

    def part(self, key: str) -> Locator:
        return self.page.get_by_label(f"{self.legend} {PART_LABELS[key]}", exact=True)

    def fill(self, address: Address) -> None:
        self.city.select_option(address.city)
        self.district.select_option(address.district)
        for key in PART_LABELS:
            self.part(key).fill(getattr(address, key))

    def value(self) -> dict[str, str]:
        """What the block shows now, part by part."""
        shown = {"city": self.city.input_value(), "district": self.district.input_value()}
        shown.update({key: self.part(key).input_value() for key in PART_LABELS})
        return shown
