"""The login-method choice of the other-reason system (T9.3–T9.4)."""

from __future__ import annotations

from playwright.sync_api import Page


class LoginMethod:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="登入您的帳戶")
        self.foreigner_login = page.get_by_role("link", name="外籍人士登入(帳號密碼)")

    def choose_foreigner_login(self) -> None:
        self.foreigner_login.click()
