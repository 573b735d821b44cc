"""帳號登入 (P-login): account, password and image captcha; logout."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock, Settings, Visitor
from mock_platform.forms_io import PostedForm
from mock_platform.rules import login as login_rules
from mock_platform.services import auth, captcha
from mock_platform.templating import render

router = APIRouter(prefix="/coa-frontend/four-in-one")


def _system(slug: str) -> systems.System:
    if slug not in systems.SYSTEMS:
        raise HTTPException(404)
    return systems.SYSTEMS[slug]


def _role(system: systems.System, role: str) -> str | None:
    """The Gold Card applicant role of the form; other systems have one login for all."""
    if system.slug != "gold-card":
        return None
    if role not in systems.ROLES:
        raise HTTPException(404)
    return role


def _account_label(role: str | None) -> str:
    return "代辦機構帳號" if role == "agency" else "帳號"


def _login_page(
    request: Request,
    visitor: Visitor,
    settings: Settings,
    system: systems.System,
    *,
    role: str | None = None,
    company_id: str = "",
    username: str = "",
    error: tuple[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    auth.fresh_captcha(visitor, tutorial_text=settings.fixed_captcha)
    return render(
        request,
        "pages/login.html",
        status_code=status_code,
        system=system,
        role=role,
        role_name=systems.ROLES.get(role or "", ""),
        account_label=_account_label(role),
        back_path=f"{systems.GOLD_CARD_ROOT}/role" if role else system.intro_path,
        company_id=company_id,
        username=username,
        error_field=error[0] if error else "",
        error=error[1] if error else "",
        notice=notice,
        captcha_limit=login_rules.CAPTCHA_FIELD.limit,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    visitor: Visitor,
    db: DbSession,
    settings: Settings,
    system: str = "other-reason",
    role: str = "self",
    notice: str = "",
) -> HTMLResponse:
    target = _system(system)
    stored_notice = auth.pop_data(visitor, "notice")
    page = _login_page(
        request,
        visitor,
        settings,
        target,
        role=_role(target, role),
        notice=notice or str(stored_notice or ""),
    )
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
    target = _system(str(form.get("system", "other-reason")))
    applicant_role = _role(target, str(form.get("role", "self")))
    values, refusal = login_rules.read_login(
        form, account_label=_account_label(applicant_role), company=applicant_role == "employer"
    )
    username, company_id = values["username"], values["company_id"]
    outcome = (
        auth.LoginOutcome(field=refusal[0], message=refusal[1])
        if refusal is not None
        else auth.attempt_login(
            db,
            visitor,
            system="four_in_one",
            username=username,
            password=values["password"],
            captcha_given=values["captcha"],
            max_wrong=settings.max_wrong_passwords,
            now=clock.now(),
            role=applicant_role,
            company_id=company_id,
            account_label=_account_label(applicant_role),
        )
    )
    if outcome.account is None:
        page = _login_page(
            request,
            visitor,
            settings,
            target,
            role=applicant_role,
            company_id=company_id,
            username=username,
            error=(outcome.field, outcome.message),
            status_code=422,
        )
        db.commit()
        return page
    row = auth.start_login(db, visitor, outcome.account, clock.now(), settings.session_minutes)
    if applicant_role:
        auth.update_data(row, role=applicant_role, company_id=company_id)
    db.commit()
    request.state.sid = row.id
    return RedirectResponse(target.home_path, status_code=303)


@router.get("/captcha.png")
def captcha_image(visitor: Visitor, db: DbSession, settings: Settings) -> Response:
    answer = auth.current_captcha(visitor, tutorial_text=settings.fixed_captcha)
    db.commit()
    png = captcha.render_png(answer, deterministic=settings.tutorial_mode)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/captcha/next")
def next_captcha(visitor: Visitor, db: DbSession, settings: Settings) -> dict[str, bool]:
    """「換下一組」: a new answer for this browser; the page then reloads the picture."""
    auth.fresh_captcha(visitor, tutorial_text=settings.fixed_captcha)
    db.commit()
    return {"ok": True}


@router.get("/logout")
def logout(
    visitor: Visitor, db: DbSession, system: str = "other-reason", reason: str = ""
) -> RedirectResponse:
    notice = (
        "登入時間已超過 30 分鐘，系統已自動登出，未送出的資料不會保存，請重新登入。"
        if reason == "timeout"
        else "您已登出。"
    )
    auth.end_login(visitor, notice=notice)
    db.commit()
    return RedirectResponse(_system(system).login_url, 303)
