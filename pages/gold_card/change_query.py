"""「就業金卡資料異動申請 - 新增」 query (T6.8–T6.9): 統一證號, 出生日期, the four change
boxes, 「查詢」, behind 「系統使用聲明事項(就業金卡部分)」."""

from __future__ import annotations

from collections.abc import Iterable

from playwright.sync_api import Locator, Page

from pages.components.consent_dialog import ConsentDialog
from pages.components.error_summary import ErrorSummary
from pages.components.header import Header
from pages.components.menu_bar import MenuBar

CONSENT_TITLE = "系統使用聲明事項(就業金卡部分)"
HEADING = "就業金卡資料異動申請 - 新增"
PASSPORT_CHANGE = "護照資料異動"
NEW_FORMAT_UINO = "僅更換新式統一證號"
PERSONAL_UINO = "個人因素申請變更統一證號(如語言不雅)"
CONTACT_ONLY = "僅電子信箱或手機號碼異動"
OPTIONS = (PASSPORT_CHANGE, NEW_FORMAT_UINO, PERSONAL_UINO, CONTACT_ONLY)


class ChangeQuery:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name=HEADING)
        self.consent = ConsentDialog(page, CONSENT_TITLE)
        # exact: two of the boxes' labels also contain 「統一證號」.
        self.uino = page.get_by_label("統一證號", exact=True)
        self.birth_date = page.get_by_label("出生日期(西元)", exact=True)
        self.options = page.get_by_role("group", name="是否同時異動以下資料")
        self.query_button = page.get_by_role("button", name="查詢")
        self.address_note = page.get_by_text("異動居住地址須提供租賃契約或水電繳費證明")
        self.notice = page.get_by_role("status")
        self.errors = ErrorSummary(page)

    def option(self, label: str) -> Locator:
        return self.options.get_by_role("checkbox", name=label, exact=True)

    def fill(self, *, uino: str, birth_date: str, options: Iterable[str] = ()) -> None:
        """T6.9 items 1–3: who, and which of the boxes this change ticks."""
        self.uino.fill(uino)
        self.birth_date.fill(birth_date)
        for label in options:
            self.option(label).check()

    def query(self) -> None:
        self.query_button.click()

    def look_up(self, *, uino: str, birth_date: str, options: Iterable[str] = ()) -> None:
        self.fill(uino=uino, birth_date=birth_date, options=options)
        self.query()
