"""Moving a case through its life: each move checked, dated, kept in its history, mailed.

Every status change of a case goes through ``move`` (or ``start`` for its first one), so
「案件進度查詢」, the officer console and the mailbox always agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mock_platform.models import Account, Case, CaseEvent
from mock_platform.rules import case_status, student
from mock_platform.services import mailer, student_mail
from mock_platform.systems import PLATFORM_NAME

NOTICES: dict[str, str] = {
    case_status.SUBMITTED: "您的申請案已送件，本署將進行審核。",
    case_status.AWAITING_PAYMENT: "您的申請案待繳費，請登入平臺至「線上繳費」完成繳費。",
    case_status.PAID: "本署已收到您的繳費，繳費完成後不予退費。",
    case_status.IN_REVIEW: "您的申請案已進入審核階段。",
    case_status.SUPPLEMENT_REQUESTED: "您的申請案需補正資料，請登入平臺至「進度查詢」▸「補正(件)列表」辦理補正。",
    case_status.SUPPLEMENT_SUBMITTED: "本署已收到您的補正資料，將繼續審核。",
    case_status.APPROVED: "您的申請案已審核通過。",
    case_status.REJECTED: "您的申請案經審核不予核准。",
    case_status.CARD_READY: "您的證件已製證完成，請依您選擇的領證方式領取。",
    case_status.WITHDRAWN: "您的申請案已撤銷。",
}


def start(db: Session, case: Case, *, now: datetime, actor: str = "applicant") -> None:
    """The first entry of a new case's history (its status as created)."""
    _record(db, case, case.status, now=now, actor=actor, note="")


def move(
    db: Session, case: Case, target: str, *, now: datetime, actor: str, note: str = ""
) -> CaseEvent:
    """Change the status if the life cycle allows it; raise TransitionRefused otherwise."""
    case_status.check_move(case.status, target)
    return _record(db, case, target, now=now, actor=actor, note=note)


def _record(
    db: Session, case: Case, status: str, *, now: datetime, actor: str, note: str
) -> CaseEvent:
    case.status = status
    event = CaseEvent(case=case, status=status, at=now, actor=actor, note=note)
    db.add(event)
    account = db.get(Account, case.account_id)
    if account is not None:
        own = student_mail.compose(case, status, account) if _is_student(case) else None
        subject, blocks = own or _status_mail(case, status, note)
        mailer.send(db, to=account.email, subject=subject, blocks=blocks, now=now)
    return event


def _is_student(case: Case) -> bool:
    return case.system == student.CASE_SYSTEM


def _status_mail(case: Case, status: str, note: str) -> tuple[str, list[list[mailer.Line]]]:
    """The platform's status mail; ``note`` (an officer's words) is text, escaped by the mailer."""
    subject = f"【{PLATFORM_NAME}】{case.title} {case.number} 案件狀態：{status}"
    lines: list[mailer.Line] = [
        f"申請案號：{case.number}",
        f"申請名稱：{case.title}",
        f"案件狀態：{status}",
        NOTICES.get(status, ""),
    ]
    if note:
        lines.append(f"說明：{note}")
    return subject, [lines]
