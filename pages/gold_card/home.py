"""P-shell home of the Gold Card system: header, menu, 公布欄 and the case table."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.header import Header
from pages.components.menu_bar import MenuBar


class GoldCardHome:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.bulletins = page.get_by_role("region", name="公布欄")
        self.cases = page.get_by_role("table").filter(has_text="申請案號")

    def case_row(self, number: str) -> Locator:
        return self.cases.get_by_role("row").filter(has_text=number)

    def open_drafts(self, menu: str = "進度查詢") -> None:
        """T8.7: 「就業金卡申請或重新申請」, reached through ``menu``."""
        self.menu.choose(menu, "就業金卡申請或重新申請")
