"""「就業金卡暫存 - 列表」 (T8.8) and its 「新增申請人」 question dialog (T8.9–T8.11)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from fixtures.formats import ymd
from fixtures.models import GoldCardApplication
from pages.components.header import Header
from pages.components.menu_bar import MenuBar

HELD_EXPIRED = "是(曾經持有就業金卡但已過期)"
IN_TAIWAN = "是(境內申請)"


class NewApplicantDialog:
    """The notice, 「同意」, then the questions; the holder check answers at once."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("dialog", name="新增申請人")
        self.notice = self.root.get_by_text("不予以退費")
        self.agree_box = self.root.get_by_label("同意", exact=True)
        self.questions = self.root.get_by_role("group", name="申請人相關問題")
        self.uino = self.root.get_by_label("統一證號", exact=True)
        self.birth_date = self.root.get_by_label("出生日期", exact=True)
        self.eligibility = self.root.locator(
            "[data-eligibility-result]"
        )  # status or alert by outcome
        self.entry_documents = self.root.get_by_role("group", name="您入境中華民國或目前所持證件")
        self.refusals = self.root.get_by_role("alert")
        self.confirm_button = self.root.get_by_role("button", name="確定")
        self.cancel_link = self.root.get_by_role("link", name="取消")

    def question(self, label: str) -> Locator:
        return self.root.get_by_label(label, exact=True)

    def agree(self) -> None:
        self.agree_box.check()

    def identify(self, *, held: str, uino: str, birth_date: str, has_uino: str = "是") -> None:
        """T8.10: the card questions, then 統一證號 and 出生日期 (checked on leaving the field)."""
        self.question("是否現在或曾經持有就業金卡").select_option(held)
        if held == HELD_EXPIRED:
            self.question("是否可提供原持有就業金卡統一證號資料").select_option(has_uino)
        if has_uino == "是" and held == HELD_EXPIRED:
            self.uino.fill(uino)
            self.birth_date.fill(birth_date)
            self.birth_date.press("Tab")

    def answer_the_rest(
        self,
        *,
        in_taiwan: str = IN_TAIWAN,
        entry_document: str = "以免簽證方式入國",
        roc_national: str = "否",
        household: str = "",
        moved_out: str = "",
    ) -> None:
        """T8.11: 境內/境外, the entry document, nationality and household registration."""
        self.question("您現在是否在中華民國境內申請").select_option(in_taiwan)
        if in_taiwan == IN_TAIWAN:
            self.entry_documents.get_by_label(entry_document, exact=True).check()
        self.question("您是否具中華民國國籍").select_option(roc_national)
        if household:
            self.question("您是否在臺設有戶籍").select_option(household)
        if moved_out:
            self.question("是否辦理戶籍遷出登記").select_option(moved_out)

    def answer_for(self, application: GoldCardApplication) -> None:
        self.identify(
            held=HELD_EXPIRED, uino=application.uino, birth_date=ymd(application.birth_date)
        )
        self.answer_the_rest(entry_document=application.entry_document)

    def confirm(self) -> None:
        self.confirm_button.click()


class DraftList:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.menu = MenuBar(page)
        self.heading = page.get_by_role("heading", name="就業金卡暫存 - 列表")
        self.add_button = page.get_by_role("button", name="新增申請人")
        self.table = page.get_by_role("table", name="暫存資料")
        self.retention_note = page.get_by_text("系統僅保存30日")
        self.notice = page.get_by_role("status")
        self.dialog = NewApplicantDialog(page)
        self.delete_dialog = page.get_by_role("alertdialog", name="刪除暫存資料")

    def row(self, name: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=name)

    def add_applicant(self) -> NewApplicantDialog:
        self.add_button.click()
        return self.dialog

    def view(self, name: str) -> None:
        self.row(name).get_by_role("link", name="檢視").click()

    def edit(self, name: str) -> None:
        self.row(name).get_by_role("link", name="編輯").click()

    def delete(self, name: str) -> None:
        """「刪除」, then 「確定刪除」 in the confirmation."""
        self.row(name).get_by_role("link", name="刪除").click()
        self.delete_dialog.get_by_role("button", name="確定刪除").click()
