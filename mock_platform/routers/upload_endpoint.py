"""The two upload endpoints every form shares: stage a chosen file, and show it back.

No ``from __future__ import annotations`` here: the routes ``add_upload_routes`` builds
take their login guard from its arguments, and FastAPI must see those annotations as
objects, not as names to look up in this module.
"""

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy.orm import Session

from mock_platform.clock import Clock
from mock_platform.deps import DbSession, ServerClock, Settings, login_guard
from mock_platform.models import WebSession
from mock_platform.rules import uploads as upload_rules
from mock_platform.rules.other_reason import DocumentSlot
from mock_platform.rules.uploads import UploadRejected
from mock_platform.services import uploads
from mock_platform.settings import MockSettings


async def stage_upload(
    slot: DocumentSlot | None,
    field: str,
    file: UploadFile,
    *,
    visitor: WebSession,
    db: Session,
    clock: Clock,
    settings: MockSettings,
    url_prefix: str,
) -> JSONResponse:
    """A chosen file is checked at once, so the message appears beside its field."""
    if slot is None:
        return JSONResponse({"field": field, "message": "未知的上傳欄位"}, 422)
    limit_kb = slot.limit_kb or settings.upload_limit_kb
    # Read one byte past the limit only: enough to know it is too big.
    data = await file.read(limit_kb * 1024 + 1)
    too_big = upload_rules.size_problem(slot.label, file.size or len(data), limit_kb=limit_kb)
    if too_big:
        return JSONResponse({"field": field, "message": too_big}, 422)
    try:
        row = uploads.stage(
            db,
            session_id=visitor.id,
            field=field,
            label=slot.label,
            filename=file.filename or "",
            data=data,
            upload_dir=settings.upload_dir,
            limit_kb=limit_kb,
            images_only=slot.images_only,
            now=clock.now(),
        )
    except UploadRejected as error:
        return JSONResponse({"field": field, "message": str(error)}, 422)
    db.commit()
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
        visitor: LoggedIn,
        db: DbSession,
        clock: ServerClock,
        settings: Settings,
        field: Annotated[str, Form()],
        file: UploadFile,
    ) -> JSONResponse:
        return await stage_upload(
            slots.get(field), field, file, visitor=visitor, db=db, clock=clock,
            settings=settings, url_prefix=url_prefix,
        )  # fmt: skip

    @router.get("/uploads/{token}")
    def show(token: str, visitor: LoggedIn, db: DbSession) -> FileResponse:
        return uploaded_file(db, visitor, token)
