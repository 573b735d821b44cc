"""其他事由居留證申請 (T9.6–T9.14): consent, holder query, the form, uploads, submit."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from mock_platform import consents
from mock_platform.deps import DbSession, ServerClock, current_account, login_guard
from mock_platform.forms_io import PostedForm
from mock_platform.models import CardHolder, Case, WebSession
from mock_platform.routers import upload_endpoint
from mock_platform.routers.shell import OTHER_REASON as SYSTEM
from mock_platform.routers.shell import shell_context
from mock_platform.rules import case_status, dates, other_reason
from mock_platform.rules.addresses import CITIES
from mock_platform.rules.forms import ADDRESS_PART_MAX, ADDRESS_PARTS, Checked
from mock_platform.services import auth, cases, holders, uploads
from mock_platform.services.uploads import claimable
from mock_platform.templating import render

PREFIX = "/coa-frontend/other-reason/apply"
router = APIRouter(prefix=PREFIX)
LoggedIn = Annotated[WebSession, Depends(login_guard(SYSTEM.slug))]
STATE = "other_reason"  # key of this flow's state in the browser session


def _query_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    *,
    show_consent: bool,
    values: dict[str, str] | None = None,
    errors: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "pages/other_reason/query.html",
        status_code=status_code,
        **shell_context(visitor, clock, SYSTEM),
        show_consent=show_consent,
        consent_title=consents.OTHER_REASON_TITLE,
        consent_clauses=consents.OTHER_REASON_CLAUSES,
        consent_action=f"{PREFIX}/consent",
        consent_cancel=SYSTEM.home_path,
        values=values or {},
        errors=errors or [],
        consent_error=next((message for name, message in errors or [] if name == "agree"), ""),
        notice=auth.pop_data(visitor, "apply_notice") or "",
    )


@router.get("/new", response_class=HTMLResponse)
def new_application(
    request: Request, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """T9.6: the query form, behind the consent dialog until it is accepted."""
    page = _query_page(
        request, visitor, clock, show_consent=not auth.flow_state(visitor, STATE).get("consented")
    )
    db.commit()
    return page


@router.post("/consent", response_model=None)
def accept_consent(
    request: Request, form: PostedForm, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> Response:
    """T9.7: 「確定」 counts only with 「同意上述條款，請打勾。」 ticked."""
    if form.get("agree") != "yes":
        return _query_page(
            request,
            visitor,
            clock,
            show_consent=True,
            errors=[("agree", "請先勾選「同意上述條款」，才能繼續申請。")],
            status_code=422,
        )
    auth.update_data(visitor, **{STATE: {"consented": "yes"}})
    db.commit()
    return RedirectResponse(f"{PREFIX}/new", status_code=303)


@router.post("/query", response_model=None)
def query_holder(
    request: Request, form: PostedForm, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> Response:
    """T9.8: the form opens only for a Gold Card holder whose card is still valid."""
    state = auth.flow_state(visitor, STATE)
    if not state.get("consented"):
        return RedirectResponse(f"{PREFIX}/new", status_code=303)
    values, number, born, errors = holders.read_identity(form)
    holder = None
    if not errors:
        holder = holders.by_number(db, number)
        today = clock.taipei_date()
        if holder is None or holder.birth_date != born:
            errors.append(
                (
                    "uino",
                    "查無符合的就業金卡持卡人資料，請確認「統一證號」與「出生日期(西元)」是否正確。",
                )
            )
        elif holder.card_expiry < today:
            errors.append(
                (
                    "uino",
                    f"您的就業金卡已於 {dates.show(holder.card_expiry)} 到期，無法換發其他事由居留證；"
                    "請改以「就業金卡申請或重新申請」辦理。",
                )
            )
        elif open_case := _open_case(db, holder):
            errors.append(("uino", _already_open(open_case)))
    if errors or holder is None:
        return _query_page(
            request,
            visitor,
            clock,
            show_consent=False,
            values=values,
            errors=errors,
            status_code=422,
        )
    auth.update_data(
        visitor,
        **{STATE: {**state, "holder_id": str(holder.id), "form_token": secrets.token_urlsafe(18)}},
    )
    db.commit()
    return RedirectResponse(f"{PREFIX}/form", status_code=303)


def _already_open(case: Case) -> str:
    return f"此統一證號已有申請中的其他事由居留證案件（申請收件號 {case.number}），請勿重複申請。"


def _open_case(db: DbSession, holder: CardHolder) -> Case | None:
    return db.scalars(
        select(Case).where(
            Case.holder_id == holder.id,
            Case.kind == "other_reason_permit",
            # A rejected or withdrawn case no longer stands in the way of a new one.
            Case.status.not_in({case_status.REJECTED, case_status.WITHDRAWN}),
        )
    ).first()


def _holder_values(holder: CardHolder) -> dict[str, str]:
    return {
        "uino": holder.uino,
        "birth_date": dates.show(holder.birth_date),
        "english_name": holder.english_name,
        "chinese_name": holder.chinese_name,
        "nationality": holder.nationality,
        "gender": holder.gender,
        "passport_number": holder.passport_number,
        "passport_expiry": dates.show(holder.passport_expiry),
    }


def _form_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    *,
    state: dict[str, str],
    holder: CardHolder,
    checked: Checked | None = None,
    staged: dict[str, list[uploads.Upload]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    values = checked.values if checked else {}
    return render(
        request,
        "pages/other_reason/form.html",
        status_code=status_code,
        **shell_context(visitor, clock, SYSTEM),
        holder=_holder_values(holder),
        values=values,
        errors=checked.errors if checked else [],
        error_for={error.name: error.message for error in (checked.errors if checked else [])},
        staged=staged or {},
        form_token=state["form_token"],
        applicant_fields=other_reason.APPLICANT_FIELDS,
        collection_fields=other_reason.COLLECTION_FIELDS,
        resignation_field=other_reason.RESIGNATION_FIELD,
        photo=other_reason.PHOTO,
        documents=other_reason.DOCUMENTS,
        address_parts=ADDRESS_PARTS,
        address_limit=ADDRESS_PART_MAX,
        cities=CITIES,
        upload_url=f"{PREFIX}/uploads",
    )


def _holder_in_state(db: DbSession, state: dict[str, str]) -> CardHolder | None:
    holder_id = state.get("holder_id")
    return db.get(CardHolder, int(holder_id)) if holder_id else None


@router.get("/form", response_model=None)
def application_form(
    request: Request, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> Response:
    """T9.9–T9.13: 申請資料, for the holder found by the query."""
    state = auth.flow_state(visitor, STATE)
    holder = _holder_in_state(db, state)
    if holder is None or "form_token" not in state:
        auth.update_data(visitor, apply_notice="請先輸入統一證號及出生日期查詢。")
        db.commit()
        return RedirectResponse(f"{PREFIX}/new", status_code=303)
    return _form_page(request, visitor, clock, state=state, holder=holder)


upload_endpoint.add_upload_routes(
    router, system=SYSTEM.slug, slots=other_reason.SLOTS, url_prefix=f"{PREFIX}/uploads"
)


@router.post("/submit", response_model=None)
def submit_application(
    request: Request, form: PostedForm, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> Response:
    """T9.13: 「送出」. One form token makes one case, however often it arrives."""
    token = str(form.get("form_token", ""))
    earlier = cases.by_submit_token(db, token) if token else None
    if earlier is not None:
        return RedirectResponse(f"{SYSTEM.home_path}?receipt={earlier.number}", status_code=303)
    state = auth.flow_state(visitor, STATE)
    holder = _holder_in_state(db, state)
    if holder is None or token != state.get("form_token"):
        auth.update_data(visitor, apply_notice="申請資料已失效，請重新輸入統一證號及出生日期查詢。")
        db.commit()
        return RedirectResponse(f"{PREFIX}/new", status_code=303)
    fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    tokens = {
        slot: [str(t) for t in form.getlist(f"{slot}_token") if t] for slot in other_reason.SLOTS
    }
    staged = claimable(db, visitor.id, tokens)
    checked = other_reason.validate(
        fields,
        {slot: [row.id for row in rows] for slot, rows in staged.items()},
        today=clock.taipei_date(),
        holder=_holder_values(holder),
    )
    # Asked again at 「送出」: another account may have filed for this holder since the query.
    if open_case := _open_case(db, holder):
        checked.fail("uino", _already_open(open_case))
    if checked.errors:
        return _form_page(
            request, visitor, clock, state=state, holder=holder, checked=checked, staged=staged,
            status_code=422,
        )  # fmt: skip
    account = current_account(visitor)
    case, created = cases.create_once(
        db,
        submit_token=token,
        system="other_reason",
        kind="other_reason_permit",
        title="其他事由居留證申請",
        account_id=account.id,
        holder_id=holder.id,
        data=checked.values,
        now=clock.now(),
    )
    if created:  # a double submit files one case, with the files of the first
        uploads.bind(case, staged)
    auth.update_data(visitor, **{STATE: {"consented": state.get("consented", "")}})
    db.commit()
    return RedirectResponse(f"{SYSTEM.home_path}?receipt={case.number}", status_code=303)
