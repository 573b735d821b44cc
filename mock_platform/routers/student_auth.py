"""S.1 / S.6 / S.18: the student system's 帳號登入, with its own page and the shared captcha."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock, Settings, Visitor
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
    visitor: Visitor,
    db: DbSession,
    clock: ServerClock,
    settings: Settings,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    captcha_answer: Annotated[str, Form(alias="captcha")] = "",
) -> Response:
    outcome = auth.attempt_login(
        db,
        visitor,
        system=systems.STUDENT,
        username=username,
        password=password,
        captcha_given=captcha_answer,
        max_wrong=settings.max_wrong_passwords,
        now=clock.now(),
    )
    if outcome.account is None:
        page = login_page(
            request,
            visitor,
            settings,
            username=username,
            error=(outcome.field, outcome.message),
            status_code=422,
        )
        db.commit()
        return page
    row = auth.start_login(db, visitor, outcome.account, clock.now(), settings.session_minutes)
    db.commit()
    request.state.sid = row.id
    return RedirectResponse(SYSTEM.home_path, status_code=303)
