"""S.1 / S.6 / S.18: the student system's 帳號登入, with its own page and the shared captcha."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock, Settings, Visitor
from mock_platform.forms_io import PostedForm
from mock_platform.rules import login as login_rules
from mock_platform.services import auth
from mock_platform.templating import render

router = APIRouter()
SYSTEM = systems.SYSTEMS["foreign-student"]


def login_page(
    request: Request,
    visitor: Visitor,
    settings: Settings,
    *,
    username: str = "",
    error: tuple[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    auth.fresh_captcha(visitor, tutorial_text=settings.fixed_captcha)
    return render(
        request,
        "pages/student/login.html",
        status_code=status_code,
        system=SYSTEM,
        username=username,
        error_field=error[0] if error else "",
        error=error[1] if error else "",
        notice=notice,
        captcha_limit=login_rules.CAPTCHA_FIELD.limit,
    )


@router.get(systems.STUDENT_LOGIN_PATH, response_class=HTMLResponse)
def login_form(
    request: Request, visitor: Visitor, db: DbSession, settings: Settings, notice: str = ""
) -> HTMLResponse:
    stored_notice = auth.pop_data(visitor, "notice")
    page = login_page(request, visitor, settings, notice=notice or str(stored_notice or ""))
    db.commit()
    return page


@router.post(systems.STUDENT_LOGIN_PATH, response_model=None)
def login(
    request: Request,
    form: PostedForm,
    visitor: Visitor,
    db: DbSession,
    clock: ServerClock,
    settings: Settings,
) -> Response:
    values, refusal = login_rules.read_login(form)
    outcome = (
        auth.LoginOutcome(field=refusal[0], message=refusal[1])
        if refusal is not None
        else auth.attempt_login(
            db,
            visitor,
            system=systems.STUDENT,
            username=values["username"],
            password=values["password"],
            captcha_given=values["captcha"],
            max_wrong=settings.max_wrong_passwords,
            now=clock.now(),
        )
    )
    if outcome.account is None:
        page = login_page(
            request,
            visitor,
            settings,
            username=values["username"],
            error=(outcome.field, outcome.message),
            status_code=422,
        )
        db.commit()
        return page
    row = auth.start_login(db, visitor, outcome.account, clock.now(), settings.session_minutes)
    db.commit()
    request.state.sid = row.id
    return RedirectResponse(SYSTEM.home_path, status_code=303)
