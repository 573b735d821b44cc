"""Creating cases: numbered once, and only once per submitted form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mock_platform.models import Case, Serial
from mock_platform.rules import receipt
from mock_platform.services import lifecycle


def by_submit_token(db: Session, token: str) -> Case | None:
    return db.scalars(select(Case).where(Case.submit_token == token)).first()


def next_number(db: Session, system: str, now: datetime) -> str:
    return receipt.make_number(system, now, _allocate(db, receipt.prefix(system, now)))


def _allocate(db: Session, prefix: str) -> int:
    """The next serial of ``prefix``, never given to two requests, whatever the timing."""
    bumped = db.execute(
        update(Serial)
        .where(Serial.prefix == prefix)
        .values(last=Serial.last + 1)
        .returning(Serial.last)
    ).scalar()
    if bumped is not None:
        return int(bumped)
    # First number of the year and system (or a database from before the counter).
    first = (db.scalar(select(func.count()).where(Case.number.startswith(prefix))) or 0) + 1
    try:
        with db.begin_nested():
            db.add(Serial(prefix=prefix, last=first))
    except IntegrityError:
        return _allocate(db, prefix)  # another request made the row a moment earlier
    return first


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
    try:
        with db.begin_nested():  # only this insert is undone if a twin got there first
            db.add(case)
    except IntegrityError:
        # A twin request (double click) won the race; its case is the one.
        twin = by_submit_token(db, submit_token)
        if twin is None:
            raise
        return twin, False
    lifecycle.start(db, case, now=now)
    return case, True
