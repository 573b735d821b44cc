"""The logged-in header: user name, 「登出倒數：mm:ss」 and 「登出」."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class Header:
    """Header of P-shell, on every page after login."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("banner")
        self.countdown = self.root.get_by_role("timer", name="登出倒數")
        self.user_name = self.root.get_by_label("登入者")
        self.logout_link = self.root.get_by_role("link", name="登出")

    @property
    def countdown_text(self) -> str:
        return self.countdown.inner_text()

    def seconds_left(self) -> int:
        """The countdown as seconds, read off the screen (「登出倒數：29:52」 → 1792)."""
        minutes, seconds = self.countdown_text.split("：")[-1].strip().split(":")
        return int(minutes) * 60 + int(seconds)

    def countdown_digits(self) -> Locator:
        return self.countdown.locator("[data-countdown]")  # the mm:ss part alone, for masking

    def log_out(self) -> None:
        self.logout_link.click()
