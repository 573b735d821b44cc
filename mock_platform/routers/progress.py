"""「案件進度查詢」 of both systems: the account's cases, each with its dated history, and
「案件撤銷」 behind a confirmation (``?withdraw=NUMBER``, like the drafts' 「刪除」)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from mock_platform.clock import TAIPEI
from mock_platform.deps import DbSession, ServerClock
from mock_platform.models import Case, WebSession
from mock_platform.routers.params import CaseNumber
from mock_platform.routers.shell import LoggedInAnywhere, account_cases, shell_context, system_of
from mock_platform.rules import case_status
from mock_platform.services import auth, lifecycle
from mock_platform.templating import render

router = APIRouter()

NOTICE_KEY = "progress_notice"


def taipei_time(moment: datetime) -> str:
    """A stored instant as users read it: Taipei, YYYY/MM/DD HH:MM (SQLite drops the zone)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(TAIPEI).strftime("%Y/%m/%d %H:%M")


@dataclass(frozen=True)
class HistoryRow:
    """One line of a case's 辦理歷程: 狀態, 時間, 說明."""

    status: str
    at: str
    note: str


@dataclass(frozen=True)
class CaseProgress:
    """A case as 「案件進度查詢」 shows it."""

    case: Case
    history: list[HistoryRow]
    withdrawable: bool
    remark: str  # 補正期限 or 不予核准理由, beside the status


def history_of(case: Case) -> list[HistoryRow]:
    """The case's events, oldest first; a move without a note says what it means."""
    return [
        HistoryRow(
            status=event.status,
            at=taipei_time(event.at),
            note=event.note or lifecycle.NOTICES.get(event.status, ""),
        )
        for event in case.events
    ]


def _remark(case: Case) -> str:
    review = case.review or {}
    if case.status == case_status.SUPPLEMENT_REQUESTED and review.get("deadline"):
        deadline = datetime.fromisoformat(str(review["deadline"]))
        return f"補正期限：{taipei_time(deadline)[:10]}"
    if case.status == case_status.REJECTED and review.get("rejection"):
        return f"不予核准理由：{review['rejection']}"
    return ""


def progress_of(case: Case) -> CaseProgress:
    return CaseProgress(
        case=case,
        history=history_of(case),
        withdrawable=case.status in case_status.WITHDRAWABLE,
        remark=_remark(case),
    )


def _owned_case(db: DbSession, visitor: WebSession, slug: str, number: str) -> Case:
    """The account's own case of this system; anyone else's is 「not found」, not 「forbidden」,
    so case numbers cannot be probed."""
    case = db.scalars(select(Case).where(Case.number == number)).first()
    if (
        case is None
        or case.account_id != visitor.account_id
        or not case.system.startswith(system_of(slug).case_prefix)
    ):
        raise HTTPException(404, "找不到此案件。")
    return case


def _progress_path(slug: str) -> str:
    return f"/coa-frontend/{slug}/progress"


@router.get("/coa-frontend/{slug}/progress", response_class=HTMLResponse)
def progress_page(
    request: Request,
    slug: str,
    visitor: LoggedInAnywhere,
    db: DbSession,
    clock: ServerClock,
    withdraw: str = "",
) -> HTMLResponse:
    """The account's cases of this system; ``withdraw=NUMBER`` asks 「確定撤銷」 first."""
    system = system_of(slug)
    flash = auth.pop_data(visitor, NOTICE_KEY)
    notice = dict(flash) if isinstance(flash, dict) else {}
    confirm: Case | None = None
    if withdraw:
        doomed = _owned_case(db, visitor, slug, withdraw)
        if doomed.status in case_status.WITHDRAWABLE:
            confirm = doomed
        else:
            notice = {
                "error": True,
                "text": f"申請案號 {doomed.number} 的狀態為「{doomed.status}」，不能撤銷。",
            }
    db.commit()  # the notice is shown once
    cases = [progress_of(case) for case in account_cases(db, visitor, system_of(slug).case_prefix)]
    return render(
        request,
        "pages/progress.html",
        **shell_context(visitor, clock, system),
        cases=cases,
        confirm_withdraw=confirm,
        notice=notice,
        progress_path=_progress_path(slug),
        payment_path=f"/coa-frontend/{slug}/payment",
        supplements_path=f"/coa-frontend/{slug}/supplements" if slug == "gold-card" else "",
    )


@router.post("/coa-frontend/{slug}/progress/{number}/withdraw")
def withdraw_case(
    slug: str, number: CaseNumber, visitor: LoggedInAnywhere, db: DbSession, clock: ServerClock
) -> RedirectResponse:
    """「確定撤銷」: the case is withdrawn and leaves the payment and supplement lists."""
    case = _owned_case(db, visitor, slug, number)
    if case.status == case_status.WITHDRAWN:
        # A second press of 「確定撤銷」 (or a reload) finds the work done already.
        notice = {"error": False, "text": f"申請案號 {case.number} 已撤銷。"}
    else:
        try:
            lifecycle.move(
                db, case, case_status.WITHDRAWN, now=clock.now(), actor="applicant", note=""
            )
            notice = {"error": False, "text": f"申請案號 {case.number} 已撤銷。"}
        except case_status.TransitionRefused as error:
            db.rollback()
            notice = {"error": True, "text": f"申請案號 {number}：{error}"}
    auth.update_data(visitor, **{NOTICE_KEY: notice})
    db.commit()
    return RedirectResponse(_progress_path(slug), status_code=303)
