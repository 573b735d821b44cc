"""「線上繳費」 of every system (S.19–S.22, T8.17's 「前往線上繳費」) and 「下載專區」 ▸
「收據下載」 (S.24): list, 明細, 繳費方式選擇, the store slip, the result, the PDF receipt.

The ticked cases travel in the browser session from 「繳費」 to 「開始繳費」 and are checked
again at every step, so a case paid meanwhile (another tab, the store) is never offered
twice. Money moves only on the mock gateway (routers/payment_gateway.py).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mock_platform.deps import DbSession, ServerClock, current_account
from mock_platform.forms_io import PostedForm
from mock_platform.models import Case, Payment, WebSession
from mock_platform.routers.params import CaseNumber, Token
from mock_platform.routers.shell import LoggedInAnywhere, shell_context, system_of
from mock_platform.rules import payment as rules
from mock_platform.rules import receipt
from mock_platform.services import auth, payments, receipt_pdf
from mock_platform.services.payments import CaseNotFound, PaymentRefused
from mock_platform.templating import render

router = APIRouter()
log = logging.getLogger("mock_platform")
ROOT = "/coa-frontend/{slug}"
NOTICE = "payment_notice"  # a message for the next list page (after a redirect)
METHOD_REQUIRED = f"{rules.METHOD_FIELD}：請選擇一種繳費方式"
NOT_A_CASE = "找不到您勾選的案件，請重新整理「線上繳費 - 列表」後再選擇。"


def _state_key(slug: str) -> str:
    return f"payment:{slug}"


def payment_path(slug: str, tail: str = "") -> str:
    return f"/coa-frontend/{slug}/payment{tail}"


def gateway_path(payment: Payment) -> str:
    return f"/mock-gateway/{payment.method}/{payment.token}"


def result_path(payment: Payment) -> str:
    return payment_path(payment.system, f"/results/{payment.token}")


def slip_path(payment: Payment) -> str:
    return payment_path(payment.system, f"/slips/{payment.token}")


def _prefix(slug: str) -> str:
    system_of(slug)  # 404 for an unknown system
    if slug not in payments.SYSTEM_PREFIXES:
        raise HTTPException(404)
    return payments.SYSTEM_PREFIXES[slug]


def _not_found(number: str) -> HTTPException:
    return HTTPException(404, f"找不到申請案號 {number} 的案件。")


def _back_to_list(visitor: WebSession, db: DbSession, slug: str, notice: str) -> Response:
    auth.update_data(visitor, **{NOTICE: notice, _state_key(slug): {}})
    db.commit()
    return RedirectResponse(payment_path(slug), status_code=303)


def _chosen(
    visitor: WebSession, db: DbSession, clock: ServerClock, slug: str
) -> tuple[list[Case], dict[str, object]] | str:
    """The cases ticked on the list, checked again; or why the flow must start over."""
    state = auth.flow_state(visitor, _state_key(slug))
    numbers = [str(number) for number in state.get("cases") or []]
    if not numbers:
        return "請先於「線上繳費 - 列表」勾選要繳費的案件。"
    try:
        chosen = payments.choose(db, current_account(visitor).id, slug, numbers, now=clock.now())
        return chosen, state
    except (PaymentRefused, CaseNotFound) as error:
        return f"{error} 請重新選擇要繳費的案件。"


# ---------------------------------------------------------------- 線上繳費 - 列表 (S.19)


def _list_page(
    request: Request,
    visitor: WebSession,
    db: DbSession,
    clock: ServerClock,
    slug: str,
    *,
    error: str = "",
    ticked: frozenset[str] = frozenset(),
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "pages/payment/list.html",
        status_code=status_code,
        **shell_context(visitor, clock, system_of(slug)),
        cases=payments.awaiting(db, current_account(visitor).id, slug),
        card_issued=rules.card_issued,
        action=payment_path(slug),
        ticked=ticked,
        error=error,
        notice=str(auth.pop_data(visitor, NOTICE) or ""),
    )


@router.get(f"{ROOT}/payment", response_class=HTMLResponse)
def payment_list(
    request: Request, slug: str, visitor: LoggedInAnywhere, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    _prefix(slug)
    page = _list_page(request, visitor, db, clock, slug)
    db.commit()  # the notice was shown once
    return page


@router.post(f"{ROOT}/payment", response_model=None)
def choose_cases(
    request: Request,
    slug: str,
    form: PostedForm,
    visitor: LoggedInAnywhere,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    """「繳費」: the ticked cases (or all, with 「全選」) go on to 「線上繳費 - 明細」."""
    _prefix(slug)
    cases = [str(value).strip() for value in form.getlist("cases") if str(value).strip()]
    if not all(receipt.is_valid(number) for number in cases):
        # Not a number the list offers: not found, and not echoed back.
        raise HTTPException(404, NOT_A_CASE)
    account = current_account(visitor)
    if form.get("select_all") == "yes":
        # 「全選」 means every case on the list, also where script did not tick the rows.
        cases = cases or [case.number for case in payments.awaiting(db, account.id, slug)]
    try:
        chosen = payments.choose(db, account.id, slug, cases, now=clock.now())
    except CaseNotFound as missing:
        raise _not_found(str(missing)) from None
    except PaymentRefused as refused:
        status = 422 if str(refused) == payments.NOTHING_TICKED else 409
        page = _list_page(
            request, visitor, db, clock, slug, error=str(refused), ticked=frozenset(cases),
            status_code=status,
        )  # fmt: skip
        db.commit()
        return page
    auth.update_data(visitor, **{_state_key(slug): {"cases": [case.number for case in chosen]}})
    db.commit()
    return RedirectResponse(payment_path(slug, "/detail"), status_code=303)


# ---------------------------------------------------------------- 線上繳費 - 明細 (S.20)


@router.get(f"{ROOT}/payment/detail", response_model=None)
def payment_detail(
    request: Request, slug: str, visitor: LoggedInAnywhere, db: DbSession, clock: ServerClock
) -> Response:
    _prefix(slug)
    chosen = _chosen(visitor, db, clock, slug)
    if isinstance(chosen, str):
        return _back_to_list(visitor, db, slug, chosen)
    cases, _ = chosen
    total = payments.total_fee(cases)
    return render(
        request,
        "pages/payment/detail.html",
        **shell_context(visitor, clock, system_of(slug)),
        cases=cases,
        total=total,
        money=rules.money,
        handling_fee_text=rules.HANDLING_FEE_TEXT,
        notes=rules.DETAIL_NOTES,
        action=payment_path(slug, "/detail"),
        back=payment_path(slug),
    )


@router.post(f"{ROOT}/payment/detail", response_model=None)
def confirm_detail(
    slug: str, visitor: LoggedInAnywhere, db: DbSession, clock: ServerClock
) -> Response:
    """「確認繳費」: the applicant has read the totals and the no-refund notes."""
    _prefix(slug)
    chosen = _chosen(visitor, db, clock, slug)
    if isinstance(chosen, str):
        return _back_to_list(visitor, db, slug, chosen)
    _, state = chosen
    auth.update_data(visitor, **{_state_key(slug): {**state, "confirmed": True}})
    db.commit()
    return RedirectResponse(payment_path(slug, "/methods"), status_code=303)


# ---------------------------------------------------------------- 繳費方式選擇 (S.21)


def _methods_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    slug: str,
    cases: list[Case],
    *,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "pages/payment/methods.html",
        status_code=status_code,
        **shell_context(visitor, clock, system_of(slug)),
        methods=rules.METHODS,
        store_note=rules.STORE_NOTE,
        total=payments.total_fee(cases),
        money=rules.money,
        action=payment_path(slug, "/methods"),
        back=payment_path(slug, "/detail"),
        error=error,
    )


@router.get(f"{ROOT}/payment/methods", response_model=None)
def payment_methods(
    request: Request, slug: str, visitor: LoggedInAnywhere, db: DbSession, clock: ServerClock
) -> Response:
    _prefix(slug)
    chosen = _chosen(visitor, db, clock, slug)
    if isinstance(chosen, str):
        return _back_to_list(visitor, db, slug, chosen)
    cases, state = chosen
    if not state.get("confirmed"):
        return RedirectResponse(payment_path(slug, "/detail"), status_code=303)
    return _methods_page(request, visitor, clock, slug, cases)


@router.post(f"{ROOT}/payment/methods", response_model=None)
def start_payment(
    request: Request,
    slug: str,
    form: PostedForm,
    visitor: LoggedInAnywhere,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    """「開始繳費」: a pending payment; to the gateway, or to the printable store slip."""
    method = str(form.get("method", ""))
    _prefix(slug)
    chosen = _chosen(visitor, db, clock, slug)
    if isinstance(chosen, str):
        return _back_to_list(visitor, db, slug, chosen)
    cases, state = chosen
    if not state.get("confirmed"):
        return RedirectResponse(payment_path(slug, "/detail"), status_code=303)
    picked = rules.METHODS_BY_KEY.get(method)
    if picked is None:
        return _methods_page(
            request, visitor, clock, slug, cases, error=METHOD_REQUIRED, status_code=422
        )
    payment = payments.start(
        db,
        account_id=current_account(visitor).id,
        slug=slug,
        cases=cases,
        method=picked,
        now=clock.now(),
    )
    auth.update_data(visitor, **{_state_key(slug): {}})
    db.commit()
    target = slip_path(payment) if picked.kind == rules.STORE else gateway_path(payment)
    return RedirectResponse(target, status_code=303)


# ---------------------------------------------------------------- slip and result (S.21, S.22)


def _own_payment(db: DbSession, visitor: WebSession, slug: str, token: str) -> Payment:
    payment = payments.by_token(db, token)
    if (
        payment is None
        or payment.account_id != current_account(visitor).id
        or payment.system != slug
    ):
        raise HTTPException(404, "找不到這筆繳費紀錄。")
    return payment


@router.get(f"{ROOT}/payment/slips/{{token}}", response_class=HTMLResponse)
def store_slip(
    request: Request,
    slug: str,
    token: Token,
    visitor: LoggedInAnywhere,
    db: DbSession,
    clock: ServerClock,
) -> HTMLResponse:
    """The printable 超商繳費單: three barcodes, the 繳費期限, 規費 plus the NT$8 fee."""
    _prefix(slug)
    payment = _own_payment(db, visitor, slug, token)
    method = payments.method_of(payment)
    if method.kind != rules.STORE or payment.deadline is None:
        raise HTTPException(404, "這筆繳費沒有超商繳費單。")
    deadline = payments.aware(payment.deadline)
    total = payment.amount + payment.handling_fee
    barcodes = [
        (code, *rules.code39_bars(code))
        for code in rules.store_barcodes(payment.reference, deadline, total)
    ]
    return render(
        request,
        "pages/payment/slip.html",
        **shell_context(visitor, clock, system_of(slug)),
        payment=payment,
        method=method,
        cases=payments.cases_of(db, payment),
        deadline=deadline,
        expired=clock.now() > deadline,
        total=total,
        barcodes=barcodes,
        store_note=rules.STORE_NOTE,
        store_path=gateway_path(payment),
        result_path=result_path(payment),
        status_label=rules.STATUS_LABELS[payment.status],
    )


@router.get(f"{ROOT}/payment/results/{{token}}", response_model=None)
def payment_result(
    request: Request,
    slug: str,
    token: Token,
    visitor: LoggedInAnywhere,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    """「繳費成功」, 「繳費失敗」 (with the reason) or 「已取消繳費」."""
    _prefix(slug)
    payment = _own_payment(db, visitor, slug, token)
    method = payments.method_of(payment)
    if payment.status == rules.PENDING:
        # Nothing to report yet: back to where the payment goes on.
        target = slip_path(payment) if method.kind == rules.STORE else gateway_path(payment)
        return RedirectResponse(target, status_code=303)
    return render(
        request,
        "pages/payment/result.html",
        **shell_context(visitor, clock, system_of(slug)),
        payment=payment,
        method=method,
        cases=payments.cases_of(db, payment),
        title=rules.STATUS_LABELS[payment.status],
        paid_at=payments.aware(payment.paid_at) if payment.paid_at else None,
        money=rules.money,
        list_path=payment_path(slug),
        receipts_path=f"/coa-frontend/{slug}/downloads/receipts",
        progress_path=f"/coa-frontend/{slug}/progress",
    )


# ---------------------------------------------------------------- 收據下載 (S.24)


@router.get(f"{ROOT}/downloads/receipts", response_class=HTMLResponse)
def receipts(
    request: Request, slug: str, visitor: LoggedInAnywhere, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    _prefix(slug)
    paid = payments.paid(db, current_account(visitor).id, slug)
    rows = []
    for case in paid:
        payment = payments.receipt_payment(db, case)
        rows.append(
            {
                "case": case,
                "paid_at": payments.aware(case.paid_at) if case.paid_at else None,
                "method": payments.method_of(payment).label if payment else "",
            }
        )
    return render(
        request,
        "pages/payment/receipts.html",
        **shell_context(visitor, clock, system_of(slug)),
        rows=rows,
        download_base=f"/coa-frontend/{slug}/downloads/receipts",
    )


@router.get(f"{ROOT}/downloads/receipts/{{number}}", response_model=None)
def download_receipt(
    slug: str, number: CaseNumber, visitor: LoggedInAnywhere, db: DbSession
) -> Response:
    """「下載」: the case's 規費收據 as a PDF file."""
    _prefix(slug)
    try:
        case = payments.own_case(db, current_account(visitor).id, slug, number)
    except CaseNotFound:
        raise _not_found(number) from None
    if case.paid_at is None:
        raise HTTPException(404, f"申請案號 {number} 尚未繳費，沒有收據可下載。")
    payment = payments.receipt_payment(db, case)
    data = receipt_pdf.ReceiptData(
        case_number=case.number,
        applicant=str(case.data.get("english_name") or current_account(visitor).display_name),
        item=case.title,
        card=rules.card_issued(case.system),
        amount=case.fee,
        paid_at=payments.aware(case.paid_at),
        method=payments.method_of(payment).label if payment else "",
        reference=payment.reference if payment else "",
    )
    try:
        pdf = receipt_pdf.render(data)
    except receipt_pdf.ReceiptFontMissing:
        log.exception("receipt %s could not be drawn", number)
        raise HTTPException(503, "收據暫時無法產生，請稍後再試。") from None
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="receipt-{case.number}.pdf"'},
    )
