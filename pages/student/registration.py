"""S.2 / S.3: 「外生、外僑生居留證申請 - 學生註冊」, the form that makes a student account."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from fixtures.formats import ymd
from fixtures.models import StudentRegistration
from pages.components.error_summary import ErrorSummary
from pages.student.registration_done import RegistrationDonePage

PATH = "/coa-frontend/foreign-student/individual/register"
TITLE = "外生、外僑生居留證申請 - 學生註冊"


class StudentRegistrationPage:
    """中文姓名, 英文姓氏*, 英文名字*, 國籍*, 出生日期(西元)*, 性別*, 護照號碼*, 聯絡電話*,
    分機號碼, 電子郵件*, 登入帳號*, 登入密碼*, 登入密碼確認*; 「註冊」 and 「重設」."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name=TITLE)
        self.name_note = page.get_by_text("備註：如果護照上面沒有分姓跟名")
        self.capitals_note = page.get_by_text("全部大寫", exact=True)
        self.form = page.get_by_role("form", name="學生註冊資料")
        self.chinese_name = self.form.get_by_label("中文姓名", exact=True)
        self.surname = self.form.get_by_label("英文姓氏", exact=True)
        self.given_name = self.form.get_by_label("英文名字", exact=True)
        self.nationality = self.form.get_by_label("國籍", exact=True)
        self.birth_date = self.form.get_by_label("出生日期(西元)", exact=True)
        self.gender = self.form.get_by_label("性別", exact=True)
        self.passport_number = self.form.get_by_label("護照號碼", exact=True)
        self.phone = self.form.get_by_label("聯絡電話", exact=True)
        self.extension = self.form.get_by_label("分機號碼", exact=True)
        self.email = self.form.get_by_label("電子郵件", exact=True)
        self.username = self.form.get_by_label("登入帳號", exact=True)
        self.password = self.form.get_by_label("登入密碼", exact=True)
        self.password_confirm = self.form.get_by_label("登入密碼確認", exact=True)
        self.account_hint = self.form.get_by_text("請務必記住您填寫的帳號")
        self.password_rule = self.form.get_by_text(
            "密碼長度最少8個字，且至少1個英文小寫字母及1個阿拉伯數字"
        )
        self.register_button = page.get_by_role("button", name="註冊", exact=True)
        self.reset_button = page.get_by_role("button", name="重設", exact=True)
        self.login_link = page.get_by_role("link", name="回登入頁")
        self.errors = ErrorSummary(page)

    def open(self, base_url: str = "") -> StudentRegistrationPage:
        self.page.goto(f"{base_url}{PATH}")
        return self

    def message_for(self, label: str) -> Locator:
        """The message beside the field ``label`` (each starts 「<label>：」; the summary
        above the form repeats it, so only the form is searched)."""
        return self.form.get_by_text(re.compile(rf"^{re.escape(label)}："))

    def fill(self, registration: StudentRegistration) -> None:
        """S.3: every field from the test data, English names in capitals as typed."""
        self.chinese_name.fill(registration.chinese_name)
        self.surname.fill(registration.surname)
        self.given_name.fill(registration.given_name)
        self.nationality.select_option(registration.nationality)
        self.birth_date.fill(ymd(registration.birth_date))
        self.gender.select_option(registration.gender)
        self.passport_number.fill(registration.passport_number)
        self.phone.fill(registration.phone)
        self.extension.fill(registration.extension)
        self.email.fill(registration.email)
        self.username.fill(registration.username)
        self.choose_password(registration.password)

    def choose_password(self, password: str, confirm: str | None = None) -> None:
        self.password.fill(password)
        self.password_confirm.fill(password if confirm is None else confirm)

    def submit(self) -> None:
        """「註冊」; a refused form stays on this page with its messages."""
        self.register_button.click()

    def register(self, registration: StudentRegistration) -> RegistrationDonePage:
        """Fill and 「註冊」: the page that says where the verification mail went."""
        self.fill(registration)
        self.submit()
        return RegistrationDonePage(self.page)

    def clear(self) -> None:
        """「重設」: the browser's own form reset."""
        self.reset_button.click()
