"""「下載專區」 ▸ 「收據下載」 (S.24): paid cases, each with its PDF 規費收據."""

from __future__ import annotations

from playwright.sync_api import Download, Locator, Page

from pages.components.menu_bar import MenuBar


class ReceiptList:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name="收據下載")
        self.table = page.get_by_role("table", name="規費收據")

    def open_from_menu(self) -> None:
        self.menu.choose("下載專區", "收據下載")

    def row(self, number: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=number)

    def download_link(self, number: str) -> Locator:
        return self.row(number).get_by_role("link", name="下載")

    def download(self, number: str) -> Download:
        with self.page.expect_download() as info:
            self.download_link(number).click()
        return info.value
