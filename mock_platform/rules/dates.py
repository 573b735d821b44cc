"""Dates as users type them on the platform: YYYY/MM/DD, Western calendar."""

from __future__ import annotations

import re
from datetime import date, datetime

# re.ASCII: 0–9 only; strptime itself would read full-width digits as a date.
PATTERN = re.compile(r"^\d{4}/\d{2}/\d{2}$", re.ASCII)


class DateError(ValueError):
    """A date that is malformed or impossible; the text is user-facing."""


def parse(label: str, value: str) -> date:
    text = value.strip()
    if not PATTERN.match(text):
        raise DateError(f"{label}：日期格式須為 YYYY/MM/DD（例如 2030/08/08）")
    try:
        return datetime.strptime(text, "%Y/%m/%d").date()
    except ValueError:
        raise DateError(f"{label}：{text} 不是有效的日期") from None


def show(value: date) -> str:
    return value.strftime("%Y/%m/%d")
