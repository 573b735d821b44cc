"""Staged uploads: a file is checked and kept the moment it is chosen, then bound on submit.

A staged file that is never submitted belongs to a login that ends sooner or later;
``sweep_abandoned`` deletes it then, so the upload folder does not grow forever.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from mock_platform.models import Case, Draft, Upload, WebSession
from mock_platform.rules import uploads as upload_rules


def stage(
    db: Session,
    *,
    session_id: str,
    field: str,
    label: str,
    filename: str,
    data: bytes,
    upload_dir: Path,
    limit_kb: int,
    images_only: bool,
    now: datetime,
) -> Upload:
    """Validate and store one file for a browser session; raise UploadRejected if refused."""
    checked = upload_rules.check(label, filename, data, limit_kb=limit_kb, images_only=images_only)
    return keep(
        db, session_id=session_id, field=field, checked=checked, data=data,
        upload_dir=upload_dir, now=now,
    )  # fmt: skip


def keep(
    db: Session,
    *,
    session_id: str,
    field: str,
    checked: upload_rules.CheckedFile,
    data: bytes,
    upload_dir: Path,
    now: datetime,
) -> Upload:
    """Store ``data``, which passed the upload gate as ``checked``, for a browser session.

    Split from ``stage`` so the slow check can run without holding a database
    transaction: only a CheckedFile, which only the gate makes, gets a file written.
    """
    token = secrets.token_urlsafe(18)
    path = upload_dir / f"{token}{PurePath(checked.filename).suffix.lower()}"
    path.write_bytes(data)
    row = Upload(
        id=token,
        session_id=session_id,
        field=field,
        filename=checked.filename,
        content_kind=checked.kind,
        size=len(data),
        stored_path=str(path),
        created_at=now,
    )
    db.add(row)
    return row


def owned(db: Session, session_id: str, token: str, account_id: int | None = None) -> Upload | None:
    """The upload if this browser staged it, or it is kept with this account's draft or case."""
    row = db.get(Upload, token)
    if row is None:
        return None
    if row.session_id == session_id:
        return row
    keeper = row.draft or row.case
    return row if keeper is not None and keeper.account_id == account_id else None


def claimable(
    db: Session, session_id: str, tokens: dict[str, list[str]], *, draft_id: int | None = None
) -> dict[str, list[Upload]]:
    """Per field, the uploads this form may use: staged by this session and still unbound,
    or already kept with the draft being edited. Strangers' tokens are dropped."""
    wanted = [token for field_tokens in tokens.values() for token in field_tokens]
    mine = and_(Upload.session_id == session_id, Upload.draft_id.is_(None))
    if draft_id is not None:
        mine = or_(mine, Upload.draft_id == draft_id)
    rows = db.scalars(
        select(Upload).where(Upload.id.in_(wanted), Upload.case_id.is_(None), mine)
    ).all()
    by_token = {row.id: row for row in rows}
    return {
        field: [by_token[token] for token in field_tokens if by_token.get(token) is not None
                and by_token[token].field == field]
        for field, field_tokens in tokens.items()
    }  # fmt: skip


def bind(case: Case, staged: dict[str, list[Upload]]) -> None:
    for rows in staged.values():
        for row in rows:
            row.case = case
            row.draft = None


def keep_with_draft(db: Session, draft: Draft, staged: dict[str, list[Upload]]) -> None:
    """The draft's files become exactly ``staged``; files it no longer lists are deleted."""
    chosen = {row.id for rows in staged.values() for row in rows}
    for row in list(draft.uploads):
        if row.id not in chosen:
            discard(db, row)
    for rows in staged.values():
        for row in rows:
            row.draft = draft


def discard(db: Session, row: Upload) -> None:
    Path(row.stored_path).unlink(missing_ok=True)
    db.delete(row)


def sweep_abandoned(db: Session, now: datetime, session_minutes: int) -> int:
    """Delete staged files no login can claim any more; return how many. Commits.

    A file kept with a draft or a case stays. An unbound one is claimable only by the
    login that staged it (``claimable``), so it is abandoned once that browser session
    is gone, logged out or expired, or simply older than a whole login: a login lasts
    ``session_minutes`` from its start and a file is staged inside one. One DELETE …
    RETURNING finds and removes the rows, so two requests sweeping at once cannot
    trip over each other; the files go once the deletion is committed.
    """
    # Stored datetimes are UTC without a zone (SQLite), so compare in UTC.
    moment = now.astimezone(UTC) if now.tzinfo is not None else now
    ended = or_(
        WebSession.id.is_(None),
        WebSession.account_id.is_(None),
        WebSession.expires_at.is_(None),
        WebSession.expires_at <= moment,
        Upload.created_at <= moment - timedelta(minutes=session_minutes),
    )
    abandoned = (
        select(Upload.id)
        .outerjoin(WebSession, WebSession.id == Upload.session_id)
        .where(Upload.case_id.is_(None), Upload.draft_id.is_(None), ended)
    )
    paths = db.scalars(
        delete(Upload).where(Upload.id.in_(abandoned)).returning(Upload.stored_path)
    ).all()
    if not paths:
        return 0
    db.commit()
    for stored_path in paths:
        Path(stored_path).unlink(missing_ok=True)
    return len(paths)
