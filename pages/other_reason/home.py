"""P-shell home of 其他事由延期線上申辦系統: 公布欄, case list, and the receipt dialog."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.header import Header
from pages.components.menu_bar import MenuBar

PATH = "/coa-frontend/other-reason/home"


class OtherReasonHome:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.bulletins = page.get_by_role("region", name="公布欄")
        self.more_link = self.bulletins.get_by_role("link", name="MORE")
        self.cases = page.get_by_role("region", name="申請案件").get_by_role("table")
        self.receipt_dialog = page.get_by_role("alertdialog", name="送件成功")
        self.receipt_number = self.receipt_dialog.locator("strong")  # the number itself
        self.receipt_ok = self.receipt_dialog.get_by_role("link", name="確定")

    def open(self) -> OtherReasonHome:
        self.page.goto(PATH)
        return self

    def start_application(self) -> None:
        """T9.6: 「線上申請」 ▸ 「其他事由居留證申請」."""
        self.menu.choose("線上申請", "其他事由居留證申請")

    def case_row(self, number: str) -> Locator:
        return self.cases.get_by_role("row").filter(has_text=number)

    def close_receipt(self) -> None:
        self.receipt_ok.click()
