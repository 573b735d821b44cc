"""P-shell: the logged-in frame of each system, its home, case details, unbuilt menu items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock, Visitor, current_account, login_guard
from mock_platform.models import Case, WebSession
from mock_platform.routers.params import CaseNumber
from mock_platform.services import auth
from mock_platform.templating import render

router = APIRouter()
OTHER_REASON = systems.SYSTEMS["other-reason"]
GOLD_CARD = systems.SYSTEMS["gold-card"]


def system_of(slug: str) -> systems.System:
    if slug not in systems.SYSTEMS:
        raise HTTPException(404)
    return systems.SYSTEMS[slug]


def _login_for_path(slug: str, visitor: Visitor, db: DbSession, clock: ServerClock) -> WebSession:
    """login_guard for routes whose system is a path parameter."""
    return login_guard(system_of(slug).slug)(visitor, db, clock)


LoggedInAnywhere = Annotated[WebSession, Depends(_login_for_path)]
OtherReasonLogin = Annotated[WebSession, Depends(login_guard(OTHER_REASON.slug))]
GoldCardLogin = Annotated[WebSession, Depends(login_guard(GOLD_CARD.slug))]


def shell_context(
    visitor: WebSession, clock: ServerClock, system: systems.System
) -> dict[str, object]:
    """What the header and menu of every logged-in page need."""
    return {
        "system": system,
        "account": current_account(visitor),
        "seconds_left": auth.seconds_left(visitor, clock.now()),
    }


def account_cases(db: DbSession, visitor: WebSession, system: str) -> list[Case]:
    account = current_account(visitor)
    return list(
        db.scalars(
            select(Case)
            .where(Case.account_id == account.id, Case.system.startswith(system))
            .order_by(Case.submitted_at.desc(), Case.id.desc())
        ).all()
    )


@router.get(OTHER_REASON.home_path, response_class=HTMLResponse)
def other_reason_home(
    request: Request,
    visitor: OtherReasonLogin,
    db: DbSession,
    clock: ServerClock,
    receipt: str = "",
) -> HTMLResponse:
    cases = account_cases(db, visitor, "other_reason")
    return render(
        request,
        "pages/other_reason/home.html",
        **shell_context(visitor, clock, OTHER_REASON),
        bulletins=systems.BULLETINS,
        cases=cases,
        just_submitted=next((case for case in cases if case.number == receipt), None),
    )


@router.get(GOLD_CARD.home_path, response_class=HTMLResponse)
def gold_card_home(
    request: Request, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    return render(
        request,
        "pages/gold_card/home.html",
        **shell_context(visitor, clock, GOLD_CARD),
        bulletins=systems.BULLETINS,
        cases=account_cases(db, visitor, "gold_card"),
    )


@router.get("/coa-frontend/{slug}/cases/{number}", response_class=HTMLResponse)
def case_detail(
    request: Request,
    slug: str,
    number: CaseNumber,
    visitor: LoggedInAnywhere,
    db: DbSession,
    clock: ServerClock,
) -> HTMLResponse:
    case = db.scalars(select(Case).where(Case.number == number)).first()
    if case is None or case.account_id != visitor.account_id:
        raise HTTPException(404)
    return render(
        request, "pages/case.html", **shell_context(visitor, clock, system_of(slug)), case=case
    )


@router.get("/coa-frontend/{slug}/menu/{item}", response_class=HTMLResponse)
def menu_not_offered(
    request: Request, slug: str, item: str, visitor: LoggedInAnywhere, clock: ServerClock
) -> HTMLResponse:
    system = system_of(slug)
    feature = system.not_offered(item)
    if feature is None:
        raise HTTPException(404)
    return render(
        request,
        "pages/menu_not_offered.html",
        **shell_context(visitor, clock, system),
        feature=feature,
    )
