"""「線上繳費」 as data: the six payment methods, the texts the screens print, the mock
gateway's test cards, the convenience-store slip and its Code 39 barcodes.

Texts in 「」 are the platform's own, as the student tutorial prints them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from mock_platform.clock import TAIPEI
from mock_platform.rules import text
from mock_platform.rules.receipt import luhn_digit, roc_year

CARD = "card"  # a card form on the gateway: 卡號, 有效期限, 安全碼
TRANSFER = "transfer"  # an account to transfer to; the gateway simulates the transfer
STORE = "store"  # a slip printed now, paid at a store counter later


@dataclass(frozen=True)
class Method:
    """One choice of 「線上繳費 - 繳費方式選擇」."""

    key: str  # its slug in the gateway's address
    label: str
    label_en: str
    kind: str
    subtitle: str = ""  # the small print above the label (E政府: 「網路ATM、現金繳費」)
    handling_fee: int = 0  # NT$ added to the 規費 (only the stores charge a fixed one)
    note: str = ""


STORE_NOTE = (
    "[註1]：若使用「四大超商」繳費，於繳費後約2至3個工作天即完成交易，繳費完成後將不予以退費。"
)

# In the order the platform shows them.
METHODS: tuple[Method, ...] = (
    Method("egov", "E政府繳費平台繳費", "E-Government Payment", TRANSFER, "網路ATM、現金繳費"),
    Method("intl-card", "國際信用卡網路繳費", "International Credit Card ePayment", CARD),
    Method("web-atm", "網路收單ATM繳費", "Web ATM Payment", TRANSFER),
    Method("virtual-account", "虛擬帳戶繳費", "Virtual Account Payment", TRANSFER),
    Method(
        "convenience-store",
        "四大超商繳費",
        "Convenience Store Payment",
        STORE,
        handling_fee=8,
        note="手續費：8元",
    ),
    Method("tw-card", "臺灣發行信用卡繳費", "Taiwan Credit Card ePayment", CARD),
)
METHODS_BY_KEY: dict[str, Method] = {method.key: method for method in METHODS}
METHOD_FIELD = "繳費方式"

# 「線上繳費 - 明細」
HANDLING_FEE_TEXT = "依後續所選擇繳費方式，各繳費平台將收取若干之交易處理費或手續費。"
DETAIL_NOTES: tuple[str, ...] = (
    "繳費成功後，將不退費。",
    "繳費後本署僅開立規費收據，無法開立相關之交易處理費或手續費收據。",
    "審核單位有權駁回及拒絕核發給予相關申請許可證明，特此聲明。",
)

# A payment's own states (a case's are in case_status).
PENDING = "pending"
PAID = "paid"
DECLINED = "declined"
CANCELLED = "cancelled"
STATUS_LABELS: dict[str, str] = {
    PENDING: "待繳費",
    PAID: "繳費成功",
    DECLINED: "繳費失敗",
    CANCELLED: "已取消繳費",
}

# What a case is issued (核發證別), by the system that took it.
CARD_ISSUED: dict[str, str] = {"gold_card": "就業金卡", "other_reason": "居留證"}


def card_issued(system: str) -> str:
    for prefix, label in CARD_ISSUED.items():
        if system.startswith(prefix):
            return label
    return "居留證"


def money(amount: int) -> str:
    """「NT 5,300」, as 「線上繳費 - 明細」 prints totals."""
    return f"NT {amount:,}"


# ---------------------------------------------------------------- the mock gateway's cards

# Documented test numbers (README, gateway page): any other number passing the Luhn
# check is approved, like 4111 1111 1111 1111.
APPROVED_TEST_CARD = "4111111111111111"
DECLINED_CARDS: dict[str, str] = {
    "4000000000000002": "發卡銀行拒絕交易 (回應碼 05：拒絕授權)，請改用其他卡片或繳費方式。",
}
# re.ASCII: 0–9 only. int() reads full-width digits and refuses superscripts, which
# str.isdigit() accepts: a typed 「４１１１」 or 「⁴¹¹¹」 is told to use 0–9 instead.
_EXPIRY = re.compile(r"^(\d{2})\s*/\s*(\d{2})$", re.ASCII)
_CVC = re.compile(r"^\d{3}$", re.ASCII)
# A card number as printed or typed: groups of digits with spaces or dashes between
# them, never before the first (「-4111…」 is not a card number).
_CARD_NUMBER = re.compile(r"^[0-9]+(?:[ -]+[0-9]+)*$", re.ASCII)
_SEPARATORS = re.compile(r"[\s-]", re.ASCII)
# The card form's inputs: (name, label). One kind of limit for all three: they are
# numbers the user types (text.MAX_LENGTH["short"]); the formats below say the rest.
CARD_FIELDS: tuple[tuple[str, str], ...] = (
    ("card_number", "卡號"),
    ("expiry", "有效期限"),
    ("cvc", "安全碼"),
)
CARD_FIELD_MAX = text.MAX_LENGTH["short"]


class CardError(ValueError):
    """What is wrong with a typed card: ``field`` names the input, the text says what."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def luhn_ok(digits: str) -> bool:
    return len(digits) > 1 and luhn_digit(digits[:-1]) == int(digits[-1])


