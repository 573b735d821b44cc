"""After 「註冊」: the verification mail's address, and that the account is still closed."""

from __future__ import annotations

from playwright.sync_api import Page

from pages.student.login import StudentLoginPage


class RegistrationDonePage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="註冊完成，請至信箱啟用帳號")
        self.notice = page.get_by_role("status")
        self.login_link = page.get_by_role("link", name="回登入頁")

    def go_to_login(self) -> StudentLoginPage:
        self.login_link.click()
        return StudentLoginPage(self.page)
