"""Receipt (申請收件號) and case (申請案號) numbers: 12 digits in a documented layout.

    YYY SS NNNNNN C      e.g. 115 55 000001 8

- ``YYY``: the year of the Republic of China calendar when the case was submitted
  (2026 → 115), as on the tutorials' examples (113551035170 was filed in 2024 = 113);
- ``SS``: the system that took the case (see ``SYSTEM_CODES``);
- ``NNNNNN``: a serial, counting up from 000001 per year and system;
- ``C``: a Luhn check digit over the first eleven, so a mistyped number is caught.
"""

from __future__ import annotations

from datetime import datetime

from mock_platform.clock import TAIPEI
from mock_platform.rules import text

SYSTEM_CODES: dict[str, str] = {
    "gold_card": "51",
    "gold_card_change": "52",
    "supplement": "53",
    "other_reason": "55",
    "student": "61",
}


def roc_year(moment: datetime) -> int:
    """Year of the Republic of China calendar (民國) in Taipei, 1912 being year 1."""
    local = moment.astimezone(TAIPEI) if moment.tzinfo is not None else moment
    return local.year - 1911


def luhn_digit(digits: str) -> int:
    """The Luhn check digit that completes ``digits``."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def prefix(system: str, moment: datetime) -> str:
    """The first five digits shared by every number of ``system`` in that year."""
    return f"{roc_year(moment):03d}{SYSTEM_CODES[system]}"


def make_number(system: str, moment: datetime, serial: int) -> str:
    """The 12-digit number of the ``serial``-th case of ``system`` in ``moment``'s year."""
    if not 0 < serial < 1_000_000:
        raise ValueError(f"serial out of range: {serial}")
    body = f"{prefix(system, moment)}{serial:06d}"
    return body + str(luhn_digit(body))


def is_valid(number: str) -> bool:
    """True for 12 digits whose last is the Luhn digit of the first eleven."""
    return (
        len(number) == 12
        and text.is_ascii_digits(number)
        and luhn_digit(number[:11]) == int(number[11])
    )
