"""S.2–S.5 of the student system: 學生註冊, the verification link, 重發認證信, 忘記密碼.

Every page wears the student banner (``system`` in the context) but not the logged-in
shell: nobody is logged in here. Mails go through services.registration; a refused form
saves nothing and keeps what was typed, except passwords.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock, Visitor
from mock_platform.forms_io import PostedForm
from mock_platform.models import Account
from mock_platform.routers.params import Token, Username
from mock_platform.rules import registration as rules
from mock_platform.rules.forms import Checked
from mock_platform.services import auth
from mock_platform.services import registration as accounts
from mock_platform.templating import render

router = APIRouter()
SYSTEM = systems.SYSTEMS["foreign-student"]
INDIVIDUAL = f"{systems.STUDENT_ROOT}/individual"
REGISTER_PATH = f"{INDIVIDUAL}/register"
REGISTER_DONE_PATH = f"{REGISTER_PATH}/done"
RESEND_PATH = f"{INDIVIDUAL}/resend-verification"
FORGOT_PATH = f"{INDIVIDUAL}/forgot-password"
VERIFY_PATH = accounts.LINK_PATHS[accounts.VERIFY]
RESET_PATH = accounts.LINK_PATHS[accounts.RESET]
REGISTER_TITLE = "外生、外僑生居留證申請 - 學生註冊"
REGISTERED = "registered_email"  # the done page's address, kept in the browser session
UNKNOWN_PAIR = "登入帳號或電子郵件不正確，請確認與註冊時填寫的相同"


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return render(
        request,
        template,
        status_code=status_code,
        system=SYSTEM,
        login_url=SYSTEM.login_url,
        register_url=REGISTER_PATH,
        resend_url=RESEND_PATH,
        forgot_url=FORGOT_PATH,
        **context,
    )


def _form_context(checked: Checked | None) -> dict[str, Any]:
    """What partials/field.html and partials/error_summary.html read."""
    errors = checked.errors if checked else []
    return {
        "values": checked.values if checked else {},
        "prefill": {},
        "errors": errors,
        "error_for": {error.name: error.message for error in errors},
    }


def _posted(form: FormData) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# ---------------------------------------------------------------- S.2 / S.3 學生註冊


def _register_page(
    request: Request, checked: Checked | None = None, status_code: int = 200
) -> HTMLResponse:
    return _page(
        request,
        "pages/student/register.html",
        status_code,
        title=REGISTER_TITLE,
        fields=rules.FIELDS,
        password_field=rules.PASSWORD,
        confirm_field=rules.PASSWORD_CONFIRM,
        name_note=rules.NAME_NOTE,
        account_hint=rules.ACCOUNT_HINT,
        password_rule=rules.PASSWORD_RULE,
        **_form_context(checked),
    )


@router.get(REGISTER_PATH, response_class=HTMLResponse)
def registration_form(request: Request) -> HTMLResponse:
    return _register_page(request)


@router.post(REGISTER_PATH, response_model=None)
def register(
    request: Request, posted: PostedForm, db: DbSession, clock: ServerClock, visitor: Visitor
) -> Response:
    """「註冊」: a valid, unused registration makes an unverified account and sends its mail."""
    form = _posted(posted)
    checked = rules.validate_registration(form, today=clock.taipei_date())
    accounts.check_unique(db, checked)
    if checked.errors:
        return _register_page(request, checked, 422)
    accounts.register(
        db, checked.values, password=form["password"], base_url=_base_url(request), now=clock.now()
    )
    auth.update_data(visitor, **{REGISTERED: checked.values["email"]})
    try:
        db.commit()
    except IntegrityError:
        # Someone took the account between the check and the save: nothing is kept.
        db.rollback()
        checked.fail("username", "登入帳號：此帳號已被註冊，請改用其他帳號")
        return _register_page(request, checked, 422)
    return RedirectResponse(REGISTER_DONE_PATH, status_code=303)


@router.get(REGISTER_DONE_PATH, response_model=None)
def registration_done(request: Request, visitor: Visitor, db: DbSession) -> Response:
    email = str(visitor.data.get(REGISTERED) or "")
    db.commit()
    if not email:
        return RedirectResponse(REGISTER_PATH, status_code=303)
    return _page(request, "pages/student/register_done.html", title=REGISTER_TITLE, email=email)


# ---------------------------------------------------------------- S.5 the verification link


@router.get(VERIFY_PATH + "/{username}/{token}", response_class=HTMLResponse)
def verify(
    request: Request, username: Username, token: Token, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """The mail's link: activates the account once; used, replaced or old links are refused."""
    outcome = accounts.activate(db, username, token, clock.now())
    db.commit()
    account = outcome.account
    return _page(
        request,
        "pages/student/verify.html",
        200 if outcome.state == "valid" else 410,
        activated=outcome.state == "valid",
        expired=outcome.state == "expired",
        already_verified=account is not None and account.verified,
        username=account.username if account else "",
    )


