"""Creating cases: numbered once, and only once per submitted form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mock_platform.models import Case
from mock_platform.rules import receipt
from mock_platform.services import lifecycle


def by_submit_token(db: Session, token: str) -> Case | None:
    return db.scalars(select(Case).where(Case.submit_token == token)).first()


def next_number(db: Session, system: str, now: datetime) -> str:
    first_five = receipt.prefix(system, now)
    taken = db.scalar(select(func.count()).where(Case.number.startswith(first_five))) or 0
    return receipt.make_number(system, now, taken + 1)


def create_once(
    db: Session,
    *,
    submit_token: str,
    system: str,
    kind: str,
    title: str,
    account_id: int,
    holder_id: int | None,
    data: dict[str, Any],
    now: datetime,
    status: str = "已送件",
    fee: int = 0,
) -> tuple[Case, bool]:
    """The case for ``submit_token``: made now (True) or already made by an earlier submit."""
    existing = by_submit_token(db, submit_token)
    if existing is not None:
        return existing, False
    case = Case(
        number=next_number(db, system, now),
        system=system,
        kind=kind,
        title=title,
        status=status,
        fee=fee,
        account_id=account_id,
        holder_id=holder_id,
        submit_token=submit_token,
        submitted_at=now,
        data=data,
    )
    db.add(case)
    try:
        db.flush()
    except IntegrityError:
        # A twin request (double click) won the race; its case is the one.
        db.rollback()
        twin = by_submit_token(db, submit_token)
        if twin is None:
            raise
        return twin, False
    lifecycle.start(db, case, now=now)
    return case, True