def check_card(form: Mapping[str, object], today: date) -> tuple[dict[str, str], list[CardError]]:
    """The card form read and checked: each input cleaned under its label (length,
    control characters; a refused one is blank), then the formats; every problem once."""
    values: dict[str, str] = {}
    errors: list[CardError] = []
    for name, label in CARD_FIELDS:
        try:
            values[name] = text.clean(label, str(form.get(name, "")), max_length=CARD_FIELD_MAX)
        except text.TextRejected as error:
            values[name] = ""
            errors.append(CardError(name, str(error)))
    named = {error.field for error in errors}
    formats = card_errors(values["card_number"], values["expiry"], values["cvc"], today)
    return values, errors + [error for error in formats if error.field not in named]


def card_errors(number: str, expiry: str, cvc: str, today: date) -> list[CardError]:
    """Every problem of the card form, each naming its field; empty when it may be charged."""
    errors: list[CardError] = []
    digits = card_digits(number)
    if not digits:
        errors.append(CardError("card_number", "卡號：請填寫信用卡卡號"))
    elif not digits.isascii():
        errors.append(CardError("card_number", text.digits_message("卡號")))
    elif not _CARD_NUMBER.match(number.strip()) or not 13 <= len(digits) <= 19:
        errors.append(CardError("card_number", "卡號：請填寫 13 至 19 位數字的卡號"))
    elif not luhn_ok(digits):
        errors.append(CardError("card_number", "卡號：檢查碼不正確，請確認卡號是否輸入錯誤"))
    expiry = expiry.strip()
    match = _EXPIRY.match(expiry)
    if not expiry:
        errors.append(CardError("expiry", "有效期限：請填寫卡片有效期限 (MM/YY)"))
    elif not expiry.isascii():
        errors.append(CardError("expiry", text.digits_message("有效期限")))
    elif match is None or not 1 <= int(match.group(1)) <= 12:
        errors.append(CardError("expiry", "有效期限：請依 MM/YY 格式填寫，例如 08/29"))
    else:
        month, year = int(match.group(1)), 2000 + int(match.group(2))
        # A card is good through the last day of its month.
        if (year, month) < (today.year, today.month):
            errors.append(CardError("expiry", "有效期限：此卡已過期，請改用其他卡片"))
    cvc = cvc.strip()
    if cvc and not cvc.isascii():
        errors.append(CardError("cvc", text.digits_message("安全碼")))
    elif not _CVC.match(cvc):
        errors.append(CardError("cvc", "安全碼：請填寫卡片背面的 3 位數安全碼"))
    return errors


def card_digits(number: str) -> str:
    return _SEPARATORS.sub("", number)


def decline_reason(number: str) -> str | None:
    """Why the issuer refuses this (well-formed) card, or None when it pays."""
    return DECLINED_CARDS.get(card_digits(number))


