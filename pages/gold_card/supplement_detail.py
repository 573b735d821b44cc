"""「補正(件) - 詳細」 (T5.8–T5.9): 基本資料, 案件資料 with 補正期限, and 「補正」."""

from __future__ import annotations

from playwright.sync_api import Page

HEADING = "補正(件) - 詳細"


class SupplementDetail:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name=HEADING)
        self.basic = page.get_by_role("region", name="基本資料")
        self.case_table = page.get_by_role("table", name="案件資料")
        self.case_row = self.case_table.get_by_role("row").nth(1)  # row 0 holds the headers
        # A status while the case may be sent, an alert once a deadline has passed.
        self.deadline_notice = page.locator("[data-deadline-notice]")
        self.supplement_button = self.case_table.get_by_role("link", name="補正", exact=True)
        self.view_button = self.case_table.get_by_role("link", name="檢視", exact=True)
        self.back_link = page.get_by_role("link", name="回上一頁")

    @property
    def is_open_for_supplement(self) -> bool:
        return self.supplement_button.count() == 1

    def supplement(self) -> None:
        """「補正」: into 「補正(件) - 申請人資料補正」."""
        self.supplement_button.click()
