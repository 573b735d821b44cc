"""A form in 頁籤 (「基本資料」「護照資料」…) with 「前一頁」「下一頁」 between them."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.error_summary import ErrorSummary
from pages.components.header import Header

TABS = ("基本資料", "護照資料", "居留申請", "領域專長", "文件上傳")


class TabbedForm:
    """What every tabbed application form of the Gold Card system has."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.tablist = page.get_by_role("tablist", name="申請書頁籤")
        # Only the shown tab's buttons are visible, so these find the current tab's.
        self.next_button = page.get_by_role("button", name="下一頁")
        self.previous_button = page.get_by_role("button", name="前一頁")
        self.errors = ErrorSummary(page)
        self.photo_preview = page.get_by_role("img", name="照片預覽")
        self.document_rules = page.get_by_role("region", name="應檢附文件").get_by_role("list")

    def tab(self, name: str) -> Locator:
        return self.tablist.get_by_role("tab", name=name, exact=True)

    def panel(self, name: str) -> Locator:
        return self.page.get_by_role("tabpanel", name=name, exact=True)

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def open_tab(self, name: str) -> None:
        self.tab(name).click()

    def next_tab(self) -> None:
        self.next_button.click()

    def previous_tab(self) -> None:
        self.previous_button.click()
