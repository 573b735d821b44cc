"""「補正(件) - 申請人資料補正」 (T5.9–T5.13): seven tabs, each with the officer's 「審核意見」
on top; new files on 「文件上傳」; 「審核意見回覆」 and 「送出」 on 「完成送出」."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

from pages.components.tabbed_form import TabbedForm
from pages.components.upload_field import UploadField

HEADING = "補正(件) - 申請人資料補正"
TABS = (
    "基本資料",
    "護照資料",
    "簽證申請(繳驗護照)",
    "居留申請",
    "領域專長",
    "文件上傳",
    "完成送出",
)
ABROAD_BOX = "文件由國外寄送(補正期限為6個月)"
REPLY_HINT = "為加速審核時間，請以中文輸入回覆意見。"


class SupplementForm(TabbedForm):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = page.get_by_role("heading", name=HEADING)
        self.reply = page.get_by_label("審核意見回覆", exact=True)
        self.reply_hint = page.get_by_text(REPLY_HINT)
        self.abroad_box = page.get_by_label(ABROAD_BOX)
        self.submit_button = page.get_by_role("button", name="送出")
        self.refusal = page.locator("[data-refusal]")  # why a 「送出」 changed nothing
        self.deadline_notice = page.locator("[data-deadline-notice]")  # read-only or late
        self.photo = UploadField(page, "照片")
        self.qualification_proof = UploadField(page, "資格證明文件")
        self.other_documents = UploadField(page, "其他相關證明文件(無則免)")

    def comment(self, tab: str) -> Locator:
        """The 「審核意見」 box on top of ``tab``."""
        return self.panel(tab).get_by_role("region", name="審核意見", exact=True)

    def upload_field(self, label: str) -> UploadField:
        return UploadField(self.page, label)

    @property
    def is_read_only(self) -> bool:
        return self.submit_button.count() == 0

    def correct(self, tab: str, label: str, value: str) -> None:
        """Open ``tab`` and type ``value`` into its field ``label``."""
        self.open_tab(tab)
        self.field(label).fill(value)

    def upload(self, field: UploadField, *paths: Path) -> None:
        """On 「文件上傳」: one file per row, adding rows with 「+」 as needed."""
        self.open_tab("文件上傳")
        for row, path in enumerate(paths):
            if row >= field.row_count:
                self.add_row(field)
            field.choose(path, row)

    def add_row(self, field: UploadField) -> None:
        """「+」: every row has one once there are several; the last adds after it."""
        field.add_button.last.click()

    def write_reply(self, text: str) -> None:
        """On 「完成送出」: the 「審核意見回覆」 for the officer."""
        self.open_tab("完成送出")
        self.reply.fill(text)

    def submit(self) -> None:
        self.submit_button.click()
