"""「案件進度查詢」, shared by both systems: the account's cases, each case's 辦理歷程 and
「案件撤銷」 with its confirmation dialog."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.header import Header
from pages.components.menu_bar import MenuBar

MENU = "進度查詢"
MENU_ITEM = "案件進度查詢"


class WithdrawDialog:
    """「案件撤銷」's question: 「確定撤銷」 or 「取消」."""

    def __init__(self, page: Page) -> None:
        self.root = page.get_by_role("alertdialog", name="案件撤銷")
        self.text = self.root.get_by_text("確定要撤銷申請案號")
        self.confirm_button = self.root.get_by_role("button", name="確定撤銷")
        self.cancel_link = self.root.get_by_role("link", name="取消")

    def confirm(self) -> None:
        self.confirm_button.click()

    def cancel(self) -> None:
        self.cancel_link.click()


class CaseProgress:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name="案件進度查詢")
        self.cases = page.get_by_role("table", name="申請案件")
        self.notice = page.get_by_role("main").get_by_role("status")
        self.error = page.get_by_role("main").get_by_role("alert")
        self.withdraw_dialog = WithdrawDialog(page)

    def open(self, slug: str = "gold-card") -> None:
        self.page.goto(f"/coa-frontend/{slug}/progress")

    def row(self, number: str) -> Locator:
        return self.cases.get_by_role("row").filter(has_text=number)

    def status(self, number: str) -> Locator:
        """The 狀態 cell of the case's row (with 補正期限 or 不予核准理由 when there is one)."""
        return self.row(number).get_by_role("cell").nth(3)

    def history(self, number: str) -> Locator:
        return self.page.get_by_role("table", name=f"申請案號 {number} 辦理歷程")

    def history_row(self, number: str, status: str) -> Locator:
        return self.history(number).get_by_role("row").filter(has_text=status)

    def withdraw_button(self, number: str) -> Locator:
        return self.row(number).get_by_role("link", name="案件撤銷")

    def ask_to_withdraw(self, number: str) -> WithdrawDialog:
        self.withdraw_button(number).click()
        return self.withdraw_dialog
