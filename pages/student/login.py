"""S.1 / S.6 / S.18: the student system's 「外生、外僑生居留證申請 - 個人申請」 帳號登入."""

from __future__ import annotations

from playwright.sync_api import Page

LOGIN_PATH = "/coa-frontend/foreign-student/individual/login"


class StudentLoginPage:
    """帳號, 密碼 (+「忘記密碼?」), 請輸入驗證碼 with 「換下一組」; 註冊帳號, 重發認證信, 登入."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.system_title = page.get_by_text("外生、外僑生居留證申請 - 個人申請", exact=True)
        self.heading = page.get_by_role("heading", name="帳號登入")
        self.username = page.get_by_label("帳號", exact=True)
        self.password = page.get_by_label("密碼", exact=True)
        self.captcha = page.get_by_label("請輸入驗證碼", exact=True)
        self.captcha_image = page.get_by_role("img", name="驗證碼圖片")
        self.next_captcha_button = page.get_by_role("button", name="換下一組")
        self.forgot_password_link = page.get_by_role("link", name="忘記密碼?")
        self.register_link = page.get_by_role("link", name="註冊帳號")
        self.resend_link = page.get_by_role("link", name="重發認證信")
        self.login_button = page.get_by_role("button", name="登入")
        self.footer = page.get_by_role("contentinfo")
        self.error = page.get_by_role("alert")
        self.notice = page.get_by_role("status")

    def open(self, base_url: str) -> StudentLoginPage:
        self.page.goto(f"{base_url}{LOGIN_PATH}")
        return self

    def fill(self, *, username: str, password: str, captcha: str) -> None:
        self.username.fill(username)
        self.password.fill(password)
        self.captcha.fill(captcha)

    def submit(self) -> None:
        self.login_button.click()

    def log_in(self, *, username: str, password: str, captcha: str) -> None:
        self.fill(username=username, password=password, captcha=captcha)
        self.submit()

    def go_to_registration(self) -> None:
        self.register_link.click()

    def go_to_resend_verification(self) -> None:
        self.resend_link.click()

    def go_to_forgot_password(self) -> None:
        self.forgot_password_link.click()
