"""S.10–S.13 「大頭照自動裁切」: choose a photo, 「上傳並裁切」, both previews, download, 「關閉」."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Download, Page

NO_FACE = "未偵測到臉部，已改以圖片中央裁切"


class PhotoCropDialog:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("dialog", name="大頭照自動裁切")
        self.file_input = self.root.get_by_label("大頭照檔案上傳", exact=True)
        self.crop_button = self.root.get_by_role("button", name="上傳並裁切")
        self.reset_button = self.root.get_by_role("button", name="重設")
        self.original_preview = self.root.get_by_role("img", name="原始圖檔預覽")
        self.cropped_preview = self.root.get_by_role("img", name="自動裁切處理後預覽")
        self.notice = self.root.get_by_role("status")
        self.error = self.root.get_by_role("alert")
        self.download_link = self.root.get_by_role("link", name="處理後檔案下載(Download)")
        self.close_button = self.root.get_by_role("button", name="關閉")

    def choose(self, photo: Path) -> None:
        self.file_input.set_input_files(photo)

    def upload_and_crop(self) -> None:
        self.crop_button.click()

    def download(self, folder: Path) -> Path:
        """「處理後檔案下載(Download)」: the processed photo, saved under ``folder``."""
        with self.page.expect_download() as info:
            self.download_link.click()
        download: Download = info.value
        target = folder / download.suggested_filename
        download.save_as(target)
        return target

    def close(self) -> None:
        self.close_button.click()
