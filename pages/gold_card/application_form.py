"""「就業金卡申請 - 新增」 (T8.12–T8.14): five tabs, 「下一頁」「前一頁」, uploads and 「儲存」."""

from __future__ import annotations

from playwright.sync_api import Page

from fixtures.formats import ymd
from fixtures.models import GoldCardApplication, ReapplicationDocuments
from pages.components.address_block import AddressBlock
from pages.components.consent_dialog import ConsentDialog
from pages.components.tabbed_form import TabbedForm
from pages.components.upload_field import UploadField

CONSENT_TITLE = "系統使用聲明事項(就業金卡部分)"


class GoldCardForm(TabbedForm):
    def __init__(self, page: Page, heading: str = "就業金卡申請 - 新增") -> None:
        super().__init__(page)
        self.heading = page.get_by_role("heading", name=heading)
        self.consent = ConsentDialog(page, CONSENT_TITLE)
        self.save_button = page.get_by_role("button", name="儲存")
        self.mainland_mail_warning = page.get_by_text("請勿使用大陸地區電子郵件")
        self.residence_address = AddressBlock(page, "居留地址")
        self.photo = UploadField(page, "照片")
        self.passport = UploadField(page, "護照")
        self.qualification_proof = UploadField(page, "資格證明文件")
        self.entry_proof = UploadField(page, "入境證明(入境章戳頁或登機證)")

    def fill_basic(self, application: GoldCardApplication) -> None:
        """「基本資料」; 出生日期 comes from the holder check."""
        self.field("英文姓氏").fill(application.english_surname)
        self.field("英文名字").fill(application.english_given_name)
        self.field("中文姓名").fill(application.chinese_name)
        self.field("性別").select_option(application.gender)
        self.field("國籍").select_option(application.nationality)
        self.field("現職").fill(application.occupation)
        self.field("最高學歷").select_option(application.education)
        self.field("婚姻狀況").select_option(application.marital_status)
        self.field("電子郵件").fill(application.email)
        self.field("出生地點(國家)").select_option(application.birth_country)
        self.field("出生地點(市/州)").fill(application.birth_city)
        self.field("申請人母國地址").fill(application.home_address)
        self.field("申請人母國電話號碼").fill(application.home_phone)

    def fill_passport(self, application: GoldCardApplication) -> None:
        self.field("護照種類").select_option(application.passport_kind)
        self.field("護照號碼").fill(application.passport_number)
        self.field("護照發照日期(西元)").fill(ymd(application.passport_issued))
        self.field("護照效期(西元)").fill(ymd(application.passport_expiry))
        self.field("發照機關").fill(application.passport_authority)
        self.field("最近一次入境日期(西元)").fill(ymd(application.entry_date))

    def fill_residence(self, application: GoldCardApplication) -> None:
        self.field("申請年限").select_option(application.years)
        self.field("領證地點").select_option(application.collect_office)
        self.field("在臺聯絡手機號碼").fill(application.mobile)
        self.residence_address.fill(application.residence_address)

    def fill_expertise(self, application: GoldCardApplication) -> None:
        self.field("專長領域").select_option(application.expertise_field)
        self.field("資格條件").select_option(application.qualification)
        self.field("服務單位(雇主)名稱").fill(application.employer_name)
        self.field("職稱").fill(application.job_title)

    def upload_documents(self, documents: ReapplicationDocuments) -> None:
        """T8.14: the photo and the documents the answers asked for."""
        self.photo.choose(documents.photo)
        self.passport.choose(documents.passport)
        self.qualification_proof.choose(documents.qualification_proof)
        self.entry_proof.choose(documents.entry_proof)

    def fill_tabs(self, application: GoldCardApplication) -> None:
        """T8.13: every tab in order, moving on with 「下一頁」."""
        for fill in (self.fill_basic, self.fill_passport, self.fill_residence, self.fill_expertise):
            fill(application)
            self.next_tab()

    def save(self) -> None:
        self.save_button.click()
