"""P-intro-other: 其他事由延期線上申辦系統's 簡介 and the 「我要申請登入系統」 button."""

from __future__ import annotations

from playwright.sync_api import Page


class OtherReasonIntro:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="其他事由延期線上申辦系統")
        self.sections = [
            page.get_by_role("heading", name=name, exact=True)
            for name in ("簡介", "申請資格條件", "如何申請", "申請進度查詢")
        ]
        self.apply_button = page.get_by_role("link", name="我要申請登入系統")

    def go_to_login(self) -> None:
        self.apply_button.click()
