"""One mail in the mock's webmail: subject with 「收件匣」, sender, 「寄給我」, date, body."""

from __future__ import annotations

from playwright.sync_api import Page


class MailMessage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.subject = page.get_by_role("heading", level=1)  # the subject and its 收件匣 tag
        self.inbox_tag = self.subject.get_by_text("收件匣", exact=True)
        self.sender = page.get_by_text("niasys@immigration.gov.tw", exact=True)
        self.to_me = page.get_by_text("寄給我", exact=True)
        self.date = page.get_by_role("article").get_by_role("time")
        self.body = page.get_by_role("region", name="郵件內容")
        self.links = self.body.get_by_role("link")
        self.back_link = page.get_by_role("link", name="< 返回收件匣")
        self.not_found = page.get_by_role("heading", name="找不到郵件")

    def follow_link(self, nth: int = 0) -> None:
        """Click the ``nth`` link of the body (a bilingual mail repeats its one link)."""
        self.links.nth(nth).click()

    def link_address(self, nth: int = 0) -> str | None:
        return self.links.nth(nth).get_attribute("href")

    def back_to_inbox(self) -> None:
        self.back_link.click()
