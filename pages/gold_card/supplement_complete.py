"""「補正完成」 (T5.13): what the supplement changed and sent; the case is closed to edits."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class SupplementComplete:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="補正完成")
        self.notice = page.get_by_role("status").filter(has_text="補正完成")
        self.again_notice = page.get_by_role("alert").filter(has_text="未再更改任何資料")
        self.case_number = page.locator("[data-case-number]")  # the bold number in a sentence
        self.changes = page.get_by_role("table", name="補正內容")
        self.files = page.locator("[data-files]")  # a definition, not a control
        self.list_link = page.get_by_role("link", name="回補正(件)列表")

    def change_row(self, label: str) -> Locator:
        return self.changes.get_by_role("row").filter(has_text=label)

    def back_to_list(self) -> None:
        self.list_link.click()
