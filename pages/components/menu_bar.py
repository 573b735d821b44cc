"""The menu bar of P-shell: 「待辦事項」「線上申辦」「進度查詢」… each with a drop-down."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class MenuBar:
    """Drop-down menus; ``choose("線上申請", "其他事由居留證申請")`` is one menu click."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("navigation", name="功能選單")

    def menu(self, name: str) -> Locator:
        return self.root.get_by_text(name, exact=True)

    def item(self, name: str, menu: str | None = None) -> Locator:
        """A drop-down entry; name the ``menu`` when two menus offer the same entry."""
        scope = self.root.locator(f'details[data-menu="{menu}"]') if menu else self.root
        return scope.get_by_role("link", name=name, exact=True)

    def open(self, menu: str) -> Locator:
        """Unfold ``menu`` and return its item list's container."""
        self.menu(menu).click()
        return self.root

    def choose(self, menu: str, item: str) -> None:
        self.open(menu)
        self.item(item, menu).click()
