"""「其他事由居留證申請 - 新增」: the consent dialog, then 統一證號 + 出生日期 and 「查詢」."""

from __future__ import annotations

from playwright.sync_api import Page

from pages.components.consent_dialog import ConsentDialog
from pages.components.error_summary import ErrorSummary
from pages.components.header import Header
from pages.components.menu_bar import MenuBar

CONSENT_TITLE = "系統使用聲明事項(其他事由延期線上申辦系統部分)"


class ApplicationQuery:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name="其他事由居留證申請 - 新增")
        self.consent = ConsentDialog(page, CONSENT_TITLE)
        self.uino = page.get_by_label("統一證號")
        self.birth_date = page.get_by_label("出生日期(西元)")
        self.query_button = page.get_by_role("button", name="查詢")
        self.errors = ErrorSummary(page)

    def look_up(self, *, uino: str, birth_date: str) -> None:
        self.uino.fill(uino)
        self.birth_date.fill(birth_date)
        self.query_button.click()
