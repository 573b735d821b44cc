"""S.9–S.15 the extension form: 申請資料, 應檢附文件 (< 512K), 申請人資料, 「送出」."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Dialog, Locator, Page

from fixtures.formats import ymd
from fixtures.models import StudentExtension, StudentRecord
from pages.components.address_block import AddressBlock
from pages.components.error_summary import ErrorSummary
from pages.components.header import Header
from pages.components.menu_bar import MenuBar
from pages.components.upload_field import UploadField
from pages.student.photo_crop_dialog import PhotoCropDialog

PERMIT = "1. 居留證"
PASSPORT = "2. 護照"
RESIDENCE = "3. 居住證明(房屋契約、戶口名簿或其他相關證明。如未更換住宿地址，可免上傳此檢附文件)"
ENROLMENT = (
    "4. 在學或註冊證明(蓋有目前學期註冊章之學生證或最近一學期學校開立的在學證明書"
    "(學生初次申請需繳入學分發通知書))"
)
OTHER = "5. 其他相關證明文件(無則免)"


class ExtensionForm:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name="外生、外僑生延期申請 - 個人申請")
        self.application = page.get_by_role("region", name="申請資料")
        self.photo_guide_link = page.get_by_role("link", name="照片範例說明")
        self.crop_button = page.get_by_role("button", name="大頭照自動裁切")
        self.crop_dialog = PhotoCropDialog(page)
        self.photo = UploadField(page, "照片上傳")
        self.photo_preview = page.get_by_role("img", name="照片預覽")
        self.permit_years = page.get_by_label("居留證效期", exact=True)
        self.overstay = page.get_by_role("note", name="逾期居留")
        self.documents = page.get_by_role("region", name="應檢附文件")
        self.document_rules = self.documents.get_by_role("list").first
        self.permit = UploadField(page, PERMIT)
        self.passport = UploadField(page, PASSPORT)
        self.residence_proof = UploadField(page, RESIDENCE)
        self.enrolment = UploadField(page, ENROLMENT)
        self.other = UploadField(page, OTHER)
        self.applicant = page.get_by_role("region", name="申請人資料")
        self.address = AddressBlock(page, "在臺居住地址")
        self.submit_button = page.get_by_role("button", name="送出")
        self.errors = ErrorSummary(page)

    def field(self, label: str) -> Locator:
        return self.applicant.get_by_label(label, exact=True)

    def study_value(self, term: str) -> Locator:
        """The value printed beside 申請資格, 申請來臺就學學制, 學校單位 or 就學狀態."""
        return self.application.locator("dt", has_text=term).locator(
            "xpath=following-sibling::dd[1]"
        )

    def open_photo_crop(self) -> PhotoCropDialog:
        self.crop_button.click()
        return self.crop_dialog

    def upload_photo(self, photo: Path) -> None:
        self.photo.choose(photo)

    def upload_documents(self, pages: dict[str, list[Path]]) -> None:
        """S.14: one file per row; 「+」 opens a row for each further page."""
        for label, files in pages.items():
            field = UploadField(self.page, label)
            for row, path in enumerate(files):
                if row:
                    field.add_row()
                field.choose(path, row)

    def fill_applicant(self, student: StudentRecord, choices: StudentExtension) -> None:
        """S.15: names, passport and the school's address come filled from the record; the
        student checks them and adds what the record does not know."""
        self.field("中文姓名").fill(student.chinese_name)
        self.field("英文姓名").fill(student.english_name)
        self.field("護照號碼").fill(student.passport_number)
        self.field("護照有效日期").fill(ymd(student.passport_expiry))
        self.field("最高學歷").select_option(choices.education)
        self.field("就讀年級").fill(choices.grade)
        self.field("婚姻狀況").select_option(choices.marital_status)
        self.field("在臺電話").fill(choices.phone)
        self.field("在臺聯絡人姓名").fill(student.contact_name)
        self.field("在臺聯絡人電話").fill(student.contact_phone)
        self.field("在臺聯絡人國籍").select_option(student.contact_nationality)
        self.field("領證方式").select_option(choices.collect_method)
        self.field("領證地點").select_option(choices.collect_office)

    def submit(self) -> str:
        """「送出」: returns the text of the browser alert the platform raises, and accepts it."""
        shown: list[str] = []

        def accept(dialog: Dialog) -> None:
            shown.append(dialog.message)
            dialog.accept()

        self.page.once("dialog", accept)
        with self.page.expect_event("dialog"):
            self.submit_button.click()
        return shown[0] if shown else ""
