"""Finding a Gold Card holder by what a query form asks: 統一證號 and 出生日期(西元)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_platform.models import CardHolder
from mock_platform.rules import dates, uino

BIRTH_LABEL = "出生日期(西元)"


def read_identity(
    uino_value: str, birth_date: str
) -> tuple[str, date | None, list[tuple[str, str]]]:
    """The cleaned 統一證號 and birth date, or every problem with them, each naming its field."""
    errors: list[tuple[str, str]] = []
    number = ""
    born = None
    try:
        number = uino.validate(uino_value)
    except uino.UINumberError as error:
        errors.append(("uino", str(error)))
    try:
        born = dates.parse(BIRTH_LABEL, birth_date) if birth_date.strip() else None
        if born is None:
            errors.append(("birth_date", f"{BIRTH_LABEL}：此欄位為必填，請填寫{BIRTH_LABEL}"))
    except dates.DateError as error:
        errors.append(("birth_date", str(error)))
    return number, born, errors


def by_number(db: Session, number: str) -> CardHolder | None:
    return db.scalars(select(CardHolder).where(CardHolder.uino == number)).first()
