"""「儲存成功」 (T8.15) and the preview 「就業金卡申請 - 編輯」 with 「送出」 (T8.16)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.components.header import Header


class ApplicationPreview:
    def __init__(self, page: Page, heading: str = "就業金卡申請 - 編輯") -> None:
        self.page = page
        self.header = Header(page)
        self.heading = page.get_by_role("heading", name=heading, exact=True)
        self.saved_dialog = page.get_by_role("alertdialog", name="儲存成功")
        self.saved_ok = self.saved_dialog.get_by_role("link", name="確定")
        self.submit_button = page.get_by_role("button", name="送出")
        self.edit_link = page.get_by_role("link", name="修改")
        self.fee = page.get_by_text("應繳規費")

    def section(self, tab: str) -> Locator:
        return self.page.get_by_role("region", name=tab, exact=True)

    def value(self, name: str) -> Locator:
        """The shown value of field ``name`` (the form's field name, e.g. "english_surname")."""
        return self.page.locator(f'dd[data-field="{name}"]')  # a dd has no accessible name

    def close_saved(self) -> None:
        self.saved_ok.click()

    def submit(self) -> None:
        self.submit_button.click()
