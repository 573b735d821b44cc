"""「重發認證信」: 登入帳號 + 電子郵件 → a new verification mail; the old link dies."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from pages.components.error_summary import ErrorSummary

PATH = "/coa-frontend/foreign-student/individual/resend-verification"


class ResendVerificationPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="重發認證信")
        self.form = page.get_by_role("form", name="重發認證信資料")
        self.username = self.form.get_by_label("登入帳號", exact=True)
        self.email = self.form.get_by_label("電子郵件", exact=True)
        self.send_button = self.form.get_by_role("button", name="送出")
        self.notice = page.get_by_role("status")  # sent, or already activated
        self.errors = ErrorSummary(page)
        self.login_link = page.get_by_role("link", name=re.compile("^(回登入頁|前往登入)$"))

    def open(self, base_url: str = "") -> ResendVerificationPage:
        self.page.goto(f"{base_url}{PATH}")
        return self

    def message_for(self, label: str) -> Locator:
        """The message beside the field ``label`` (it starts 「<label>：」)."""
        return self.form.get_by_text(re.compile(rf"^{re.escape(label)}："))

    def resend(self, *, username: str, email: str) -> None:
        self.username.fill(username)
        self.email.fill(email)
        self.send_button.click()
