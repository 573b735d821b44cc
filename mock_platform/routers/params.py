"""What an id in an address may look like, for every router.

A value outside these shapes names nothing that exists: FastAPI refuses it before the
route runs and the app answers 404 (mock_platform/app.py), never a 500 from a number
SQLite cannot bind (a 20-digit id overflows its 64-bit integers) nor a 422.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from mock_platform.rules import text

# A signed 32-bit integer: far more rows than the mock makes, and every driver binds it.
MAX_ROW_ID = 2_147_483_647
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
# 申請案號 / 申請收件號: 12 digits (rules/receipt.py).
CaseNumber = Annotated[str, Path(pattern=r"^[0-9]{12}$")]
# The server's random tokens (secrets.token_hex / token_urlsafe): letters, digits, - and _.
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
# Slugs the server names in its addresses (a payment method: "intl-card").
Slug = Annotated[str, Path(pattern=r"^[a-z0-9-]{1,40}$")]
# A login name in a mailed link; as long as the accounts table keeps (models.Account).
Username = Annotated[str, Path(min_length=1, max_length=64)]


def row_id(value: str) -> int | None:
    """An id given in a query string, or None when it cannot be one: the caller treats it
    as an id that names nothing. Its length is looked at first: int() refuses (with a
    ValueError) a string of thousands of digits."""
    if len(value) > len(str(MAX_ROW_ID)) or not text.is_ascii_digits(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ROW_ID else None
