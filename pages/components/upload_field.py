"""An upload field of 應檢附文件: file rows with 「清除」 and 「+」, and its message."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page


class UploadField:
    """One labelled upload group, e.g. 「護照」; rows are counted from 0."""

    def __init__(self, page: Page, label: str) -> None:
        self.page = page
        self.label = label
        self.root = page.get_by_role("group", name=label, exact=True)
        self.file_inputs = self.root.get_by_label(label, exact=True)
        self.clear_buttons = self.root.get_by_role("button", name="清除")
        self.add_button = self.root.get_by_role("button", name=f"{label}：新增一個檔案")
        self.error = self.root.get_by_role("alert")

    def row_status(self, row: int = 0) -> Locator:
        return self.root.locator("[data-status]").nth(row)  # status text has no role of its own

    def choose(self, path: Path, row: int = 0) -> None:
        """Pick a file in row ``row``; the platform checks it at once."""
        self.file_inputs.nth(row).set_input_files(path)

    def clear(self, row: int = 0) -> None:
        self.clear_buttons.nth(row).click()

    def add_row(self) -> None:
        self.add_button.click()

    @property
    def row_count(self) -> int:
        return self.file_inputs.count()
