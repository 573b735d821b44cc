"""The error summary at the top of a form (every problem once, each naming its field)."""

from __future__ import annotations

from playwright.sync_api import Page


class ErrorSummary:
    def __init__(self, page: Page) -> None:
        self.root = page.get_by_role("alert").filter(has_text="資料有誤，請修正以下欄位")
        self.items = self.root.get_by_role("listitem")

    @property
    def is_shown(self) -> bool:
        return self.root.is_visible()
