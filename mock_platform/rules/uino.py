"""統一證號 (UI number) rules: the new-format number issued to foreign residents.

Layout: one letter (the issuing area), ``8`` or ``9``, seven digits, one check digit.
The check digit uses the same weighting as the national ID: the letter becomes two
digits (A=10 … Z=33, with the historic order of I, O, W, X, Y, Z), those two and the
eight digits after the letter are weighted 1, 9, 8, 7, 6, 5, 4, 3, 2, 1, and that
total plus the check digit must be a multiple of ten. The tutorial's A800013146 passes.
"""

from __future__ import annotations

import re

LETTER_CODES: dict[str, int] = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17,
    "I": 34, "J": 18, "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23,
    "Q": 24, "R": 25, "S": 26, "T": 27, "U": 28, "V": 29, "W": 32, "X": 30,
    "Y": 31, "Z": 33,
}  # fmt: skip

# re.ASCII: 0–9 only (int() would read full-width digits and pass the check digit).
NEW_FORMAT = re.compile(r"^[A-Z][89]\d{8}$", re.ASCII)
HALF_WIDTH = "統一證號格式錯誤：請使用半形英數字輸入（1 個英文字母加 9 位數字，例如 A800013146）"
WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1)


class UINumberError(ValueError):
    """A 統一證號 that is malformed or fails its check digit; the text is user-facing."""


def check_digit(first_nine: str) -> int:
    """The check digit that completes a letter plus eight digits."""
    code = LETTER_CODES[first_nine[0]]
    digits = [code // 10, code % 10, *(int(ch) for ch in first_nine[1:])]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=True))
    return (10 - total % 10) % 10


def normalise(value: str) -> str:
    """Drop spaces and upper-case, the way a user's typing is forgiven."""
    return "".join(value.split()).upper()


def validate(value: str) -> str:
    """Return the normalised number, or raise UINumberError saying what is wrong."""
    typed = "".join(value.split())
    if not typed:
        raise UINumberError("統一證號為必填")
    # Looked at before upper-casing: "ſ".upper() is "S", and full-width "Ａ８" are not the
    # number on the card either; the user is told to switch the input to half-width.
    if not typed.isascii():
        raise UINumberError(HALF_WIDTH)
    number = typed.upper()
    if not NEW_FORMAT.match(number):
        raise UINumberError(
            "統一證號格式錯誤：應為 1 個英文字母、數字 8 或 9、再 8 位數字，共 10 碼（例如 A800013146）"
        )
    if check_digit(number[:9]) != int(number[9]):
        raise UINumberError("統一證號檢查碼錯誤，請確認號碼是否輸入正確")
    return number


def is_valid(value: str) -> bool:
    """True when ``value`` is a well-formed 統一證號 with a correct check digit."""
    try:
        validate(value)
    except UINumberError:
        return False
    return True
