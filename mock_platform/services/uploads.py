"""Staged uploads: a file is checked and kept the moment it is chosen, then bound on submit."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path, PurePath

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from mock_platform.models import Case, Draft, Upload
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
    kind = upload_rules.validate(label, filename, data, limit_kb=limit_kb, images_only=images_only)
    token = secrets.token_urlsafe(18)
    path = upload_dir / f"{token}{PurePath(filename).suffix.lower()}"
    path.write_bytes(data)
    row = Upload(
        id=token,
        session_id=session_id,
        field=field,
        filename=PurePath(filename).name,
        content_kind=kind,
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
