"""The mock payment gateway: a separate site, one page per method, where money moves.

Card methods take 卡號 / 有效期限 / 安全碼 (4111 1111 1111 1111 pays; 4000 0000 0000 0002
is declined by its issuer); transfer methods simulate the transfer; the store page is the
counter's confirmation of a printed slip. Every outcome goes back to the platform's
result page. The gateway knows payments, not logins: its address holds the payment's
unguessable id, as a real gateway's session token would.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock
from mock_platform.forms_io import PostedForm
from mock_platform.models import Payment
from mock_platform.routers.params import Slug, Token
from mock_platform.routers.payment import result_path, slip_path
from mock_platform.rules import payment as rules
from mock_platform.services import payments
from mock_platform.templating import render

PREFIX = "/mock-gateway"
router = APIRouter(prefix=PREFIX)


def _payment(db: DbSession, method: str, token: str) -> Payment:
    payment = payments.by_token(db, token)
    if payment is None or payment.method != method:
        raise HTTPException(404, "查無此筆交易。")
    return payment


def _page(
    request: Request,
    db: DbSession,
    payment: Payment,
    *,
    values: dict[str, str] | None = None,
    errors: list[rules.CardError] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    method = payments.method_of(payment)
    return render(
        request,
        "pages/payment/gateway.html",
        status_code=status_code,
        payment=payment,
        method=method,
        cases=payments.cases_of(db, payment),
        total=payment.amount + payment.handling_fee,
        merchant=systems.AGENCY_NAME,
        action=f"{PREFIX}/{payment.method}/{payment.token}",
        back_path=slip_path(payment) if method.kind == rules.STORE else result_path(payment),
        result_path=result_path(payment),
        # 「返回…」: the system the payment was started from, by its own name.
        back_to=(
            systems.STUDENT_SYSTEM_NAME
            if systems.SYSTEMS[payment.system].platform == systems.STUDENT
            else systems.PLATFORM_NAME
        ),
        status_label=rules.STATUS_LABELS[payment.status],
        approved_card=rules.grouped(rules.APPROVED_TEST_CARD),
        declined_card=rules.grouped(next(iter(rules.DECLINED_CARDS))),
        values=values or {},
        errors=[(error.field, error.message) for error in errors or []],
        error_for={error.field: error.message for error in errors or []},
    )


@router.get("/{method}/{token}", response_class=HTMLResponse)
def gateway(request: Request, method: Slug, token: Token, db: DbSession) -> HTMLResponse:
    return _page(request, db, _payment(db, method, token))


@router.post("/{method}/{token}/pay", response_model=None)
def pay(
    request: Request,
    method: Slug,
    token: Token,
    form: PostedForm,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    """「付款」, 「模擬轉帳成功」 or 「模擬超商完成繳費」: charge once, report to the platform."""
    payment = _payment(db, method, token)
    if payment.status != rules.PENDING:
        # A second confirmation (double click, back button): the first one's outcome stands.
        return RedirectResponse(result_path(payment), status_code=303)
    card_last4 = ""
    if payments.method_of(payment).kind == rules.CARD:
        card, errors = rules.check_card(form, clock.taipei_date())
        if errors:
            # Never echo the card number or CVC back into the page.
            values = {"expiry": card["expiry"]}
            return _page(request, db, payment, values=values, errors=errors, status_code=422)
        reason = rules.decline_reason(card["card_number"])
        if reason is not None:
            payments.decline(db, payment, reason)
            db.commit()
            return RedirectResponse(result_path(payment), status_code=303)
        card_last4 = rules.card_digits(card["card_number"])[-4:]
    payments.settle(db, payment, now=clock.now(), card_last4=card_last4)
    db.commit()
    return RedirectResponse(result_path(payment), status_code=303)


@router.post("/{method}/{token}/cancel", response_model=None)
def cancel(method: Slug, token: Token, db: DbSession) -> Response:
    """「取消」: nothing is charged; the cases still wait for payment."""
    payment = _payment(db, method, token)
    payments.cancel(db, payment)
    db.commit()
    return RedirectResponse(result_path(payment), status_code=303)
