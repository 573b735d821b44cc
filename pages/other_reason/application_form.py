"""「其他事由居留證申請 - 新增」 申請資料 (T9.9–T9.13): photo, documents, applicant, addresses."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from fixtures.formats import ymd
from fixtures.models import Applicant, Documents
from pages.components.address_block import AddressBlock
from pages.components.error_summary import ErrorSummary
from pages.components.header import Header
from pages.components.menu_bar import MenuBar
from pages.components.upload_field import UploadField


class ApplicationForm:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name="其他事由居留證申請 - 新增")
        self.tab = page.get_by_role("tab", name="申請資料")
        self.photo = UploadField(page, "照片上傳")
        self.photo_preview = page.get_by_role("img", name="照片預覽")
        self.document_rules = page.get_by_role("region", name="應檢附文件").get_by_role("list")
        self.passport = UploadField(page, "護照")
        self.residence_permit = UploadField(page, "居留證")
        self.other_documents = UploadField(page, "其他相關證明文件(無則免)")
        self.applicant = page.get_by_role("region", name="申請人資料")
        self.mainland_mail_warning = page.get_by_text("請勿使用大陸地區電子郵件")
        self.collect_method = page.get_by_label("領證方式")
        self.collect_office = page.get_by_label("領證地點")
        self.stations_link = page.get_by_role("link", name="內政部移民署服務站聯絡資訊")
        self.work_address = AddressBlock(page, "來臺工作地址")
        self.residence_address = AddressBlock(page, "居留地址")
        self.same_as_work = page.get_by_label("同工作地址")
        self.address_example_link = page.get_by_role("link", name="地址填寫範例說明")
        self.resignation_date = page.get_by_label("離職日")
        self.submit_button = page.get_by_role("button", name="送出")
        self.errors = ErrorSummary(page)

    def field(self, label: str) -> Locator:
        return self.applicant.get_by_label(label, exact=True)

    def upload_photo(self, documents: Documents) -> None:
        self.photo.choose(documents.photo)

    def upload_documents(self, documents: Documents) -> None:
        """T9.10: one file per row; 「+」 opens a row for each further page."""
        for field, files in (
            (self.passport, documents.passport),
            (self.residence_permit, documents.residence_permit),
            (self.other_documents, documents.other),
        ):
            for row, path in enumerate(files):
                if row:
                    field.add_row()
                field.choose(path, row)

    def fill_applicant(self, applicant: Applicant) -> None:
        """T9.11: 申請人資料; 統一證號 and 出生日期 come filled from the holder query."""
        self.field("英文姓名").fill(applicant.english_name)
        self.field("中文姓名").fill(applicant.chinese_name)
        self.field("國籍").select_option(applicant.nationality)
        self.field("性別").select_option(applicant.gender)
        self.field("護照號碼").fill(applicant.passport_number)
        self.field("護照效期(西元)").fill(ymd(applicant.passport_expiry))
        self.field("出生地點(國家)").select_option(applicant.birth_country)
        self.field("現職").fill(applicant.occupation)
        self.field("婚姻狀況").select_option(applicant.marital_status)
        self.field("最高學歷").select_option(applicant.education)
        self.field("在臺市內電話").fill(applicant.landline)
        self.field("在臺聯絡手機號碼").fill(applicant.mobile)
        self.field("電子郵件").fill(applicant.email)

    def choose_collection(self, applicant: Applicant) -> None:
        """T9.12: 領證方式 and 領證地點."""
        self.collect_method.select_option(applicant.collect_method)
        self.collect_office.select_option(applicant.collect_office)

    def fill_work_address(self, applicant: Applicant) -> None:
        self.work_address.fill(applicant.work_address)

    def copy_work_address(self) -> None:
        """「同工作地址」: the residence address becomes the work address."""
        self.same_as_work.check()

    def submit(self) -> None:
        self.submit_button.click()
