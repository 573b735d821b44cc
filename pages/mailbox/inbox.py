"""The mock's webmail: one address's 收件匣 (S.4, S.16, S.17, S.23 read mails here)."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Locator, Page

from pages.mailbox.message import MailMessage

PATH = "/mailbox"


class MailboxInbox:
    """寄件者 / 主旨 / 日期, newest first; each 主旨 opens the mail."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = page.get_by_role("banner")
        self.heading = page.get_by_role("heading", name="收件匣")
        self.mails = page.get_by_role("table", name="收件匣")
        self.rows = self.mails.get_by_role("row").filter(has=page.get_by_role("cell"))
        self.empty = page.get_by_text("收件匣中沒有郵件。")

    def open(self, address: str, base_url: str = "") -> MailboxInbox:
        self.page.goto(f"{base_url}{PATH}/{quote(address, safe='@+')}")
        return self

    def row(self, subject: str, nth: int = 0) -> Locator:
        """The ``nth`` mail (0: the newest) whose subject contains ``subject``."""
        return self.rows.filter(has_text=subject).nth(nth)

    def open_mail(self, subject: str, nth: int = 0) -> MailMessage:
        self.row(subject, nth).get_by_role("link").click()
        return MailMessage(self.page)
