"""Paying cases online: which cases may be paid, starting a payment, settling it once.

The routers of 「線上繳費」 and of the mock gateway call these, so the platform and the
gateway agree on one rule: a case is charged once. Settling is a conditional update
(``WHERE status = 'pending'`` / ``WHERE paid_at IS NULL``), so two confirmations of one
payment, or two payments racing for one case, pay once whatever their order.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mock_platform.clock import TAIPEI
from mock_platform.models import Case, Payment
from mock_platform.rules import case_status
from mock_platform.rules import payment as rules
from mock_platform.services import lifecycle
from mock_platform.systems import SYSTEMS

# The systems that take payments, by URL slug: the prefix of their cases' system.
SYSTEM_PREFIXES: dict[str, str] = {
    slug: system.case_prefix for slug, system in SYSTEMS.items() if system.case_prefix
}
NOTHING_TICKED = "請勾選要繳費的案件(或勾選「全選」)，再按「繳費」。"


class PaymentRefused(ValueError):
    """A payment the platform will not take; the text is user-facing and names the case."""


class CaseNotFound(LookupError):
    """A case number that is not one of this account's cases in this system."""


def aware(moment: datetime) -> datetime:
    """SQLite hands instants back without their zone; they were stored as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _account_cases(db: Session, account_id: int, slug: str) -> list[Case]:
    prefix = SYSTEM_PREFIXES[slug]
    return list(
        db.scalars(
            select(Case)
            .where(Case.account_id == account_id, Case.system.startswith(prefix))
            .order_by(Case.submitted_at, Case.id)
        ).all()
    )


def is_payable(case: Case) -> bool:
    return case.status == case_status.AWAITING_PAYMENT and case.paid_at is None


def awaiting(db: Session, account_id: int, slug: str) -> list[Case]:
    """「線上繳費 - 列表」: the account's cases of this system waiting for payment."""
    return [case for case in _account_cases(db, account_id, slug) if is_payable(case)]


def paid(db: Session, account_id: int, slug: str) -> list[Case]:
    """「收據下載」: the account's paid cases of this system, the latest payment first."""
    cases = [case for case in _account_cases(db, account_id, slug) if case.paid_at is not None]
    return sorted(cases, key=lambda case: aware(case.paid_at or case.submitted_at), reverse=True)


def own_case(db: Session, account_id: int, slug: str, number: str) -> Case:
    """The account's case ``number`` in this system; CaseNotFound for anyone else's."""
    case = db.scalars(select(Case).where(Case.number == number)).first()
    if (
        case is None
        or case.account_id != account_id
        or not case.system.startswith(SYSTEM_PREFIXES[slug])
    ):
        raise CaseNotFound(number)
    return case


def refusal(case: Case, now: datetime) -> str | None:
    """Why ``case`` cannot be paid at ``now``, or None when it can."""
    if case.paid_at is not None:
        return f"申請案號 {case.number} 已繳費，不會重複收費。"
    if case.status != case_status.AWAITING_PAYMENT:
        return f"申請案號 {case.number} 目前為「{case.status}」，不是待繳費的案件。"
    pay_by = (case.review or {}).get("pay_by")
    deadline = datetime.fromisoformat(pay_by) if pay_by else None
    if deadline is not None and now > deadline:
        last_day = deadline.astimezone(TAIPEI)
        return (
            f"申請案號 {case.number} 的繳費期限為 {last_day:%Y/%m/%d}（核准日起五日內），"
            "已逾期，無法線上繳費；請洽移民署服務站。"
        )
    return None


def choose(
    db: Session, account_id: int, slug: str, numbers: Sequence[str], *, now: datetime
) -> list[Case]:
    """The ticked cases, each the account's own, waiting for payment and within its time."""
    wanted = list(dict.fromkeys(number.strip() for number in numbers if number.strip()))
    if not wanted:
        raise PaymentRefused(NOTHING_TICKED)
    cases = [own_case(db, account_id, slug, number) for number in wanted]
    problems = [message for case in cases if (message := refusal(case, now))]
    if problems:
        raise PaymentRefused(" ".join(problems))
    return cases


def total_fee(cases: Sequence[Case]) -> int:
    return sum(case.fee for case in cases)


