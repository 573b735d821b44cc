"""Staged uploads: a file is checked and kept the moment it is chosen, then bound on submit."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_platform.models import Case, Upload
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


def owned(db: Session, session_id: str, token: str) -> Upload | None:
    row = db.get(Upload, token)
    return row if row is not None and row.session_id == session_id else None


def claimable(
    db: Session, session_id: str, tokens: dict[str, list[str]]
) -> dict[str, list[Upload]]:
    """The staged, still unbound uploads of this session, per field; strangers' tokens dropped."""
    wanted = [token for field_tokens in tokens.values() for token in field_tokens]
    rows = db.scalars(
        select(Upload).where(
            Upload.id.in_(wanted), Upload.session_id == session_id, Upload.case_id.is_(None)
        )
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
