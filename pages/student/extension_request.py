"""S.8 「外生、外僑生延期申請 - 個人申請」: 居留證號, 申請來臺就學學制, 延期事由, 「送出」."""

from __future__ import annotations

from playwright.sync_api import Page

from pages.components.error_summary import ErrorSummary
from pages.student.extension_form import ExtensionForm

TITLE = "外生、外僑生延期申請 - 個人申請"
EXCHANGE_NOTE = "若為交換生應上傳學校核發之『公文或職研月文換別狀之證明書』"


class ExtensionRequest:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name=TITLE)
        self.permit_number = page.get_by_label("居留證號", exact=True)
        self.programme = page.get_by_label("申請來臺就學學制", exact=True)
        self.reason = page.get_by_label("延期事由", exact=True)
        self.exchange_note = page.get_by_text(EXCHANGE_NOTE)
        self.overstay_table = page.get_by_role("region", name="注意")
        self.submit_button = page.get_by_role("button", name="送出")
        self.reset_button = page.get_by_role("button", name="重設")
        self.errors = ErrorSummary(page)

    def fill(self, *, permit_number: str, programme: str, reason: str) -> None:
        self.permit_number.fill(permit_number)
        self.programme.select_option(programme)
        self.reason.select_option(reason)

    def submit(self) -> ExtensionForm:
        self.submit_button.click()
        return ExtensionForm(self.page)
