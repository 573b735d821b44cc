"""「收據下載」: a paid case's 規費收據 as a real PDF, in Chinese a reader can show and
a program can extract.

fpdf2 embeds a subset of the font. It must be a TrueType-outline font: fpdf2 embeds
CFF-outline fonts (Noto Sans CJK) with their own CMap encoding, which PDF readers draw
but pypdf cannot decode into text. AR PL UMing (Debian ``fonts-arphic-uming``, installed
by scripts/setup.sh) has TrueType outlines and Taiwan's standard glyph forms.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from mock_platform import systems
from mock_platform.clock import TAIPEI

FONT_PACKAGE = "fonts-arphic-uming"
FONT_PATHS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/arphic-uming/uming.ttc"),
)
FONT_INDEX = 2  # the collection's 「AR PL UMing TW」 face
FONT = "uming"
TITLE = "內政部移民署 規費收據"
DISCLAIMER = "本收據由 coa-e2e 模擬平臺產生，僅供測試與教學製作使用，不具法律效力。"

# The subsetter drops uming's embedded bitmaps with a warning per receipt; the outlines
# are all a PDF needs, so the warning is noise in the server log.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

_DIGITS = "零壹貳參肆伍陸柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "萬", "億")


class ReceiptFontMissing(RuntimeError):
    """The CJK font the receipt embeds is not installed on this machine."""


@dataclass(frozen=True)
class ReceiptData:
    """What one 規費收據 states."""

    case_number: str
    applicant: str
    item: str
    card: str
    amount: int
    paid_at: datetime
    method: str
    reference: str


def font_path() -> Path:
    for path in FONT_PATHS:
        if path.is_file():
            return path
    raise ReceiptFontMissing(
        f"收據字型不存在 (looked at {', '.join(map(str, FONT_PATHS))}); "
        f"install the Debian package {FONT_PACKAGE} (make setup does)"
    )


def amount_in_words(amount: int) -> str:
    """NT$ in the capital numerals receipts use: 5300 → 「伍仟參佰元整」."""
    if amount < 0 or amount >= 10**12:
        raise ValueError(f"amount out of range: {amount}")
    if amount == 0:
        return "零元整"
    groups: list[str] = []
    zero_pending = False
    # Four-digit groups from the top (億, 萬, units); a zero between figures is said once.
    for big in reversed(range(len(_BIG_UNITS))):
        group = amount // 10 ** (4 * big) % 10**4
        if group == 0:
            zero_pending = bool(groups)
            continue
        words = ""
        for small in reversed(range(4)):
            digit = group // 10**small % 10
            if digit == 0:
                zero_pending = bool(groups or words)
                continue
            if zero_pending:
                words += "零"
                zero_pending = False
            words += _DIGITS[digit] + _SMALL_UNITS[small]
        groups.append(words + _BIG_UNITS[big])
    return "".join(groups) + "元整"


def render(receipt: ReceiptData) -> bytes:
    """The receipt as PDF bytes."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"{TITLE} {receipt.case_number}")
    pdf.set_author(systems.AGENCY_NAME)
    pdf.set_subject(f"申請案號 {receipt.case_number}")
    pdf.set_creator("coa-e2e mock platform")
    pdf.add_font(FONT, fname=str(font_path()), collection_font_number=FONT_INDEX)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()

    pdf.set_draw_color(13, 59, 102)
    pdf.set_line_width(0.6)
    pdf.rect(15, 15, 180, 175)
    pdf.set_xy(15, 22)
    pdf.set_font(FONT, size=22)
    pdf.cell(180, 12, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.set_x(15)
    pdf.cell(180, 6, systems.AGENCY_NAME_EN, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(15)
    pdf.cell(180, 6, "FEE RECEIPT", align="C", new_x="LMARGIN", new_y="NEXT")

    paid = receipt.paid_at.astimezone(TAIPEI)
    rows = (
        ("申請案號", receipt.case_number),
        ("申請人", receipt.applicant),
        ("申辦項目", receipt.item),
        ("核發證別", receipt.card),
        ("繳費金額", f"NT${receipt.amount:,} (新臺幣{amount_in_words(receipt.amount)})"),
        ("繳費日期", f"{paid:%Y/%m/%d %H:%M} (臺北時間)"),
        ("繳費方式", receipt.method),
        ("銷帳編號", receipt.reference),
    )
    pdf.set_line_width(0.2)
    top = 50
    for index, (label, value) in enumerate(rows):
        pdf.set_xy(25, top + index * 11)
        pdf.set_font(FONT, size=12)
        pdf.cell(35, 11, label, border=1, align="C")
        pdf.set_font(FONT, size=13)
        pdf.cell(125, 11, f"  {value}", border=1, new_x="LMARGIN", new_y="NEXT")

    pdf.set_font(FONT, size=10)
    pdf.set_xy(25, top + len(rows) * 11 + 6)
    pdf.multi_cell(
        160,
        6,
        "說明：\n"
        "1. 本收據為規費收據，不含各繳費平台收取之交易處理費或手續費。\n"
        "2. 繳費成功後，將不退費。\n"
        f"3. {DISCLAIMER}",
    )
    pdf.set_xy(25, 175)  # below the notes, inside the frame
    pdf.set_font(FONT, size=12)
    pdf.cell(160, 8, f"開立機關：{systems.AGENCY_NAME}", align="R")
    return bytes(pdf.output())
