"""「就業金卡資料異動申請 - 新增」 form (T6.10–T6.11): five tabs prefilled with the card,
the changeable items open, 「文件上傳」 with the proofs and 「送出」."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from fixtures.models import Address
from pages.components.address_block import AddressBlock
from pages.components.tabbed_form import TabbedForm
from pages.components.upload_field import UploadField
from pages.gold_card.change_query import HEADING


class ChangeForm(TabbedForm):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = page.get_by_role("heading", name=HEADING)
        self.submit_button = page.get_by_role("button", name="送出")
        self.residence_address = AddressBlock(page, "居留地址")
        self.photo = UploadField(page, "照片")
        self.new_passport = UploadField(page, "新護照")
        self.residence_proof = UploadField(page, "租賃契約或水電繳費證明")
        self.name_proof = UploadField(page, "姓名或性別變更證明文件")
        self.other_documents = UploadField(page, "其他相關證明文件(無則免)")
        self.fee_rule = page.get_by_text("規費說明：")

    def change_address(self, address: Address) -> None:
        """「居留申請」: the new 居留地址, every part of it (empty parts cleared)."""
        self.residence_address.fill(address)

    def change_contact(self, *, email: str | None = None, mobile: str | None = None) -> None:
        """電子郵件 sits on 「基本資料」, 在臺聯絡手機號碼 on 「居留申請」."""
        if email is not None:
            self.open_tab("基本資料")
            self.field("電子郵件").fill(email)
        if mobile is not None:
            self.open_tab("居留申請")
            self.field("在臺聯絡手機號碼").fill(mobile)

    def upload_residence_proof(self, path: Path) -> None:
        self.residence_proof.choose(path)

    def submit(self) -> None:
        self.submit_button.click()
