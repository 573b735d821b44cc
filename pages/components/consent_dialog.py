"""A 系統使用聲明事項 dialog: clauses, 「同意上述條款，請打勾。」, 「確定」, 「取消」."""

from __future__ import annotations

from playwright.sync_api import Page


class ConsentDialog:
    """The consent dialog shown before an application form opens."""

    def __init__(self, page: Page, title: str) -> None:
        self.page = page
        self.root = page.get_by_role("dialog", name=title)
        self.clauses = self.root.get_by_role("listitem")
        self.agree_box = self.root.get_by_label("同意上述條款，請打勾。")
        self.confirm_button = self.root.get_by_role("button", name="確定")
        self.cancel_link = self.root.get_by_role("link", name="取消")

    @property
    def is_open(self) -> bool:
        return self.root.is_visible()

    def agree(self) -> None:
        self.agree_box.check()

    def confirm(self) -> None:
        self.confirm_button.click()

    def accept(self) -> None:
        self.agree()
        self.confirm()
