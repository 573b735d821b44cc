"""P-role: 「外國人自行申請」「雇主提出申請」「委託代辦機構提出申請」, each to its own login."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

SELF = "外國人自行申請"
EMPLOYER = "雇主提出申請"
AGENCY = "委託代辦機構提出申請"
ROLES = (SELF, EMPLOYER, AGENCY)


class RoleChoice:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="我要申請 登入系統")

    def role(self, label: str) -> Locator:
        return self.page.get_by_role("link", name=label, exact=True)

    def choose(self, label: str) -> None:
        self.role(label).click()
