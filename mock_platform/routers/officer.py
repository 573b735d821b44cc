"""The officer console under /officer/: its own login, 「案件列表」 and 「案件審核」.

Officers are accounts of system "officer"; their sessions are ordinary WebSession rows,
kept out of the applicants' pages by deps.login_guard and let in here by ``_officer``.
Every decision goes through services.review, as the control API's does, so the two agree.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy import select

from mock_platform.deps import OFFICER_SYSTEM, DbSession, ServerClock, Settings, Visitor
from mock_platform.forms_io import PostedForm
from mock_platform.models import Account, Case, Upload, WebSession
from mock_platform.routers.params import CaseNumber, Token
from mock_platform.routers.progress import history_of, taipei_time
from mock_platform.rules import case_status, data_change, gold_card, other_reason, student, text
from mock_platform.rules import login as login_rules
from mock_platform.rules.other_reason import DocumentSlot
from mock_platform.services import auth, review
from mock_platform.settings import MockSettings
from mock_platform.systems import ROLES
from mock_platform.templating import render

PREFIX = "/officer"
LOGIN_PATH = f"{PREFIX}/login"
CASES_PATH = f"{PREFIX}/cases"
# Officers have no 「忘記密碼」: a locked officer account is opened by the administrator.
OFFICER_UNLOCK_HINT = "請洽系統管理者解除鎖定。"
NOTICE_KEY = "officer_notice"

SYSTEM_NAMES = {
    "gold_card": "就業金卡申請",
    "gold_card_change": "就業金卡資料異動",
    "other_reason": "其他事由居留證申請",
    "student": "外(僑)生就學(延期)",
}
ACTORS = {"applicant": "申請人", "officer": "審核人員", "payment": "線上繳費", "system": "系統"}
# Keys the Gold Card submit adds beside the form's own fields.
GOLD_CARD_EXTRA = {"uino": "統一證號", "english_name": "英文姓名", "filed_by": "提出申請人",
                   "company_id": "統一編號"}  # fmt: skip
REJECT_FIELD = "reason"
ACTIONS_ANCHOR = "actions"
COMMENT_FIELDS = {tab: f"comment-{index}" for index, tab in enumerate(review.REVIEW_TABS, 1)}
REJECT_LABEL = "不予核准理由"
# What an officer writes to the applicant: several lines, as long as an applicant's reply.
WRITING_MAX = text.MAX_LENGTH["multiline"]


class OfficerLoginRequired(Exception):
    """A console page opened without an officer's live login."""

    def __init__(self, notice: str = "") -> None:
        super().__init__(notice)
        self.notice = notice


class _OfficerRoute(APIRoute):
    """Sends a missing login to the console's own login page; the app-wide LoginRequired
    handler would send an officer to the applicants' login instead."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except OfficerLoginRequired as missing:
                query = f"?{urlencode({'notice': missing.notice})}" if missing.notice else ""
                return RedirectResponse(f"{LOGIN_PATH}{query}", status_code=303)

        return guarded


router = APIRouter(prefix=PREFIX, route_class=_OfficerRoute)


def _officer(visitor: Visitor, db: DbSession, clock: ServerClock) -> WebSession:
    """Only a live officer session; an applicant's is sent to the officer login."""
    if visitor.account is None:
        raise OfficerLoginRequired("請先以審核人員帳號登入。")
    if visitor.account.system != OFFICER_SYSTEM:
        raise OfficerLoginRequired("申請人帳號不能使用審核系統，請以審核人員帳號登入。")
    if auth.is_expired(visitor, clock.now()):
        auth.end_login(visitor)
        db.commit()
        raise OfficerLoginRequired("登入時間已逾時，系統已自動登出，請重新登入。")
    return visitor


OfficerLogin = Annotated[WebSession, Depends(_officer)]


# ---------------------------------------------------------------- login