def grouped(number: str) -> str:
    """「4111 1111 1111 1111」: a card number as printed on the card."""
    digits = card_digits(number)
    return " ".join(digits[start : start + 4] for start in range(0, len(digits), 4))


# ---------------------------------------------------------------- the convenience-store slip

STORE_DAYS = 3  # 繳費期限: three days after the slip is made, to the day's end in Taipei
STORE_COLLECTOR = "NIA"  # the 代收項目 code of the first barcode (mock value)


def store_deadline(created: datetime) -> datetime:
    """The last moment the store accepts the slip: 23:59:59 Taipei, ``STORE_DAYS`` later.

    In UTC, as every stored instant: SQLite drops the zone and readers take it as UTC."""
    day = created.astimezone(TAIPEI).date() + timedelta(days=STORE_DAYS)
    return datetime.combine(day, time(23, 59, 59), tzinfo=TAIPEI).astimezone(UTC)


def store_barcodes(reference: str, deadline: datetime, total: int) -> tuple[str, str, str]:
    """The three barcodes of a Taiwanese store slip (三段條碼), laid out as stores read them:
    繳費期限 (ROC YYMMDD) + 代收項目; the 銷帳編號; the due date (MMDD) + amount (9 digits)."""
    local = deadline.astimezone(TAIPEI)
    first = f"{roc_year(local) % 100:02d}{local:%m%d}{STORE_COLLECTOR}"
    third = f"{local:%m%d}{total:09d}"
    return first, reference, third


# Code 39: each character is 9 elements (bar, space, bar, …), three of them wide.
_CODE39: dict[str, str] = {
    "0": "nnnwwnwnn", "1": "wnnwnnnnw", "2": "nnwwnnnnw", "3": "wnwwnnnnn",
    "4": "nnnwwnnnw", "5": "wnnwwnnnn", "6": "nnwwwnnnn", "7": "nnnwnnwnw",
    "8": "wnnwnnwnn", "9": "nnwwnnwnn", "A": "wnnnnwnnw", "B": "nnwnnwnnw",
    "C": "wnwnnwnnn", "D": "nnnnwwnnw", "E": "wnnnwwnnn", "F": "nnwnwwnnn",
    "G": "nnnnnwwnw", "H": "wnnnnwwnn", "I": "nnwnnwwnn", "J": "nnnnwwwnn",
    "K": "wnnnnnnww", "L": "nnwnnnnww", "M": "wnwnnnnwn", "N": "nnnnwnnww",
    "O": "wnnnwnnwn", "P": "nnwnwnnwn", "Q": "nnnnnnwww", "R": "wnnnnnwwn",
    "S": "nnwnnnwwn", "T": "nnnnwnwwn", "U": "wwnnnnnnw", "V": "nwwnnnnnw",
    "W": "wwwnnnnnn", "X": "nwnnwnnnw", "Y": "wwnnwnnnn", "Z": "nwwnwnnnn",
    "-": "nwnnnnwnw", ".": "wwnnnnwnn", " ": "nwwnnnwnn", "*": "nwnnwnwnn",
}  # fmt: skip
WIDE = 2  # modules of a wide element (a narrow one is 1)


def code39_modules(text: str) -> str:
    """``text`` as Code 39 modules ('1' bar, '0' space), framed by the '*' start/stop."""
    unknown = sorted({char for char in text.upper() if char not in _CODE39 or char == "*"})
    if unknown:
        raise ValueError(f"Code 39 cannot encode {''.join(unknown)!r}")
    chars = []
    for char in f"*{text.upper()}*":
        elements = _CODE39[char]
        chars.append(
            "".join(
                ("1" if index % 2 == 0 else "0") * (WIDE if width == "w" else 1)
                for index, width in enumerate(elements)
            )
        )
    return "0".join(chars)  # one narrow space between characters


def code39_bars(text: str) -> tuple[list[tuple[int, int]], int]:
    """The bars of ``text`` as (x, width) in modules, and the total width, for an SVG."""
    modules = code39_modules(text)
    bars = [(m.start(), m.end() - m.start()) for m in re.finditer("1+", modules)]
    return bars, len(modules)
