"""What an officer does to a case: ask for a supplement, approve, reject, mark the card ready.

The officer console and ``POST /__mock__/cases/{number}/review`` both call these, so the
two can never disagree. Comments are kept per tab of the supplement screens (T5.10).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mock_platform.models import Case
from mock_platform.rules import case_status, student
from mock_platform.services import lifecycle

# The tabs of 「補正(件) - 申請人資料補正」 an officer may comment on (T5.10).
REVIEW_TABS: tuple[str, ...] = (
    "基本資料", "護照資料", "簽證申請(繳驗護照)", "居留申請", "領域專長", "文件上傳",
)  # fmt: skip
SUPPLEMENT_DAYS = 30  # 「請於30日內補正」
ABROAD_MONTHS = 6  # documents from abroad: six months


class ReviewError(ValueError):
    """An officer action that cannot be taken; the text is user-facing."""


def _ensure_reviewing(db: Session, case: Case, now: datetime, actor: str) -> None:
    """A paid Gold Card case, or a plain submitted one, enters review before a decision."""
    if case.status in (case_status.SUBMITTED, case_status.PAID):
        lifecycle.move(db, case, case_status.IN_REVIEW, now=now, actor=actor)


def request_supplement(
    db: Session, case: Case, comments: dict[str, str], *, now: datetime, actor: str = "officer"
) -> None:
    kept = {tab: text.strip() for tab, text in comments.items() if text and text.strip()}
    unknown = sorted(set(kept) - set(REVIEW_TABS))
    if unknown:
        raise ReviewError(f"審核意見：沒有「{'、'.join(unknown)}」這個頁籤")
    if not kept:
        raise ReviewError("審核意見：請至少就一個頁籤填寫補正事項")
    _ensure_reviewing(db, case, now, actor)
    try:
        case_status.check_move(case.status, case_status.SUPPLEMENT_REQUESTED)
    except case_status.TransitionRefused as error:
        raise ReviewError(str(error)) from None
    case.review = {
        **(case.review or {}),
        "comments": kept,
        "requested_at": now.isoformat(),
        "deadline": (now + timedelta(days=SUPPLEMENT_DAYS)).isoformat(),
        "reply": "",
    }
    summary = "；".join(f"{tab}：{text}" for tab, text in kept.items())
    lifecycle.move(db, case, case_status.SUPPLEMENT_REQUESTED, now=now, actor=actor, note=summary)


def approve(db: Session, case: Case, *, now: datetime, actor: str = "officer") -> None:
    _ensure_reviewing(db, case, now, actor)
    _move(db, case, case_status.APPROVED, now=now, actor=actor)
    # Paid already (Gold Card): the card is made next; otherwise the fee is due now.
    if case.paid_at is None and case.fee > 0:
        if case.system == student.CASE_SYSTEM:  # S.17: 「繳費期限為核准日起五日內」
            case.review = {
                **(case.review or {}),
                "pay_by": student.payment_deadline(now).isoformat(),
            }
        _move(db, case, case_status.AWAITING_PAYMENT, now=now, actor="system")


def reject(db: Session, case: Case, reason: str, *, now: datetime, actor: str = "officer") -> None:
    if not reason.strip():
        raise ReviewError("不予核准理由：請填寫不予核准的理由")
    _ensure_reviewing(db, case, now, actor)
    case.review = {**(case.review or {}), "rejection": reason.strip()}
    _move(db, case, case_status.REJECTED, now=now, actor=actor, note=reason.strip())


def card_ready(db: Session, case: Case, *, now: datetime, actor: str = "officer") -> None:
    if case.fee > 0 and case.paid_at is None:
        raise ReviewError("尚未繳費的案件不能製證")
    _move(db, case, case_status.CARD_READY, now=now, actor=actor)


def _move(
    db: Session, case: Case, target: str, *, now: datetime, actor: str, note: str = ""
) -> None:
    try:
        lifecycle.move(db, case, target, now=now, actor=actor, note=note)
    except case_status.TransitionRefused as error:
        raise ReviewError(str(error)) from None


ACTIONS = ("supplement", "approve", "reject", "card_ready")