def _login_page(
    request: Request, visitor: WebSession, settings: MockSettings, *, username: str = "",
    error: tuple[str, str] | None = None, notice: str = "", status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    auth.fresh_captcha(visitor, tutorial_text=settings.fixed_captcha)
    return render(
        request, "pages/officer/login.html", status_code, username=username,
        error_field=error[0] if error else "", error=error[1] if error else "", notice=notice,
    )  # fmt: skip


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, visitor: Visitor, db: DbSession, settings: Settings, notice: str = ""
) -> HTMLResponse:
    stored = auth.pop_data(visitor, "notice")
    page = _login_page(request, visitor, settings, notice=notice or str(stored or ""))
    db.commit()
    return page


@router.post("/login", response_model=None)
def login(
    request: Request,
    form: PostedForm,
    visitor: Visitor,
    db: DbSession,
    clock: ServerClock,
    settings: Settings,
) -> Response:
    # The same text rules, captcha and lock-out as applicants: an officer opens every case.
    values, refusal = login_rules.read_login(form)
    outcome = (
        auth.LoginOutcome(field=refusal[0], message=refusal[1])
        if refusal is not None
        else auth.attempt_login(
            db,
            visitor,
            system=OFFICER_SYSTEM,
            username=values["username"],
            password=values["password"],
            captcha_given=values["captcha"],
            max_wrong=settings.max_wrong_passwords,
            now=clock.now(),
            unlock_hint=OFFICER_UNLOCK_HINT,
        )
    )
    if outcome.account is None:
        page = _login_page(
            request, visitor, settings, username=values["username"],
            error=(outcome.field, outcome.message), status_code=422,
        )  # fmt: skip
        db.commit()
        return page
    row = auth.start_login(db, visitor, outcome.account, clock.now(), settings.session_minutes)
    db.commit()
    request.state.sid = row.id
    return RedirectResponse(CASES_PATH, status_code=303)


@router.get("/logout")
def logout(visitor: Visitor, db: DbSession) -> RedirectResponse:
    auth.end_login(visitor, notice="您已登出。")
    db.commit()
    return RedirectResponse(LOGIN_PATH, status_code=303)


@router.get("")
def console_home(officer: OfficerLogin) -> RedirectResponse:
    return RedirectResponse(CASES_PATH, status_code=303)


# ---------------------------------------------------------------- 案件列表


@router.get("/cases", response_class=HTMLResponse)
def case_list(
    request: Request, officer: OfficerLogin, db: DbSession, status: str = "", system: str = ""
) -> HTMLResponse:
    """Every case, newest first; an unknown filter value filters nothing."""
    status = status if status in case_status.MOVES else ""
    system = system if system in SYSTEM_NAMES else ""
    query = select(Case).order_by(Case.submitted_at.desc(), Case.id.desc())
    if status:
        query = query.where(Case.status == status)
    if system:
        query = query.where(Case.system == system)
    rows = list(db.scalars(query).all())
    applicants = {a.id: a for a in db.scalars(select(Account)).all()}
    return render(
        request, "pages/officer/cases.html", **_layout(officer), cases=rows,
        applicants=applicants, statuses=list(case_status.MOVES), systems=SYSTEM_NAMES,
        chosen_status=status, chosen_system=system,
    )  # fmt: skip


def _layout(officer: WebSession) -> dict[str, object]:
    return {"officer": officer.account, "system_names": SYSTEM_NAMES, "cases_path": CASES_PATH}


# ---------------------------------------------------------------- 案件審核


