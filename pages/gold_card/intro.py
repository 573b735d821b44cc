"""P-intro-goldcard: 就業金卡's 簡介, 申請資格條件 (11 fields), 如何申請, 「我要申請登入系統」."""

from __future__ import annotations

from playwright.sync_api import Page


class GoldCardIntro:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="就業金卡", exact=True)
        self.sections = [
            page.get_by_role("heading", name=name, exact=True)
            for name in ("簡介", "申請資格條件", "如何申請")
        ]
        self.fields_of_expertise = page.get_by_text("得申請就業金卡之外國特定專業人才領域專長")
        self.qualifications_link = page.get_by_role("link", name="各領域專長詳細資格條件")
        self.goldcard_site_link = page.get_by_role("link", name="台灣就業金卡網站")
        self.apply_button = page.get_by_role("link", name="我要申請登入系統")

    def go_to_login(self) -> None:
        self.apply_button.click()
