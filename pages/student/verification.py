"""S.5: where the verification mail's link lands: 「帳號啟用成功」, or a dead link."""

from __future__ import annotations

from playwright.sync_api import Page

from pages.student.login import StudentLoginPage
from pages.student.resend_verification import ResendVerificationPage

DEAD_LINK = "此認證連結已使用過或已失效"


class VerificationPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.activated_heading = page.get_by_role("heading", name="帳號啟用成功")
        self.dead_link_heading = page.get_by_role("heading", name=DEAD_LINK)
        self.notice = page.get_by_role("status")
        self.problem = page.get_by_role("alert")
        self.login_link = page.get_by_role("link", name="前往登入")
        self.resend_link = page.get_by_role("link", name="重發認證信")

    def open(self, link: str) -> VerificationPage:
        """Follow a link copied out of a mail (the scenarios click it in the mailbox)."""
        self.page.goto(link)
        return self

    @property
    def is_activated(self) -> bool:
        return self.activated_heading.is_visible()

    def go_to_login(self) -> StudentLoginPage:
        self.login_link.click()
        return StudentLoginPage(self.page)

    def go_to_resend(self) -> ResendVerificationPage:
        self.resend_link.click()
        return ResendVerificationPage(self.page)
