"""Drafts (「暫存」): owned by one account, kept 30 days from the day first saved.

「尚未完成送出申請之暫存資料(含已上傳之應檢附文件檔案)，系統僅保存30日(自上傳暫存當日(含)
起算)，超過30日則系統自動刪除。」 The day of the first save is day 1; on day 31 the draft
and its files are gone.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_platform.clock import TAIPEI
from mock_platform.models import Draft
from mock_platform.services import uploads

KEPT_DAYS = 30


def last_day(draft: Draft) -> date:
    """The last Taipei day the draft is still kept."""
    saved = draft.created_at
    # SQLite hands datetimes back without their zone; they were stored in UTC.
    local = (saved if saved.tzinfo else saved.replace(tzinfo=UTC)).astimezone(TAIPEI)
    return local.date() + timedelta(days=KEPT_DAYS - 1)


def purge_expired(db: Session, account_id: int, today: date) -> None:
    for draft in db.scalars(select(Draft).where(Draft.account_id == account_id)).all():
        if today > last_day(draft):
            delete(db, draft)
    db.flush()  # so the lookups that follow no longer see what was purged


def of_account(db: Session, account_id: int, kind: str, today: date) -> list[Draft]:
    purge_expired(db, account_id, today)
    return list(
        db.scalars(
            select(Draft)
            .where(Draft.account_id == account_id, Draft.kind == kind)
            .order_by(Draft.created_at, Draft.id)
        ).all()
    )


def owned(db: Session, account_id: int, draft_id: int, today: date) -> Draft | None:
    """The draft if it is this account's and still kept; strangers see nothing."""
    purge_expired(db, account_id, today)
    draft = db.get(Draft, draft_id)
    return draft if draft is not None and draft.account_id == account_id else None


def create(
    db: Session,
    *,
    account_id: int,
    kind: str,
    name: str,
    holder_id: int | None,
    answers: dict[str, Any],
    data: dict[str, Any],
    now: datetime,
) -> Draft:
    draft = Draft(
        account_id=account_id,
        kind=kind,
        name=name,
        holder_id=holder_id,
        submit_token=secrets.token_urlsafe(18),
        created_at=now,
        saved_at=now,
        answers=answers,
        data=data,
    )
    db.add(draft)
    db.flush()
    return draft


def delete(db: Session, draft: Draft) -> None:
    for row in list(draft.uploads):
        uploads.discard(db, row)
    db.delete(draft)
