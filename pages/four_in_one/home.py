"""P-home 平臺首頁: top navigation, 「線上申辦項目」 icons and the 公布欄."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

PATH = "/coa-frontend/four-in-one/entry/main?lang=zh"


class PlatformHome:
    """The platform's front page, where every tutorial starts."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="外國專業人才申辦窗口平臺")
        self.top_nav = page.get_by_role("navigation", name="網站導覽")
        self.services = page.get_by_role("region", name="線上申辦項目")
        self.bulletins = page.get_by_role("region", name="公布欄")

    def open(self) -> PlatformHome:
        self.page.goto(PATH)
        return self

    def service(self, label: str) -> Locator:
        return self.services.get_by_role("link", name=label)

    def choose_service(self, label: str) -> None:
        self.service(label).click()
