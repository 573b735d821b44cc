"""S.7 the student dashboard: 公布欄, the 「外生居留證」 items and the four case tables."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.header import Header
from pages.components.menu_bar import MenuBar
from pages.student.extension_request import ExtensionRequest

APPLY_MENU = "線上申辦"
EXTENSION_ITEM = "居留證延期申請(含資料異動)"
APPLY_ITEMS = (
    "居留證首次申請",
    EXTENSION_ITEM,
    "居留證換證(未註冊電子證換已註冊IC居留證)",
    "居留證資料異動",
    "居留證補發申請",
    "轉換學校申請(轉學、升學)",
)
CASE_TABLES = ("新申請案件", "待補件案件", "待繳費案件", "整團不受理/不核准案件")


class StudentHome:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.bulletins = page.get_by_role("region", name="公布欄")
        self.permit_items = page.get_by_role("navigation", name="外生居留證")

    def case_table(self, title: str) -> Locator:
        return self.page.get_by_role("region", name=title, exact=True).get_by_role("table")

    def case_row(self, title: str, number: str) -> Locator:
        return self.case_table(title).get_by_role("row").filter(has_text=number)

    def apply_item(self, label: str) -> Locator:
        return self.menu.item(label, APPLY_MENU)

    def open_apply_menu(self) -> None:
        self.menu.open(APPLY_MENU)

    def open_extension(self) -> ExtensionRequest:
        """「線上申辦」 ▸ 「居留證延期申請(含資料異動)」 (the drop-down unfolded if it is not)."""
        item = self.apply_item(EXTENSION_ITEM)
        if not item.is_visible():
            self.open_apply_menu()
        item.click()
        return ExtensionRequest(self.page)