# ---------------------------------------------------------------- 重發認證信


def _lookup_page(
    request: Request,
    template: str,
    checked: Checked | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return _page(
        request,
        template,
        status_code,
        fields=rules.LOOKUP_FIELDS,
        **_form_context(checked),
        **context,
    )


@router.get(RESEND_PATH, response_class=HTMLResponse)
def resend_form(request: Request) -> HTMLResponse:
    return _lookup_page(request, "pages/student/resend_verification.html")


@router.post(RESEND_PATH, response_class=HTMLResponse)
def resend(request: Request, posted: PostedForm, db: DbSession, clock: ServerClock) -> HTMLResponse:
    """A new verification mail for an unverified account; the previous link stops working."""
    template = "pages/student/resend_verification.html"
    checked, account = _find_pair(db, _posted(posted))
    if account is None:
        return _lookup_page(request, template, checked, 422)
    if account.verified:
        return _lookup_page(request, template, checked, 409, already_verified=True)
    accounts.send_verification(db, account, base_url=_base_url(request), now=clock.now())
    db.commit()
    return _lookup_page(request, template, sent_to=account.email)


def _find_pair(db: DbSession, form: Mapping[str, str]) -> tuple[Checked, Account | None]:
    """The form checked, and the student account it names (None when refused)."""
    checked = rules.validate_lookup(form)
    if checked.errors:
        return checked, None
    account = accounts.find_pair(db, checked.values["username"], checked.values["email"])
    if account is None:
        # Neither field is named: which one is wrong would reveal who is registered.
        checked.fail("username", UNKNOWN_PAIR)
    return checked, account


# ---------------------------------------------------------------- 忘記密碼 and the reset link


@router.get(FORGOT_PATH, response_class=HTMLResponse)
def forgot_form(request: Request) -> HTMLResponse:
    return _lookup_page(request, "pages/student/forgot_password.html")


@router.post(FORGOT_PATH, response_class=HTMLResponse)
def forgot(request: Request, posted: PostedForm, db: DbSession, clock: ServerClock) -> HTMLResponse:
    """「會員密碼重設通知函」 for a verified account; an unverified one is sent to 重發認證信."""
    template = "pages/student/forgot_password.html"
    checked, account = _find_pair(db, _posted(posted))
    if account is None:
        return _lookup_page(request, template, checked, 422)
    if not account.verified:
        return _lookup_page(request, template, checked, 409, not_verified=True)
    accounts.send_reset(db, account, base_url=_base_url(request), now=clock.now())
    db.commit()
    return _lookup_page(request, template, sent_to=account.email)


def _reset_page(
    request: Request,
    outcome: accounts.LinkCheck,
    checked: Checked | None = None,
    status_code: int | None = None,
    *,
    done: bool = False,
) -> HTMLResponse:
    valid = outcome.state == "valid" or done
    return _page(
        request,
        "pages/student/reset_password.html",
        status_code or (200 if valid else 410),
        valid=valid,
        done=done,
        expired=outcome.state == "expired",
        username=outcome.account.username if outcome.account else "",
        password_field=rules.NEW_PASSWORD,
        confirm_field=rules.NEW_PASSWORD_CONFIRM,
        password_rule=rules.PASSWORD_RULE,
        action=str(request.url.path),
        **_form_context(checked),
    )


@router.get(RESET_PATH + "/{username}/{token}", response_class=HTMLResponse)
def reset_form(
    request: Request, username: Username, token: Token, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    return _reset_page(
        request, accounts.check_link(db, username, accounts.RESET, token, clock.now())
    )


@router.post(RESET_PATH + "/{username}/{token}", response_class=HTMLResponse)
def reset_password(
    request: Request,
    username: Username,
    token: Token,
    posted: PostedForm,
    db: DbSession,
    clock: ServerClock,
) -> HTMLResponse:
    """A new password under the registration's rule; it unlocks the account and uses the link."""
    outcome = accounts.check_link(db, username, accounts.RESET, token, clock.now())
    if outcome.state != "valid" or outcome.account is None:
        return _reset_page(request, outcome)
    form = _posted(posted)
    checked = rules.validate_new_password(form)
    if checked.errors:
        return _reset_page(request, outcome, checked, 422)
    accounts.set_password(outcome.account, form["password"])
    accounts.consume_token(outcome.account, accounts.RESET)
    db.commit()
    return _reset_page(request, outcome, done=True)
