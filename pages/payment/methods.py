"""「線上繳費 - 繳費方式選擇」 (S.21): six methods, one chosen, 「開始繳費」."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.error_summary import ErrorSummary

INTERNATIONAL_CARD = "國際信用卡網路繳費"
CONVENIENCE_STORE = "四大超商繳費"
METHODS = (
    "E政府繳費平台繳費", INTERNATIONAL_CARD, "網路收單ATM繳費", "虛擬帳戶繳費",
    CONVENIENCE_STORE, "臺灣發行信用卡繳費",
)  # fmt: skip


class PaymentMethods:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="線上繳費 - 繳費方式選擇")
        self.group = page.get_by_role("group", name="請選擇繳費方式")
        self.choices = self.group.get_by_role("radio")
        self.store_note = page.get_by_text("[註1]：若使用「四大超商」繳費")
        self.start_button = page.get_by_role("button", name="開始繳費")
        self.errors = ErrorSummary(page)

    def method(self, label: str) -> Locator:
        return self.group.get_by_role("radio", name=label)

    def choose(self, label: str) -> None:
        self.method(label).check()

    def start(self) -> None:
        """「開始繳費」: to the gateway, or to the store slip for 「四大超商繳費」."""
        self.start_button.click()
