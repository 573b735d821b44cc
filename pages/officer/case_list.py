"""「案件列表」 of the officer console: every case, filtered by 狀態 and 系統."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

PATH = "/officer/cases"


class CaseList:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="案件列表")
        self.officer_name = page.get_by_role("banner").get_by_label("登入者")
        self.logout_link = page.get_by_role("banner").get_by_role("link", name="登出")
        self.filters = page.get_by_role("form", name="篩選條件")
        self.status_filter = self.filters.get_by_label("狀態", exact=True)
        self.system_filter = self.filters.get_by_label("系統", exact=True)
        self.search_button = self.filters.get_by_role("button", name="查詢")
        self.table = page.get_by_role("table", name="案件列表")

    def open(self) -> None:
        self.page.goto(PATH)

    def row(self, number: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=number)

    def filter(self, *, status: str = "全部", system: str = "全部") -> None:
        """Choose 狀態 and 系統 (by their shown names), then 「查詢」."""
        self.status_filter.select_option(label=status)
        self.system_filter.select_option(label=system)
        self.search_button.click()

    def open_case(self, number: str) -> None:
        """The case number is the link to 「案件審核」."""
        self.row(number).get_by_role("link", name=number).click()
