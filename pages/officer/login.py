"""「審核人員登入」: the officer console's own login, 帳號, 密碼 and the captcha."""

from __future__ import annotations

from playwright.sync_api import Page

PATH = "/officer/login"


class OfficerLogin:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="審核人員登入")
        self.username = page.get_by_label("帳號", exact=True)
        self.password = page.get_by_label("密碼", exact=True)
        self.captcha = page.get_by_label("驗證碼", exact=True)
        self.login_button = page.get_by_role("button", name="登入")
        self.error = page.get_by_role("alert")
        self.notice = page.get_by_role("status")

    def open(self) -> None:
        self.page.goto(PATH)

    def fill(self, *, username: str, password: str, captcha: str) -> None:
        self.username.fill(username)
        self.password.fill(password)
        self.captcha.fill(captcha)

    def submit(self) -> None:
        self.login_button.click()

    def log_in(self, *, username: str, password: str, captcha: str) -> None:
        self.fill(username=username, password=password, captcha=captcha)
        self.submit()
