"""P-login 帳號登入: 帳號, 密碼, the captcha picture with 「換下一組」, and 「登入」."""

from __future__ import annotations

from playwright.sync_api import Page


class LoginPage:
    """The platform's shared account login."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="帳號登入")
        self.username = page.get_by_label("帳號", exact=True)
        self.agency_account = page.get_by_label("代辦機構帳號", exact=True)
        self.company_id = page.get_by_label("統一編號", exact=True)  # employers only
        self.password = page.get_by_label("密碼", exact=True)
        self.captcha = page.get_by_label("驗證碼", exact=True)
        self.captcha_image = page.get_by_role("img", name="驗證碼圖片")
        self.next_captcha_button = page.get_by_role("button", name="換下一組")
        self.login_button = page.get_by_role("button", name="登入")
        self.register_link = page.get_by_role("link", name="註冊帳號")
        self.resend_link = page.get_by_role("link", name="重發認證信")
        self.forgot_account_link = page.get_by_role("link", name="忘記帳號?")
        self.forgot_password_link = page.get_by_role("link", name="忘記密碼?")
        self.close_link = page.get_by_role("link", name="< 關閉, 回上一頁")
        self.error = page.get_by_role("alert")
        self.notice = page.get_by_role("status")

    def fill(
        self,
        *,
        username: str,
        password: str,
        captcha: str,
        company_id: str | None = None,
        agency: bool = False,
    ) -> None:
        """The form of the chosen role: an employer also gives the company's 統一編號; an
        agency logs in with its 代辦機構帳號."""
        if company_id is not None:
            self.company_id.fill(company_id)
        (self.agency_account if agency else self.username).fill(username)
        self.password.fill(password)
        self.captcha.fill(captcha)

    def submit(self) -> None:
        self.login_button.click()

    def log_in(self, *, username: str, password: str, captcha: str) -> None:
        self.fill(username=username, password=password, captcha=captcha)
        self.submit()

    def next_captcha(self) -> None:
        """「換下一組」: ask for a new captcha and wait for its picture."""
        with self.page.expect_response("**/captcha.png*"):
            self.next_captcha_button.click()
