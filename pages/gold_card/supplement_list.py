"""「補正(件) - 列表」 (T5.7–T5.8): the cases returned for a supplement, each with 「檢視」."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.header import Header
from pages.components.menu_bar import MenuBar

HEADING = "補正(件) - 列表"
COLUMNS = ("項次", "申請名稱", "申請人", "申辦項目", "申請事由", "申請日期", "操作")


class SupplementList:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name=HEADING)
        self.table = page.get_by_role("table", name="補正案件")
        self.column_headers = self.table.get_by_role("columnheader")

    def view_button(self, number: str) -> Locator:
        """「檢視」 of the case ``number`` (the list shows no 申請案號; the button names it)."""
        return self.table.get_by_role("link", name=f"檢視 {number}")

    def row(self, number: str) -> Locator:
        # ``has`` is matched inside each row, so the link is named from the page, not the table.
        link = self.page.get_by_role("link", name=f"檢視 {number}")
        return self.table.get_by_role("row").filter(has=link)

    def view(self, number: str) -> None:
        self.view_button(number).click()
