"""One layer for every typed text field: length, invisible characters, digits, e-mail, Chinese.

Every form of the mock reads its text through ``clean`` (directly, or through
``forms.check_fields``), so the same hostile input gets the same answer everywhere:
a message that starts with the field's label and says what is wrong, and nothing
stored. The limits are the ones a real government form sets (``MAX_LENGTH``).
"""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

# What a field of each kind may hold at most, in characters.
MAX_LENGTH: dict[str, int] = {
    "text": 100,  # names, streets, schools, titles
    "short": 30,  # numbers the user types: passport, phone, 統一證號, postcode
    "email": 254,  # RFC 5321's path limit
    "date": 10,  # YYYY/MM/DD
    "password": 64,
    "multiline": 1000,  # replies and comments to the agency
}
# Characters nobody types into a form: C0/C1 controls (a line break only where the
# field has several lines), zero-width and bidirectional overrides (they make text
# read differently than it is stored), the byte-order mark, non-characters.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_LINE_BREAK = re.compile("[\r\n\t]")
# Markup: a tag's opening (<b, </b, <!--, <?xml). Shown back, it is escaped anyway; a
# form of the agency has no use for it, so it is refused, as its firewall would.
# "a < b" and "<5 years" pass.
_MARKUP = re.compile(r"<\s*[A-Za-z!/?]")
ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# CJK names may carry the interpunct of transliterated foreign names.
_NAME_MARKS = frozenset("·．‧・")


class TextRejected(ValueError):
    """A value no field accepts; the message names the field and what is wrong."""


def clean(label: str, value: str, *, max_length: int, multiline: bool = False) -> str:
    """``value`` stripped and checked; raise TextRejected naming ``label``."""
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    if len(value) > max_length:
        raise TextRejected(f"{label}：最多 {max_length} 個字，您輸入了 {len(value)} 個字")
    if _CONTROL.search(value) or (not multiline and _LINE_BREAK.search(value)):
        raise TextRejected(f"{label}：含有無法顯示的控制字元，請重新輸入")
    if _MARKUP.search(value):
        raise TextRejected(f"{label}：請勿輸入 HTML 標籤或程式碼（以「<」開頭的標記）")
    return value


def is_ascii_digits(value: str) -> bool:
    """Only 0–9: full-width, Arabic-Indic or superscript digits are not numbers to a form."""
    return ASCII_DIGITS.fullmatch(value) is not None


def digits_message(label: str) -> str:
    return f"{label}：請輸入半形數字（0-9）"


def is_han(char: str) -> bool:
    """A Chinese character of any CJK block, the extensions beyond the BMP included."""
    name = unicodedata.name(char, "")
    return name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def is_chinese_name(value: str) -> bool:
    """Han characters (any block: 𠀀, 𪚥 are real names' characters) and the interpunct."""
    return bool(value) and all(is_han(char) or char in _NAME_MARKS for char in value)


def email(label: str, value: str) -> str:
    """The address normalised by email-validator, or TextRejected naming ``label``."""
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise TextRejected(f"{label}：格式不正確（例如 name@example.com）") from None
    return checked.normalized
