"""「就業金卡資料異動」 (T6.7–T6.12): consent, holder query with the change boxes, the
five prefilled tabs, uploads, 「送出」 and the completion page with the fee notice."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from mock_platform import consents, systems
from mock_platform.deps import DbSession, ServerClock, current_account
from mock_platform.forms_io import PostedForm
from mock_platform.models import CardHolder, Case, WebSession
from mock_platform.routers import upload_endpoint
from mock_platform.routers.params import CaseNumber
from mock_platform.routers.shell import GOLD_CARD, GoldCardLogin, shell_context
from mock_platform.rules import data_change, dates, gold_card
from mock_platform.rules.addresses import CITIES
from mock_platform.rules.forms import ADDRESS_PART_MAX, ADDRESS_PARTS, Checked
from mock_platform.services import auth, cases, holders, uploads
from mock_platform.services.uploads import claimable
from mock_platform.templating import render

PREFIX = f"{systems.GOLD_CARD_ROOT}/change"
KIND = "gold_card_change"
TITLE = "就業金卡資料異動申請"
STATE = "gold_card_change"  # key of this flow's state in the browser session
NOTICE = "gold_card_change_notice"
router = APIRouter(prefix=PREFIX)

# Card data kept in CardHolder.extra; records older than a key read it as empty.
EXTRA_KEYS = (
    "english_surname", "english_given_name", "occupation", "education", "marital_status",
    "birth_country", "birth_city", "home_address", "home_phone", "collect_office",
    *(f"residence_{key}" for key, _ in ADDRESS_PARTS),
    "expertise_field", "qualification", "job_title",
)  # fmt: skip


# ---------------------------------------------------------------- 就業金卡資料異動申請 - 新增 (query)


def _query_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    *,
    show_consent: bool,
    values: dict[str, str] | None = None,
    options: frozenset[str] = frozenset(),
    errors: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "pages/gold_card/change_query.html",
        status_code=status_code,
        **shell_context(visitor, clock, GOLD_CARD),
        show_consent=show_consent,
        consent_title=consents.GOLD_CARD_TITLE,
        consent_clauses=consents.GOLD_CARD_CLAUSES,
        consent_action=f"{PREFIX}/consent",
        consent_cancel=GOLD_CARD.home_path,
        consent_error=next((message for name, message in errors or [] if name == "agree"), ""),
        action=f"{PREFIX}/query",
        values=values or {},
        ticked=options,
        option_labels=data_change.OPTIONS,
        options_legend=data_change.OPTIONS_LEGEND,
        options_hint=data_change.OPTIONS_HINT,
        address_note=data_change.ADDRESS_NOTE,
        errors=[error for error in errors or [] if error[0] != "agree"],
        error_for=dict(errors or []),
        notice=str(auth.pop_data(visitor, NOTICE) or ""),
    )


@router.get("/new", response_class=HTMLResponse)
def new_change(
    request: Request, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """T6.7: the query form, behind 「系統使用聲明事項(就業金卡部分)」 until accepted."""
    page = _query_page(
        request, visitor, clock, show_consent=not auth.flow_state(visitor, STATE).get("consented")
    )
    db.commit()
    return page


@router.post("/consent", response_model=None)
def accept_consent(
    request: Request, form: PostedForm, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> Response:
    """T6.8: 「確定」 counts only with 「同意上述條款，請打勾。」 ticked."""
    if form.get("agree") != "yes":
        page = _query_page(
            request, visitor, clock, show_consent=True, status_code=422,
            errors=[("agree", consents.GOLD_CARD_NOT_TICKED)],
        )  # fmt: skip
        db.commit()
        return page
    auth.update_data(visitor, **{STATE: {"consented": "yes"}})
    db.commit()
    return RedirectResponse(f"{PREFIX}/new", status_code=303)


def _look_up(
    db: DbSession, number: str, born: date | None, today: date
) -> tuple[CardHolder | None, list[tuple[str, str]]]:
    """T6.9: only the holder of a card still valid today may change its data."""
    holder = holders.by_number(db, number)
    if holder is None:
        return None, [("uino", data_change.NO_RECORD)]
    if holder.birth_date != born:
        return None, [("birth_date", data_change.birth_mismatch(number))]
    if holder.card_expiry < today:
        return None, [("uino", data_change.card_expired(holder.card_expiry))]
    return holder, []


@router.post("/query", response_model=None)
def query_holder(
    request: Request, form: PostedForm, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> Response:
    """T6.9: 統一證號, 出生日期 and the boxes; 「查詢」 opens the form for a valid card."""
    state = auth.flow_state(visitor, STATE)
    if not state.get("consented"):
        return RedirectResponse(f"{PREFIX}/new", status_code=303)
    values, number, born, errors = holders.read_identity(form)
    options = data_change.chosen_options(str(value) for value in form.getlist("options"))
    holder = None
    if not errors:
        holder, errors = _look_up(db, number, born, clock.taipei_date())
    errors += data_change.option_problems(options)
    if errors or holder is None:
        page = _query_page(
            request, visitor, clock, show_consent=False, values=values, options=options,
            errors=errors, status_code=422,
        )  # fmt: skip
        db.commit()
        return page
    auth.update_data(
        visitor,
        **{
            STATE: {
                "consented": "yes",
                "holder_id": holder.id,
                "options": sorted(options),
                "form_token": secrets.token_urlsafe(18),
            }
        },
    )
    db.commit()
    return RedirectResponse(f"{PREFIX}/form", status_code=303)


# ---------------------------------------------------------------- the five tabs


def card_values(holder: CardHolder) -> dict[str, str]:
    """The card as on file, under the form's field names."""
    extra = {
        key: "" if value is None else str(value) for key, value in (holder.extra or {}).items()
    }
    surname, given = data_change.split_english_name(holder.english_name)
    return {
        **{key: extra.get(key, "") for key in EXTRA_KEYS},
        "english_surname": extra.get("english_surname") or surname,
        "english_given_name": extra.get("english_given_name") or given,
        "chinese_name": holder.chinese_name,
        "birth_date": dates.show(holder.birth_date),
        "gender": holder.gender,
        "nationality": holder.nationality,
        "email": holder.email,
        "passport_number": holder.passport_number,
        "passport_expiry": dates.show(holder.passport_expiry),
        "uino": holder.uino,
        "card_expiry": dates.show(holder.card_expiry),
        "mobile": holder.phone,
    }