@dataclass(frozen=True)
class Section:
    """One tab of the application as the officer reads it: label, value rows."""

    title: str
    rows: list[tuple[str, str]]


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def application_sections(case: Case) -> list[Section]:
    """The stored answers grouped by the Gold Card tabs, labelled by their field specs;
    other kinds of case as plain rows sorted by key."""
    data = dict(case.data or {})
    if case.kind != "gold_card_reapply":
        return [Section("申請資料", [(key, _shown(data[key])) for key in sorted(data)])]
    answers = {k: str(v) for k, v in dict(data.pop("answers", {}) or {}).items()}
    asked = {k: v for k, v in answers.items() if k in gold_card.QUESTION_LABELS}
    sections = [Section("申請人相關問題", gold_card.answer_summary(asked))]
    layout = gold_card.layout_for(answers)
    for tab in gold_card.TABS:
        fields = layout.fields_of(tab.key)
        if fields:
            rows = [(spec.label, _shown(data.pop(spec.name, ""))) for spec in fields]
            sections.append(Section(tab.label, rows))
    extra = []
    for key, label in GOLD_CARD_EXTRA.items():
        value = _shown(data.pop(key, ""))
        extra.append((label, ROLES.get(value, value) if key == "filed_by" else value))
    extra += [(key, _shown(data[key])) for key in sorted(data)]
    sections.append(Section("其他", extra))
    return sections


def _slot_labels(case: Case) -> dict[str, str]:
    slots: list[DocumentSlot] = {
        "gold_card": list(gold_card.ALL_SLOTS.values()),
        "gold_card_change": [data_change.PHOTO, data_change.NEW_PASSPORT,
                             data_change.RESIDENCE_PROOF, data_change.NAME_PROOF],
        "other_reason": [other_reason.PHOTO, *other_reason.DOCUMENTS],
        "student": [student.PHOTO, *student.DOCUMENTS],
    }.get(case.system, [])  # fmt: skip
    return {slot.name: slot.label for slot in slots}


def _case_or_404(db: DbSession, number: str) -> Case:
    case = db.scalars(select(Case).where(Case.number == number)).first()
    if case is None:
        raise HTTPException(404, "找不到此案件。")
    return case


