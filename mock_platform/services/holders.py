"""Finding a Gold Card holder by what a query form asks: 統一證號 and 出生日期(西元)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_platform.models import CardHolder
from mock_platform.rules import dates, text, uino

UINO_LABEL = "統一證號"
BIRTH_LABEL = "出生日期(西元)"
# (form name, label, limit): both are typed, both short.
IDENTITY_FIELDS: tuple[tuple[str, str, int], ...] = (
    ("uino", UINO_LABEL, text.MAX_LENGTH["short"]),
    ("birth_date", BIRTH_LABEL, text.MAX_LENGTH["date"]),
)


def read_identity(
    form: Mapping[str, object],
) -> tuple[dict[str, str], str, date | None, list[tuple[str, str]]]:
    """The two fields as typed (cleaned; blank when refused, so nothing of a refused value
    is shown back), the 統一證號 and birth date they give, and every problem with them,
    each naming its field."""
    values: dict[str, str] = {}
    errors: list[tuple[str, str]] = []
    for name, label, limit in IDENTITY_FIELDS:
        try:
            values[name] = text.clean(label, str(form.get(name, "")), max_length=limit)
        except text.TextRejected as error:
            values[name] = ""
            errors.append((name, str(error)))
    refused = {name for name, _ in errors}
    number = ""
    born = None
    if "uino" not in refused:
        try:
            number = uino.validate(values["uino"])
        except uino.UINumberError as error:
            errors.append(("uino", str(error)))
    if "birth_date" not in refused:
        try:
            born = dates.parse(BIRTH_LABEL, values["birth_date"]) if values["birth_date"] else None
            if born is None:
                errors.append(("birth_date", f"{BIRTH_LABEL}：此欄位為必填，請填寫{BIRTH_LABEL}"))
        except dates.DateError as error:
            errors.append(("birth_date", str(error)))
    # Screen order: 統一證號 first.
    errors.sort(key=lambda error: error[0] != "uino")
    return values, number, born, errors


def by_number(db: Session, number: str) -> CardHolder | None:
    return db.scalars(select(CardHolder).where(CardHolder.uino == number)).first()
