"""The two upload endpoints every form shares: stage a chosen file, and show it back.

No ``from __future__ import annotations`` here: the routes ``add_upload_routes`` builds
take their login guard from its arguments, and FastAPI must see those annotations as
objects, not as names to look up in this module.

Checking a file decodes it (rules/uploads.py), which takes CPU time that grows with the
picture. So one upload never holds up other requests, the check runs in a worker thread
(the event loop stays free) and outside any database transaction (every request takes
SQLite's write lock when its transaction begins, and would wait for the check). Database
calls of these async routes run in worker threads too, never on the event loop.

The form is read by hand rather than declared as parameters: a request without the
field, without the file, or with the file sent as a text field then gets a message
like any other refusal, not FastAPI's English validation error (or a 500).
"""

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from mock_platform.clock import Clock
from mock_platform.deps import DbSession, ServerClock, Settings, login_guard
from mock_platform.forms_io import PostedForm
from mock_platform.models import Upload, WebSession
from mock_platform.rules import uploads as upload_rules
from mock_platform.rules.other_reason import DocumentSlot
from mock_platform.rules.uploads import UploadRejected
from mock_platform.services import uploads
from mock_platform.settings import MockSettings

UNKNOWN_FIELD = "未知的上傳欄位"


async def stage_upload(
    slots: Mapping[str, DocumentSlot],
    form: FormData,
    *,
    visitor: WebSession,
    db: Session,
    clock: Clock,
    settings: MockSettings,
    url_prefix: str,
) -> JSONResponse:
    """A chosen file is checked at once, so the message appears beside its field."""
    field = form.get("field")
    slot = slots.get(field) if isinstance(field, str) else None
    if slot is None:
        # The field's name is not echoed: it is whatever the request made it.
        return JSONResponse({"field": "", "message": UNKNOWN_FIELD}, 422)
    file = form.get("file")
    upload = file if isinstance(file, UploadFile) else None  # a text part is no file
    limit_kb = slot.limit_kb or settings.upload_limit_kb
    # Read one byte past the limit only: enough to know it is too big.
    data = await upload.read(limit_kb * 1024 + 1) if upload else b""
    size = (upload.size if upload else None) or len(data)
    too_big = upload_rules.size_problem(slot.label, size, limit_kb=limit_kb)
    if too_big:
        return JSONResponse({"field": field, "message": too_big}, 422)
    # End the transaction the login check began, so the slow check holds no write lock.
    # Never on the event loop: a commit waiting there for SQLite's lock would stall the
    # very requests that hold it (their next step needs the loop) for the busy timeout.
    await run_in_threadpool(db.commit)
    try:
        checked = await run_in_threadpool(
            upload_rules.check, slot.label, (upload.filename if upload else "") or "", data,
            limit_kb=limit_kb, images_only=slot.images_only,
        )  # fmt: skip
    except UploadRejected as error:
        return JSONResponse({"field": field, "message": str(error)}, 422)
    row = await run_in_threadpool(
        _sweep_and_keep, db, visitor, field, checked, data, upload_dir=settings.upload_dir,
        now=clock.now(), session_minutes=settings.session_minutes,
    )  # fmt: skip
    return JSONResponse(
        {
            "token": row.id,
            "field": field,
            "filename": row.filename,
            "size_kb": round(row.size / 1024, 1),
            "kind": row.content_kind,
            "preview_url": f"{url_prefix}/{row.id}",
        }
    )


def _sweep_and_keep(
    db: Session,
    visitor: WebSession,
    field: str,
    checked: upload_rules.CheckedFile,
    data: bytes,
    *,
    upload_dir: Path,
    now: datetime,
    session_minutes: int,
) -> Upload:
    """The short database part, in a worker thread too: it writes the file to disk."""
    uploads.sweep_abandoned(db, now, session_minutes)
    row = uploads.keep(
        db, session_id=visitor.id, field=field, checked=checked, data=data,
        upload_dir=upload_dir, now=now,
    )  # fmt: skip
    db.commit()
    return row


def uploaded_file(db: Session, visitor: WebSession, token: str) -> FileResponse:
    row = uploads.owned(db, visitor.id, token, visitor.account_id)
    if row is None:
        raise HTTPException(404)
    media = "application/pdf" if row.content_kind == "PDF" else f"image/{row.content_kind.lower()}"
    return FileResponse(row.stored_path, media_type=media, filename=row.filename)


def add_upload_routes(
    router: APIRouter, *, system: str, slots: Mapping[str, DocumentSlot], url_prefix: str
) -> None:
    """``POST {router prefix}/uploads`` and ``GET …/uploads/{token}`` for a form whose
    upload fields are ``slots``, behind ``system``'s login."""
    LoggedIn = Annotated[WebSession, Depends(login_guard(system))]  # noqa: N806 - a type

    @router.post("/uploads")
    async def stage(
        form: PostedForm,  # first: the body is read before a transaction begins
        visitor: LoggedIn,
        db: DbSession,
        clock: ServerClock,
        settings: Settings,
    ) -> JSONResponse:
        return await stage_upload(
            slots, form, visitor=visitor, db=db, clock=clock, settings=settings,
            url_prefix=url_prefix,
        )  # fmt: skip

    @router.get("/uploads/{token}")
    def show(token: str, visitor: LoggedIn, db: DbSession) -> FileResponse:
        return uploaded_file(db, visitor, token)