def _flow(visitor: WebSession, db: DbSession) -> tuple[dict[str, Any], CardHolder] | None:
    state = auth.flow_state(visitor, STATE)
    holder_id = state.get("holder_id")
    holder = db.get(CardHolder, int(holder_id)) if holder_id else None
    if holder is None or "form_token" not in state:
        return None
    return state, holder


def _back_to_query(visitor: WebSession, db: DbSession, notice: str) -> RedirectResponse:
    auth.update_data(visitor, **{NOTICE: notice})
    db.commit()
    return RedirectResponse(f"{PREFIX}/new", status_code=303)


def _form_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    *,
    state: dict[str, Any],
    holder: CardHolder,
    checked: Checked | None = None,
    staged: dict[str, list[uploads.Upload]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    options = data_change.chosen_options(state.get("options", []))
    layout = data_change.layout_for(options)
    errors = checked.errors if checked else []
    error_tabs = {data_change.tab_of(layout, error.name) for error in errors}
    first_tab = data_change.tab_of(layout, errors[0].name) if errors else "basic"
    return render(
        request,
        "pages/gold_card/change_form.html",
        status_code=status_code,
        **shell_context(visitor, clock, GOLD_CARD),
        card=card_values(holder),
        values=checked.values if checked else card_values(holder),
        prefill={},
        errors=errors,
        error_for={error.name: error.message for error in errors},
        error_tabs={gold_card.TAB_LABELS[key] for key in error_tabs},
        initial_tab=first_tab,
        tabs=gold_card.TABS,
        layout=layout,
        ticked=[data_change.OPTIONS[key] for key in data_change.OPTIONS if key in options],
        card_address=data_change.address_of(card_values(holder)),
        proof_hints=data_change.PROOF_HINTS,
        fee_rule=data_change.FEE_RULE,
        new_uino_text=data_change.NEW_UINO_TEXT,
        staged=staged or {},
        form_token=state["form_token"],
        action=f"{PREFIX}/submit",
        upload_url=f"{PREFIX}/uploads",
        address_parts=ADDRESS_PARTS,
        address_limit=ADDRESS_PART_MAX,
        cities=CITIES,
    )


@router.get("/form", response_model=None)
def change_form(
    request: Request, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> Response:
    """T6.10–T6.11: the tabs, prefilled with the card's data."""
    flow = _flow(visitor, db)
    if flow is None:
        return _back_to_query(visitor, db, "請先輸入統一證號及出生日期查詢。")
    state, holder = flow
    return _form_page(request, visitor, clock, state=state, holder=holder)


upload_endpoint.add_upload_routes(
    router, system=GOLD_CARD.slug, slots=data_change.ALL_SLOTS, url_prefix=f"{PREFIX}/uploads"
)


@router.post("/submit", response_model=None)
def submit_change(
    request: Request, form: PostedForm, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> Response:
    """T6.11: 「送出」. One form token makes one case, however often it arrives."""
    token = str(form.get("form_token", ""))
    earlier = cases.by_submit_token(db, token) if token else None
    if earlier is not None and earlier.account_id == visitor.account_id:
        return RedirectResponse(f"{PREFIX}/complete/{earlier.number}", status_code=303)
    flow = _flow(visitor, db)
    if flow is None or token != flow[0].get("form_token"):
        return _back_to_query(visitor, db, "申請資料已失效，請重新輸入統一證號及出生日期查詢。")
    state, holder = flow
    today = clock.taipei_date()
    # The card may have expired since the query (a form left open past midnight).
    if holder.card_expiry < today:
        return _back_to_query(visitor, db, data_change.card_expired(holder.card_expiry))
    options = data_change.chosen_options(state.get("options", []))
    layout = data_change.layout_for(options)
    fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    asked = {slot.name for slot in layout.documents}
    tokens = {
        slot: [str(t) for t in form.getlist(f"{slot}_token") if t]
        for slot in data_change.ALL_SLOTS
        if slot in asked
    }
    staged = claimable(db, visitor.id, tokens)
    card = card_values(holder)
    checked, changes = data_change.validate(
        fields,
        {slot: [row.id for row in rows] for slot, rows in staged.items()},
        options=options,
        card=card,
        today=today,
    )
    if checked.errors:
        return _form_page(
            request, visitor, clock, state=state, holder=holder, checked=checked, staged=staged,
            status_code=422,
        )  # fmt: skip
    items = data_change.changed_items(changes)
    amount = data_change.fee(items, nationality=holder.nationality)
    case, created = cases.create_once(
        db,
        submit_token=token,
        system=KIND,
        kind=KIND,
        title=TITLE,
        account_id=current_account(visitor).id,
        holder_id=holder.id,
        data={
            "uino": holder.uino,
            "english_name": holder.english_name,
            "nationality": holder.nationality,
            # The case view and lists read these at the top level, as for other cases.
            "email": checked.values.get("email", ""),
            "collect_office": checked.values.get("collect_office", ""),
            "options": [data_change.OPTIONS[key] for key in data_change.OPTIONS if key in options],
            "items": items,
            "changes": [
                {"item": c.item, "label": c.label, "old": c.old, "new": c.new} for c in changes
            ],
            "uino_reason": checked.values.get("uino_reason", ""),
            "values": checked.values,
            "filed_by": visitor.data.get("role", "self"),
        },
        now=clock.now(),
        status="待繳費" if amount else "已送件",
        fee=amount,
    )
    if created:  # a double submit files one case, with the files of the first
        uploads.bind(case, staged)
    auth.update_data(visitor, **{STATE: {"consented": "yes"}})
    db.commit()
    return RedirectResponse(f"{PREFIX}/complete/{case.number}", status_code=303)


@router.get("/complete/{number}", response_class=HTMLResponse)
def completed(
    request: Request, number: CaseNumber, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """T6.12: 「就業金卡資料異動申請 - 資料填寫完成說明」 with the 申請案號 and the fee."""
    case = db.scalars(select(Case).where(Case.number == number, Case.kind == KIND)).first()
    if case is None or case.account_id != visitor.account_id:
        raise HTTPException(404)
    return render(
        request,
        "pages/gold_card/change_complete.html",
        **shell_context(visitor, clock, GOLD_CARD),
        case=case,
        fee_notice=data_change.fee_notice(case.fee),
        changes=case.data.get("changes", []),
        sensitive_items={data_change.PASSPORT_NUMBER, data_change.UINO, data_change.MOBILE_NUMBER},
        payment_path=f"{systems.GOLD_CARD_ROOT}/payment",
    )
