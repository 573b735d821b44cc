"""The Students Online Application System after login: the dashboard (S.7) and the
「外生、外僑生延期申請 - 個人申請」 (S.8–S.15) with 「大頭照自動裁切」 and 「送出」."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock, Settings, current_account, login_guard
from mock_platform.forms_io import PostedForm
from mock_platform.models import StudentRecord, WebSession
from mock_platform.routers import upload_endpoint
from mock_platform.routers.shell import account_cases, shell_context
from mock_platform.rules import case_status, dates, text, uino
from mock_platform.rules import student as rules
from mock_platform.rules import uploads as upload_rules
from mock_platform.rules.addresses import CITIES
from mock_platform.rules.forms import ADDRESS_PART_MAX, ADDRESS_PARTS, Checked
from mock_platform.services import auth, cases, photo_crop, uploads
from mock_platform.services.uploads import claimable
from mock_platform.templating import render

SYSTEM = systems.SYSTEMS["foreign-student"]
PREFIX = f"{systems.STUDENT_ROOT}/extension"
router = APIRouter()
extension = APIRouter(prefix=PREFIX)  # S.8–S.15; included into ``router`` at the bottom
LoggedIn = Annotated[WebSession, Depends(login_guard(SYSTEM.slug))]
STATE = "student_extension"  # this flow's state in the browser session
CROPS = "photo_crops"  # the session's 大頭照自動裁切 results: token → file names

# The dashboard's 「外生居留證」 icons (S.7); only 延期申請 is built.
DASHBOARD_ITEMS: tuple[tuple[str, str], ...] = (
    ("居留證換證", "/coa-frontend/foreign-student/menu/ic-card"),
    ("延期申請", f"{PREFIX}/new"),
    ("資料異動", "/coa-frontend/foreign-student/menu/data-change"),
    ("轉換學校申請", "/coa-frontend/foreign-student/menu/school-change"),
    ("補發申請", "/coa-frontend/foreign-student/menu/reissue"),
)
OPEN_STATUSES = frozenset(
    {case_status.SUBMITTED, case_status.IN_REVIEW, case_status.SUPPLEMENT_SUBMITTED}
)


# ---------------------------------------------------------------- S.7 the dashboard


@router.get(SYSTEM.home_path, response_class=HTMLResponse)
def home(
    request: Request, visitor: LoggedIn, db: DbSession, clock: ServerClock, receipt: str = ""
) -> HTMLResponse:
    mine = account_cases(db, visitor, rules.CASE_SYSTEM)
    return render(
        request,
        "pages/student/home.html",
        **shell_context(visitor, clock, SYSTEM),
        bulletins=systems.STUDENT_BULLETINS,
        items=DASHBOARD_ITEMS,
        new_cases=[case for case in mine if case.status in OPEN_STATUSES | {case_status.APPROVED}],
        supplement_cases=[c for c in mine if c.status == case_status.SUPPLEMENT_REQUESTED],
        payment_cases=[c for c in mine if c.status == case_status.AWAITING_PAYMENT],
        refused_cases=[c for c in mine if c.status == case_status.REJECTED],
        # S.15: the alert 「送件成功, 收件號: …」 pops up once, for the applicant's own case.
        submitted=next((case.number for case in mine if case.number == receipt), ""),
    )


# ---------------------------------------------------------------- pages the form links to


@router.get(f"{systems.STUDENT_ROOT}/photo-guide", response_class=HTMLResponse)
def photo_guide(request: Request) -> HTMLResponse:
    """「照片範例說明」 (S.9)."""
    return render(request, "pages/student/photo_guide.html", student=True)


@router.get(f"{systems.STUDENT_ROOT}/address-example", response_class=HTMLResponse)
def address_example(request: Request) -> HTMLResponse:
    """「地址填寫範例說明」 under 在臺居住地址 (S.15)."""
    return render(request, "pages/address_example.html", student=True)


@router.get(f"{systems.STUDENT_ROOT}/service-stations", response_class=HTMLResponse)
def service_stations(request: Request) -> HTMLResponse:
    """「內政部移民署服務站聯絡資訊」 beside 領證地點 (S.15)."""
    names = [office.name for office in rules.OFFICES]
    return render(request, "pages/service_stations.html", stations=names, student=True)


# ---------------------------------------------------------------- S.8 the request


def _start_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    *,
    values: dict[str, str] | None = None,
    errors: list[tuple[str, str]] | None = None,
    overstay: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "pages/student/extension_start.html",
        status_code=status_code,
        **shell_context(visitor, clock, SYSTEM),
        values=values or {},
        errors=errors or [],
        error_for=dict(errors or []),
        programmes=rules.PROGRAMMES,
        reasons=rules.REASONS,
        exchange_note=rules.EXCHANGE_NOTE,
        overstay=overstay,
        notice=auth.pop_data(visitor, "student_notice") or "",
    )


@extension.get("/new", response_class=HTMLResponse)
def new_request(
    request: Request, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    page = _start_page(request, visitor, clock)
    db.commit()
    return page


def _find_record(
    db: DbSession, visitor: WebSession, number_text: str, programme: str, reason: str
) -> tuple[StudentRecord | None, list[tuple[str, str]]]:
    """The student on file for the 居留證號, if it is the account's own and the choices fit."""
    errors: list[tuple[str, str]] = []
    number = ""
    if not number_text.strip():
        errors.append(("arc", "居留證號：此欄位為必填，請填寫居留證號"))
    else:
        try:
            number = uino.validate(number_text)
        except uino.UINumberError as error:
            errors.append(("arc", f"居留證號：{error}"))
    if programme not in rules.PROGRAMMES:
        errors.append(("programme", "申請來臺就學學制：此欄位為必填，請選擇申請來臺就學學制"))
    if reason not in rules.REASONS:
        errors.append(("reason", "延期事由：此欄位為必填，請選擇延期事由"))
    if errors:
        return None, errors
    record = db.scalars(select(StudentRecord).where(StudentRecord.uino == number)).first()
    account = current_account(visitor)
    registered_passport = str(account.extra.get("passport_number", "")).upper()
    if record is None or (registered_passport and record.passport_number != registered_passport):
        return None, [
            (
                "arc",
                "居留證號：查無您的在學資料，請確認居留證號是否正確"
                "（須與註冊時填寫的護照號碼為同一人）；如有疑問請洽學校國際事務單位。",
            )
        ]
    if record.programme != programme:
        return None, [
            (
                "programme",
                f"申請來臺就學學制：與學校報送的就學資料（{record.programme}）不符，請重新選擇",
            )
        ]
    return record, []


