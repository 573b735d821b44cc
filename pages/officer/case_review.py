"""「案件審核」 of the officer console: the application, its files and history, and the
actions 「要求補正」, 「核准」, 「不予核准」 and 「製證完成」."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class CaseReview:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="案件審核", exact=True)
        self.summary = page.get_by_label("案件摘要")
        self.status = page.get_by_test_id("case-status")
        self.notice = page.get_by_role("status")
        self.files = page.get_by_role("table", name="上傳文件")
        self.history = page.get_by_role("table", name="辦理歷程")
        self.supplement_form = page.get_by_role("form", name="要求補正", exact=True)
        self.supplement_button = self.supplement_form.get_by_role("button", name="要求補正")
        # exact: 「核准」 is also part of 「不予核准」.
        self.approve_button = page.get_by_role("form", name="核准", exact=True).get_by_role(
            "button", name="核准", exact=True
        )
        self.reject_form = page.get_by_role("form", name="不予核准", exact=True)
        self.reason = self.reject_form.get_by_label("不予核准理由")
        self.reject_button = self.reject_form.get_by_role("button", name="不予核准")
        self.card_ready_button = page.get_by_role("form", name="製證完成").get_by_role(
            "button", name="製證完成"
        )
        self.errors = page.get_by_role("alert").filter(has_text="資料有誤，請修正以下欄位")
        self.field_errors = page.locator(".field-error")  # inline messages have no own role

    def tab(self, label: str) -> Locator:
        """One tab of the application, as a two-column table (label, value)."""
        return self.page.get_by_role("table", name=label, exact=True)

    def comment(self, tab: str) -> Locator:
        """The 審核意見 box of one tab in 「要求補正」."""
        return self.supplement_form.get_by_label(tab, exact=True)

    def history_row(self, status: str) -> Locator:
        return self.history.get_by_role("row").filter(has_text=status)

    def ask_for_supplement(self, comments: dict[str, str]) -> None:
        for tab, text in comments.items():
            self.comment(tab).fill(text)
        self.supplement_button.click()

    def approve(self) -> None:
        self.approve_button.click()

    def reject(self, reason: str) -> None:
        self.reason.fill(reason)
        self.reject_button.click()

    def mark_card_ready(self) -> None:
        self.card_ready_button.click()
