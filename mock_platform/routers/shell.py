"""P-shell: the logged-in frame of a system, its 公布欄 and case list, and case details."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock, current_account, login_guard
from mock_platform.models import Case, WebSession
from mock_platform.services import auth
from mock_platform.templating import render

router = APIRouter(prefix="/coa-frontend/other-reason")
SYSTEM = systems.SYSTEMS["other-reason"]
LoggedIn = Annotated[WebSession, Depends(login_guard(SYSTEM.slug))]

# Menu entries of the shell that the mock does not build; each opens an honest page.
MENU_NOT_OFFERED: dict[str, str] = {
    "todo": "待辦事項",
    "extension": "其他事由居留證延期申請",
    "progress": "案件進度查詢",
    "payment": "線上繳費",
    "account": "帳號維護",
    "downloads": "下載專區",
}


def shell_context(visitor: WebSession, clock: ServerClock) -> dict[str, object]:
    """What the header and menu of every logged-in page need."""
    return {
        "system": SYSTEM,
        "account": current_account(visitor),
        "seconds_left": auth.seconds_left(visitor, clock.now()),
        "menu_not_offered": MENU_NOT_OFFERED,
    }


@router.get("/home", response_class=HTMLResponse)
def home(
    request: Request, visitor: LoggedIn, db: DbSession, clock: ServerClock, receipt: str = ""
) -> HTMLResponse:
    account = current_account(visitor)
    cases = db.scalars(
        select(Case).where(Case.account_id == account.id).order_by(Case.submitted_at.desc())
    ).all()
    just_submitted = next((case for case in cases if case.number == receipt), None)
    return render(
        request,
        "pages/other_reason/home.html",
        **shell_context(visitor, clock),
        bulletins=systems.BULLETINS,
        cases=cases,
        just_submitted=just_submitted,
    )


@router.get("/cases/{number}", response_class=HTMLResponse)
def case_detail(
    request: Request, number: str, visitor: LoggedIn, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    case = db.scalars(select(Case).where(Case.number == number)).first()
    if case is None or case.account_id != visitor.account_id:
        raise HTTPException(404)
    return render(
        request, "pages/other_reason/case.html", **shell_context(visitor, clock), case=case
    )


@router.get("/menu/{item}", response_class=HTMLResponse)
def menu_not_offered(
    request: Request, item: str, visitor: LoggedIn, clock: ServerClock
) -> HTMLResponse:
    if item not in MENU_NOT_OFFERED:
        raise HTTPException(404)
    return render(
        request,
        "pages/other_reason/menu_not_offered.html",
        **shell_context(visitor, clock),
        feature=MENU_NOT_OFFERED[item],
    )