def _read_request(form: Mapping[str, object]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """S.8's three answers: 居留證號 cleaned (blank when refused, with the refusal), the
    choices kept only when they are offered, so nothing else is shown back."""
    values = {name: str(form.get(name, "")) for name in ("arc", "programme", "reason")}
    refused: list[tuple[str, str]] = []
    try:
        values["arc"] = text.clean("居留證號", values["arc"], max_length=text.MAX_LENGTH["short"])
    except text.TextRejected as error:
        values["arc"] = ""
        refused.append(("arc", str(error)))
    if values["programme"] not in rules.PROGRAMMES:
        values["programme"] = ""
    if values["reason"] not in rules.REASONS:
        values["reason"] = ""
    return values, refused


@extension.post("/new", response_model=None)
def start_request(
    request: Request, form: PostedForm, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> Response:
    """S.8 「送出」: the request opens the form for the student's own record only."""
    values, refused = _read_request(form)
    arc, programme, reason = values["arc"], values["programme"], values["reason"]
    record, errors = _find_record(db, visitor, arc, programme, reason)
    if refused:  # a blank 居留證號 found nothing; say why it is blank
        errors = refused + [error for error in errors if error[0] != "arc"]
    if record is None:
        return _start_page(request, visitor, clock, values=values, errors=errors, status_code=422)
    today = clock.taipei_date()
    if not rules.may_extend(record.permit_expiry, today):
        message = rules.overstay_notice(record.permit_expiry, today)
        return _start_page(
            request,
            visitor,
            clock,
            values=values,
            errors=[("arc", f"居留證號：{message}")],
            overstay=message,
            status_code=422,
        )
    auth.update_data(
        visitor,
        **{
            STATE: {
                "record_id": record.id,
                "reason": reason,
                "form_token": secrets.token_urlsafe(18),
            }
        },
    )
    db.commit()
    return RedirectResponse(f"{PREFIX}/form", status_code=303)


# ---------------------------------------------------------------- S.9–S.15 the form


def _record_in_state(db: DbSession, state: dict[str, object]) -> StudentRecord | None:
    record_id = state.get("record_id")
    return db.get(StudentRecord, int(str(record_id))) if record_id else None


def _fixed(record: StudentRecord) -> dict[str, str]:
    """What the form shows from the record and does not let the student change."""
    return {
        "uino": record.uino,
        "birth_date": dates.show(record.birth_date),
        "school": str(record.data.get("unit") or record.school),
    }


def _prefill(record: StudentRecord, email: str) -> dict[str, str]:
    address = dict(record.data.get("address") or {})
    contact = dict(record.data.get("contact") or {})
    return {
        **_fixed(record),
        "permit_years": rules.PERMIT_YEARS[0],
        "english_name": record.english_name,
        "chinese_name": record.chinese_name,
        "gender": record.gender,
        "passport_number": record.passport_number,
        "passport_expiry": dates.show(record.passport_expiry),
        "nationality": record.nationality,
        "email": email,
        **{f"{rules.ADDRESS_PREFIX}_{key}": str(value) for key, value in address.items()},
        "contact_name": str(contact.get("name", "")),
        "contact_phone": str(contact.get("phone", "")),
        "contact_nationality": str(contact.get("nationality", "")),
    }


def _form_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    *,
    record: StudentRecord,
    state: dict[str, object],
    checked: Checked | None = None,
    staged: dict[str, list[uploads.Upload]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    account = current_account(visitor)
    values = checked.values if checked else _prefill(record, account.email)
    return render(
        request,
        "pages/student/extension_form.html",
        status_code=status_code,
        **shell_context(visitor, clock, SYSTEM),
        record=record,
        enrolment=str(record.data.get("enrolment", "已註冊")),
        qualification=rules.QUALIFICATION,
        reason=str(state.get("reason", "")),
        overstay=rules.overstay_notice(record.permit_expiry, clock.taipei_date()),
        prefill=values,
        values=values,
        errors=checked.errors if checked else [],
        error_for={error.name: error.message for error in (checked.errors if checked else [])},
        staged=staged or {},
        form_token=state["form_token"],
        permit_field=rules.PERMIT_FIELD,
        applicant_fields=rules.APPLICANT_FIELDS,
        contact_fields=rules.CONTACT_FIELDS,
        photo=rules.PHOTO,
        documents=rules.DOCUMENTS,
        upload_notes=rules.UPLOAD_NOTES,
        address_parts=ADDRESS_PARTS,
        address_limit=ADDRESS_PART_MAX,
        address_prefix=rules.ADDRESS_PREFIX,
        address_label=rules.ADDRESS_LABEL,
        cities=CITIES,
        upload_url=f"{PREFIX}/uploads",
        crop_url=f"{PREFIX}/photo-crop",
    )


def _expired_flow(visitor: WebSession, db: DbSession) -> RedirectResponse:
    auth.update_data(visitor, student_notice="申請資料已失效，請重新輸入居留證號、學制及延期事由。")
    db.commit()
    return RedirectResponse(f"{PREFIX}/new", status_code=303)


@extension.get("/form", response_model=None)
def extension_form(
    request: Request, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> Response:
    state = auth.flow_state(visitor, STATE)
    record = _record_in_state(db, state)
    if record is None or "form_token" not in state:
        return _expired_flow(visitor, db)
    return _form_page(request, visitor, clock, record=record, state=state)


upload_endpoint.add_upload_routes(
    extension, system=SYSTEM.slug, slots=rules.SLOTS, url_prefix=f"{PREFIX}/uploads"
)


@extension.post("/submit", response_model=None)
def submit_extension(
    request: Request, form: PostedForm, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> Response:
    """S.15 「送出」: one form token makes one case; the acceptance mail carries its 收件號."""
    token = str(form.get("form_token", ""))
    earlier = cases.by_submit_token(db, token) if token else None
    if earlier is not None and earlier.account_id == visitor.account_id:
        return RedirectResponse(f"{SYSTEM.home_path}?receipt={earlier.number}", status_code=303)
    state = auth.flow_state(visitor, STATE)
    record = _record_in_state(db, state)
    if record is None or token != state.get("form_token"):
        return _expired_flow(visitor, db)
    fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    tokens = {slot: [str(t) for t in form.getlist(f"{slot}_token") if t] for slot in rules.SLOTS}
    staged = claimable(db, visitor.id, tokens)
    today = clock.taipei_date()
    checked = rules.validate(
        fields,
        {slot: len(rows) for slot, rows in staged.items()},
        today=today,
        fixed=_fixed(record),
        programme=record.programme,
    )
    if checked.errors:
        return _form_page(
            request, visitor, clock, record=record, state=state, checked=checked, staged=staged,
            status_code=422,
        )  # fmt: skip
    overdue = rules.days_overdue(record.permit_expiry, today)
    case, created = cases.create_once(
        db,
        submit_token=token,
        system=rules.CASE_SYSTEM,
        kind=rules.CASE_KIND,
        title=rules.CASE_TITLE,
        account_id=current_account(visitor).id,
        holder_id=None,
        data={
            **checked.values,
            "programme": record.programme,
            "reason": str(state.get("reason", "")),
            "qualification": rules.QUALIFICATION,
            "permit_expiry": dates.show(record.permit_expiry),
            "overstay_days": str(overdue),
            "overstay_fine": str(rules.overstay_fine(overdue)),
        },
        now=clock.now(),
        fee=rules.fee_for(checked.values["permit_years"]),
    )
    if created:
        uploads.bind(case, staged)
    auth.update_data(visitor, **{STATE: {}})
    db.commit()
    return RedirectResponse(f"{SYSTEM.home_path}?receipt={case.number}", status_code=303)


# ---------------------------------------------------------------- S.10–S.12 大頭照自動裁切


def _crop_dir(settings: Settings, visitor: WebSession) -> Path:
    return settings.upload_dir / "photo-crops" / visitor.id


@extension.post("/photo-crop")
async def crop_photo(
    visitor: LoggedIn, db: DbSession, settings: Settings, file: UploadFile | None = None
) -> JSONResponse:
    """「上傳並裁切」: the original and the processed photo, both previewed in the dialog."""
    data = await file.read(photo_crop.MAX_UPLOAD_KB * 1024 + 1) if file else b""
    try:
        name = upload_rules.check_name(photo_crop.FIELD, file.filename or "") if file else ""
        # Decoding and cropping take CPU time: a worker thread keeps the event loop free,
        # and ending the login check's transaction first frees SQLite's write lock. The
        # commits run in a worker thread as well: one waiting for the lock on the event
        # loop would stall the requests that hold it.
        await run_in_threadpool(db.commit)
        result = await run_in_threadpool(photo_crop.crop_passport_photo, data)
    except (upload_rules.UploadRejected, photo_crop.PhotoRejected) as error:
        return JSONResponse({"field": photo_crop.FIELD, "message": str(error)}, 422)
    token = secrets.token_hex(8)
    folder = _crop_dir(settings, visitor)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{token}-original").write_bytes(data)
    (folder / f"{token}-cropped.jpg").write_bytes(result.jpeg)
    kept = {"stem": Path(name).stem or "photo", "media": f"image/{result.original_kind.lower()}"}
    auth.update_data(visitor, **{CROPS: {**dict(visitor.data.get(CROPS) or {}), token: kept}})
    await run_in_threadpool(db.commit)
    base = f"{PREFIX}/photo-crop/{token}"
    return JSONResponse(
        {
            "face_found": result.face_found,
            "notice": result.notice,
            "original_url": f"{base}/original",
            "cropped_url": f"{base}/cropped",
            "download_url": f"{base}/download",
        }
    )


@extension.get("/photo-crop/{token}/{which}")
def cropped_file(token: str, which: str, visitor: LoggedIn, settings: Settings) -> FileResponse:
    """The dialog's two previews, and 「處理後檔案下載(Download)」 as an attachment."""
    kept = dict(visitor.data.get(CROPS) or {}).get(token)
    if kept is None or which not in ("original", "cropped", "download"):
        raise HTTPException(404)
    folder = _crop_dir(settings, visitor)
    if which == "original":
        return FileResponse(folder / f"{token}-original", media_type=kept["media"])
    return FileResponse(
        folder / f"{token}-cropped.jpg",
        media_type="image/jpeg",
        filename=f"{kept['stem']}_cropped.jpg" if which == "download" else None,
        content_disposition_type="attachment" if which == "download" else "inline",
    )


router.include_router(extension)