def _review_page(
    request: Request, officer: WebSession, db: DbSession, case: Case, *,
    notice: str = "", errors: list[tuple[str, str]] | None = None,
    comments: dict[str, str] | None = None, reason: str = "", status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    labels = _slot_labels(case)
    history = [
        (event.status, taipei_time(event.at), ACTORS.get(event.actor, event.actor), row.note)
        for event, row in zip(case.events, history_of(case), strict=True)
    ]
    return render(
        request, "pages/officer/case.html", status_code, **_layout(officer), case=case,
        applicant=db.get(Account, case.account_id), sections=application_sections(case),
        files=[(labels.get(u.field, u.field), u) for u in case.uploads], history=history,
        review_tabs=review.REVIEW_TABS, comment_fields=COMMENT_FIELDS, reject_field=REJECT_FIELD,
        comments=comments or {}, reason=reason, notice=notice, errors=errors or [],
        error_for=dict(errors or []), taipei_time=taipei_time,
    )  # fmt: skip


def _written(label: str, value: object) -> str:
    """An officer's comment or reason, cleaned (line breaks kept); TextRejected names it."""
    return text.clean(label, str(value or ""), max_length=WRITING_MAX, multiline=True)


def _read_comments(form: Mapping[str, object]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The 審核意見 of each tab, cleaned; a refused one is blank and its message names the
    tab. The page shows the comments' message above the first tab's box."""
    comments: dict[str, str] = {}
    errors: list[tuple[str, str]] = []
    for tab, name in COMMENT_FIELDS.items():
        try:
            comments[tab] = _written(f"審核意見「{tab}」", form.get(name))
        except text.TextRejected as error:
            comments[tab] = ""
            if not errors:
                errors.append((COMMENT_FIELDS[review.REVIEW_TABS[0]], str(error)))
    return comments, errors


@router.get("/cases/{number}", response_class=HTMLResponse)
def case_page(
    request: Request, number: CaseNumber, officer: OfficerLogin, db: DbSession
) -> HTMLResponse:
    case = _case_or_404(db, number)
    notice = str(auth.pop_data(officer, NOTICE_KEY) or "")
    db.commit()  # the notice is shown once
    return _review_page(request, officer, db, case, notice=notice)


def _decide(
    request: Request, officer: WebSession, db: DbSession, case: Case,
    act: Callable[[], str], *, comments: dict[str, str] | None = None, reason: str = "",
) -> Response:  # fmt: skip
    """Run one officer action: done, back to the case with a notice; refused, the case page
    with the message and what was typed, and nothing of the action kept."""
    try:
        notice = act()
    except review.ReviewError as refused:
        db.rollback()
        message = str(refused)
        field = ACTIONS_ANCHOR  # a refused move belongs to the actions, not to one field
        if message.startswith("審核意見"):
            field = COMMENT_FIELDS[review.REVIEW_TABS[0]]
        elif message.startswith("不予核准理由"):
            field = REJECT_FIELD
        return _review_page(
            request, officer, db, case, errors=[(field, message)], comments=comments,
            reason=reason, status_code=422,
        )  # fmt: skip
    auth.update_data(officer, **{NOTICE_KEY: notice})
    db.commit()
    return RedirectResponse(f"{CASES_PATH}/{case.number}", status_code=303)


@router.post("/cases/{number}/supplement", response_model=None)
def ask_for_supplement(
    request: Request,
    number: CaseNumber,
    form: PostedForm,
    officer: OfficerLogin,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    """「要求補正」: one 審核意見 per tab of the supplement screens; at least one."""
    case = _case_or_404(db, number)
    comments, refused = _read_comments(form)
    if refused:
        return _review_page(
            request, officer, db, case, errors=refused, comments=comments, status_code=422
        )

    def act() -> str:
        review.request_supplement(db, case, comments, now=clock.now())
        deadline = str(case.review.get("deadline", ""))
        tabs = "、".join(case.review.get("comments", {}))
        day = taipei_time(datetime.fromisoformat(deadline))[:10] if deadline else ""
        return f"已通知申請人補正（{tabs}），補正期限 {day}。"

    return _decide(request, officer, db, case, act, comments=comments)


@router.post("/cases/{number}/approve", response_model=None)
def approve_case(
    request: Request, number: CaseNumber, officer: OfficerLogin, db: DbSession, clock: ServerClock
) -> Response:
    case = _case_or_404(db, number)

    def act() -> str:
        review.approve(db, case, now=clock.now())
        return f"申請案號 {case.number} 已核准，案件狀態：{case.status}。"

    return _decide(request, officer, db, case, act)


@router.post("/cases/{number}/reject", response_model=None)
def reject_case(
    request: Request,
    number: CaseNumber,
    form: PostedForm,
    officer: OfficerLogin,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    case = _case_or_404(db, number)
    try:
        reason = _written(REJECT_LABEL, form.get(REJECT_FIELD))
    except text.TextRejected as error:
        return _review_page(
            request, officer, db, case, errors=[(REJECT_FIELD, str(error))], status_code=422
        )

    def act() -> str:
        review.reject(db, case, reason, now=clock.now())
        return f"申請案號 {case.number} 不予核准，已通知申請人理由。"

    return _decide(request, officer, db, case, act, reason=reason)


@router.post("/cases/{number}/card-ready", response_model=None)
def mark_card_ready(
    request: Request, number: CaseNumber, officer: OfficerLogin, db: DbSession, clock: ServerClock
) -> Response:
    case = _case_or_404(db, number)

    def act() -> str:
        review.card_ready(db, case, now=clock.now())
        return f"申請案號 {case.number} 已製證完成。"

    return _decide(request, officer, db, case, act)


@router.get("/files/{upload_id}")
def case_file(upload_id: Token, officer: OfficerLogin, db: DbSession) -> FileResponse:
    """A file of a submitted case (staged files of unsent forms are the applicant's alone)."""
    row = db.get(Upload, upload_id)
    if row is None or row.case_id is None or not Path(row.stored_path).is_file():
        raise HTTPException(404, "找不到此檔案。")
    media = "application/pdf" if row.content_kind == "PDF" else f"image/{row.content_kind.lower()}"
    # inline: the officer reads the file in the browser rather than saving it.
    return FileResponse(
        row.stored_path, media_type=media, filename=row.filename, content_disposition_type="inline"
    )
