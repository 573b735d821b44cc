"""The reset mail's link: 新密碼 + 新密碼確認, then 「密碼重設成功」 (or a dead link)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from pages.components.error_summary import ErrorSummary
from pages.student.login import StudentLoginPage


class ResetPasswordPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="重設密碼", exact=True)
        self.done_heading = page.get_by_role("heading", name="密碼重設成功")
        self.dead_link_heading = page.get_by_role("heading", name="此密碼重設連結已使用過或已失效")
        self.form = page.get_by_role("form", name="重設密碼資料")
        self.password = self.form.get_by_label("新密碼", exact=True)
        self.password_confirm = self.form.get_by_label("新密碼確認", exact=True)
        self.confirm_button = self.form.get_by_role("button", name="確定")
        self.errors = ErrorSummary(page)
        self.notice = page.get_by_role("status")
        self.login_link = page.get_by_role("link", name="前往登入")

    def open(self, link: str) -> ResetPasswordPage:
        self.page.goto(link)
        return self

    def message_for(self, label: str) -> Locator:
        """The message beside the field ``label`` (it starts 「<label>：」)."""
        return self.form.get_by_text(re.compile(rf"^{re.escape(label)}："))

    def set_password(self, password: str, confirm: str | None = None) -> None:
        self.password.fill(password)
        self.password_confirm.fill(password if confirm is None else confirm)
        self.confirm_button.click()

    def go_to_login(self) -> StudentLoginPage:
        self.login_link.click()
        return StudentLoginPage(self.page)
