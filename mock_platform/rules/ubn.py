"""統一編號 (Unified Business Number): a company's 8 digits, the last a check digit.

The Ministry of Finance's rule: multiply the digits by 1,2,1,2,1,2,4,1, add the digits of
each product, and the total must divide by 5 (by 10 before 2023; every number valid then
is valid now). When the seventh digit is 7 its product 28 may count as 1 or 0.
"""

from __future__ import annotations

import re

WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
FORMAT = re.compile(r"^\d{8}$", re.ASCII)  # 0–9 only: int() takes full-width digits
LABEL = "統一編號"


class UBNError(ValueError):
    """A 統一編號 that cannot be right; the message names the field."""


def _digit_sum(value: int) -> int:
    return value // 10 + value % 10


def checksum_ok(number: str) -> bool:
    total = sum(_digit_sum(int(d) * w) for d, w in zip(number, WEIGHTS, strict=True))
    if total % 5 == 0:
        return True
    # The 7th digit 7: 7×4 = 28 → 2+8 = 10, which the rule lets count as 1 or as 0.
    return number[6] == "7" and (total + 1) % 5 == 0


def validate(value: str) -> str:
    """The cleaned number, or UBNError naming what is wrong."""
    number = value.strip()
    if not number:
        raise UBNError(f"{LABEL}：請輸入公司統一編號")
    if not FORMAT.match(number):
        raise UBNError(f"{LABEL}：應為 8 位數字")
    if not checksum_ok(number):
        raise UBNError(f"{LABEL}：檢查碼不正確，請確認公司統一編號是否輸入正確")
    return number
