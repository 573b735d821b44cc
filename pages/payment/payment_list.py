"""「線上繳費 - 列表」 (S.19, T8.17): the cases waiting for payment, 「全選」 and 「繳費」."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.header import Header
from pages.components.menu_bar import MenuBar
from pages.payment.detail import PaymentDetail


class PaymentList:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name="線上繳費 - 列表")
        self.table = page.get_by_role("table", name="待繳費案件")
        self.select_all_box = self.table.get_by_role("checkbox", name="全選")
        self.pay_button = page.get_by_role("button", name="繳費", exact=True)
        self.problem = page.get_by_role("alert").filter(has_text="無法繳費")
        self.notice = page.get_by_role("status")

    def open(self, slug: str = "gold-card") -> None:
        self.page.goto(f"/coa-frontend/{slug}/payment")

    @property
    def menu_entry(self) -> Locator:
        """「線上繳費」 ▸ 「線上繳費」: the menu and its only item share the name."""
        return self.menu.item("線上繳費", "線上繳費")

    def open_from_menu(self) -> None:
        # MenuBar.open() finds a menu by its text, which here its item has too: open the
        # drop-down by its <summary> instead.
        self.menu.root.locator('details[data-menu="線上繳費"] > summary').click()
        self.menu_entry.click()

    def row(self, number: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=number)

    def box(self, number: str) -> Locator:
        return self.table.get_by_role("checkbox", name=f"選取申請案號 {number}")

    def tick(self, *numbers: str) -> None:
        for number in numbers:
            self.box(number).check()

    def select_all(self) -> None:
        self.select_all_box.check()

    def pay(self) -> PaymentDetail:
        """「繳費」: on to 「線上繳費 - 明細」 (or the message when nothing is ticked)."""
        self.pay_button.click()
        return PaymentDetail(self.page)