def start(
    db: Session,
    *,
    account_id: int,
    slug: str,
    cases: Sequence[Case],
    method: rules.Method,
    now: datetime,
) -> Payment:
    """「開始繳費」: a pending payment of ``cases`` by ``method``; nothing is charged yet."""
    payment = Payment(
        token=secrets.token_hex(12),
        account_id=account_id,
        system=slug,
        case_numbers=[case.number for case in cases],
        method=method.key,
        amount=total_fee(cases),
        handling_fee=method.handling_fee,
        status=rules.PENDING,
        created_at=now,
        deadline=rules.store_deadline(now) if method.kind == rules.STORE else None,
    )
    db.add(payment)
    db.flush()  # numbers the payment; its 銷帳編號 follows, the same on every replay
    payment.reference = f"{now.astimezone(TAIPEI):%Y%m%d}{payment.id:08d}"
    return payment


def by_token(db: Session, token: str) -> Payment | None:
    return db.scalars(select(Payment).where(Payment.token == token)).first()


def method_of(payment: Payment) -> rules.Method:
    return rules.METHODS_BY_KEY[payment.method]


def cases_of(db: Session, payment: Payment) -> list[Case]:
    found = {
        case.number: case
        for case in db.scalars(select(Case).where(Case.number.in_(payment.case_numbers))).all()
    }
    return [found[number] for number in payment.case_numbers if number in found]


def _close(db: Session, payment: Payment, status: str, reason: str = "") -> Payment:
    """pending → ``status``, once; a payment already settled keeps its outcome."""
    db.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == rules.PENDING)
        .values(status=status, reason=reason)
    )
    db.refresh(payment)
    return payment


def cancel(db: Session, payment: Payment) -> Payment:
    """「取消」 on the gateway: nothing charged, the cases still wait for payment."""
    return _close(db, payment, rules.CANCELLED)


def decline(db: Session, payment: Payment, reason: str) -> Payment:
    """The gateway refused to charge (a declined card, an expired slip, a stale payment)."""
    return _close(db, payment, rules.DECLINED, reason)


def settle(db: Session, payment: Payment, *, now: datetime, card_last4: str = "") -> Payment:
    """The gateway took the money: the payment is paid and its cases move to 「已繳費」.

    Idempotent: a payment no longer pending is returned as it is. A payment naming a case
    paid meanwhile (by another payment) is declined, and none of its cases is charged.
    """
    if payment.status != rules.PENDING:
        return payment
    if payment.deadline is not None and now > aware(payment.deadline):
        deadline = aware(payment.deadline).astimezone(TAIPEI)
        return decline(
            db, payment, f"繳費單已逾繳費期限 ({deadline:%Y/%m/%d %H:%M})，請重新產生繳費單。"
        )
    cases = cases_of(db, payment)
    problems = [message for case in cases if (message := refusal(case, now))]
    if len(cases) != len(payment.case_numbers):
        problems.append("部分案件已不存在，本筆交易不予收費。")
    if problems:
        return decline(db, payment, " ".join(problems))
    claimed = db.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == rules.PENDING)
        .values(status=rules.PAID, paid_at=now, card_last4=card_last4)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.refresh(payment)  # a twin confirmation settled it first
        return payment
    for case in cases:
        won = db.execute(
            update(Case)
            .where(Case.id == case.id, Case.paid_at.is_(None))
            .values(paid_at=now)
            .execution_options(synchronize_session=False)
        )
        if won.rowcount != 1:  # type: ignore[attr-defined]
            # Another payment charged this case between our check and now: undo it all.
            db.rollback()
            db.refresh(payment)
            db.refresh(case)
            return decline(db, payment, refusal(case, now) or "案件狀態已變更，本筆交易不予收費。")
        case.paid_at = now
        lifecycle.move(
            db, case, case_status.PAID, now=now, actor="payment", note=method_of(payment).label
        )
    db.refresh(payment)
    return payment


def receipt_payment(db: Session, case: Case) -> Payment | None:
    """The paid payment that charged ``case`` (its method and 銷帳編號 go on the receipt)."""
    for payment in db.scalars(
        select(Payment)
        .where(Payment.account_id == case.account_id, Payment.status == rules.PAID)
        .order_by(Payment.paid_at.desc())
    ).all():
        if case.number in payment.case_numbers:
            return payment
    return None
