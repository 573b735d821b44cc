"""「就業金卡申請或重新申請」 (T8.7–T8.17): drafts, the question dialog, the tabbed form,
save, preview, submit and the completion page with the 申請案號."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from mock_platform import consents
from mock_platform.deps import DbSession, ServerClock, current_account
from mock_platform.forms_io import PostedForm
from mock_platform.models import CardHolder, Case, Draft, WebSession
from mock_platform.routers import upload_endpoint
from mock_platform.routers.params import CaseNumber, RowId, row_id
from mock_platform.routers.shell import GOLD_CARD, GoldCardLogin, shell_context
from mock_platform.rules import dates, expertise, gold_card, uino
from mock_platform.rules.addresses import CITIES
from mock_platform.rules.forms import ADDRESS_PART_MAX, ADDRESS_PARTS, Checked
from mock_platform.services import auth, cases, drafts, holders, uploads
from mock_platform.services.uploads import claimable
from mock_platform.templating import render

PREFIX = f"{GOLD_CARD.home_path.removesuffix('/home')}/apply"
DRAFTS = f"{PREFIX}/drafts"
KIND = "gold_card_reapply"
STATE = "gold_card"  # key of this flow's state in the browser session
router = APIRouter(prefix=PREFIX)


def _set_state(visitor: WebSession, **changes: Any) -> None:
    auth.update_data(visitor, **{STATE: {**auth.flow_state(visitor, STATE), **changes}})


# ---------------------------------------------------------------- 就業金卡暫存 - 列表


def _drafts_page(
    request: Request,
    visitor: WebSession,
    db: DbSession,
    clock: ServerClock,
    *,
    show_dialog: bool = False,
    answers: dict[str, str] | None = None,
    errors: list[tuple[str, str]] | None = None,
    eligible: bool = False,
    confirm_delete: Draft | None = None,
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    account = current_account(visitor)
    page = render(
        request,
        "pages/gold_card/drafts.html",
        status_code=status_code,
        **shell_context(visitor, clock, GOLD_CARD),
        drafts=drafts.of_account(db, account.id, KIND, clock.taipei_date()),
        show_dialog=show_dialog,
        answers=answers or {},
        errors=errors or [],
        error_for=dict(errors or []),
        eligible=eligible,
        confirm_delete=confirm_delete,
        notice=notice or str(auth.pop_data(visitor, "gold_card_notice") or ""),
        labels=gold_card.QUESTION_LABELS,
        question_choices=gold_card.QUESTION_CHOICES,
        entry_documents=gold_card.ENTRY_DOCUMENTS,
        held_expired=gold_card.HELD_EXPIRED,
        in_taiwan=gold_card.IN_TAIWAN,
        yes=gold_card.YES,
        refusals={
            "never": gold_card.NEVER_HELD,
            "valid": gold_card.STILL_VALID,
            "no_uino": gold_card.NO_UINO,
            "household": gold_card.HOUSEHOLD,
        },
    )
    db.commit()
    return page


@router.get("/drafts", response_class=HTMLResponse)
def draft_list(
    request: Request,
    visitor: GoldCardLogin,
    db: DbSession,
    clock: ServerClock,
    new: str = "",
    delete: str = "",
) -> HTMLResponse:
    """T8.8: the account's drafts; ``new=1`` opens 「新增申請人」, ``delete=ID`` asks first.

    An id that is not a draft of the account's (malformed, out of range, another's) asks
    nothing: the list is shown as it is."""
    account = current_account(visitor)
    draft_id = row_id(delete)
    doomed = drafts.owned(db, account.id, draft_id, clock.taipei_date()) if draft_id else None
    return _drafts_page(request, visitor, db, clock, show_dialog=bool(new), confirm_delete=doomed)


def _look_up(
    db: DbSession, answers: dict[str, str], today: date
) -> tuple[CardHolder | None, list[tuple[str, str]]]:
    """T8.10: only a holder whose card has expired may re-apply."""
    try:
        number = uino.validate(answers.get("uino", ""))
    except uino.UINumberError as error:
        return None, [("uino", str(error))]
    try:
        born = dates.parse("出生日期", answers.get("birth_date", ""))
    except dates.DateError as error:
        return None, [("birth_date", str(error))]
    holder = holders.by_number(db, number)
    if holder is None:
        return None, [("uino", gold_card.NO_RECORD)]
    if holder.birth_date != born:
        return None, [("birth_date", gold_card.birth_mismatch(number))]
    if holder.card_expiry >= today:
        return None, [("uino", gold_card.still_valid(holder.card_expiry))]
    return holder, []


@router.post("/eligibility")
def check_eligibility(
    form: PostedForm, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> JSONResponse:
    """The dialog asks this as soon as 統一證號 and 出生日期 are filled in."""
    answers, refused = gold_card.read_answers(form)
    problems = [problem for problem in refused if problem[0] in ("uino", "birth_date")]
    if not problems:
        _, problems = _look_up(db, answers, clock.taipei_date())
    if problems:
        field, message = problems[0]
        return JSONResponse({"eligible": False, "field": field, "message": message})
    return JSONResponse({"eligible": True, "message": gold_card.ELIGIBLE})


@router.post("/questions", response_model=None)
def answer_questions(
    request: Request, form: PostedForm, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> Response:
    """T8.9–T8.11: 「同意」, the holder check and the answers; 「確定」 opens the consent."""
    raw, refused = gold_card.read_answers(form)
    raw["agree"] = "yes" if form.get("agree") == "yes" else ""
    answers = gold_card.relevant_answers(raw)
    errors: list[tuple[str, str]] = []
    if raw["agree"] != "yes":
        errors.append(("agree", "請先勾選「同意」，再回答申請人相關問題。"))
    errors += refused
    named = {key for key, _ in refused}
    errors += [
        problem for problem in gold_card.question_problems(answers) if problem[0] not in named
    ]
    holder = None
    eligible = False
    if not any(key in ("held", "has_uino", "uino", "birth_date") for key, _ in errors):
        holder, problems = _look_up(db, answers, clock.taipei_date())
        eligible = holder is not None
        errors = problems + errors
    if errors or holder is None:
        return _drafts_page(
            request, visitor, db, clock, show_dialog=True, answers=raw, errors=errors,
            eligible=eligible, status_code=422,
        )  # fmt: skip
    answers["uino"] = holder.uino
    auth.update_data(
        visitor,
        **{
            STATE: {
                "answers": answers,
                "holder_id": holder.id,
                "form_token": secrets.token_urlsafe(18),
            }
        },
    )
    db.commit()
    return RedirectResponse(f"{PREFIX}/new", status_code=303)


# ---------------------------------------------------------------- 就業金卡申請 - 新增 / 修改


def _holder(db: DbSession, holder_id: object) -> CardHolder | None:
    return db.get(CardHolder, int(str(holder_id))) if holder_id else None


def _prefill(holder: CardHolder) -> dict[str, str]:
    """What the platform knows of a former holder; 註2: 基本資料 is filled in anew."""
    return {"birth_date": dates.show(holder.birth_date)}


def _form_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    *,
    answers: dict[str, str],
    holder: CardHolder,
    action: str,
    heading: str,
    values: dict[str, str],
    staged: dict[str, list[Any]],
    checked: Checked | None = None,
    show_consent: bool = False,
    consent_error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    layout = gold_card.layout_for(answers)
    errors = checked.errors if checked else []
    first_error_tab = next(
        (
            tab.key
            for tab in gold_card.TABS
            for error in errors[:1]
            if error.message.startswith(f"「{tab.label}」")
        ),
        "basic",
    )
    return render(
        request,
        "pages/gold_card/form.html",
        status_code=status_code,
        **shell_context(visitor, clock, GOLD_CARD),
        heading=heading,
        action=action,
        tabs=gold_card.TABS,
        layout=layout,
        expertise_fields=gold_card.EXPERTISE_FIELDS,
        qualifications=expertise.QUALIFICATIONS,
        previous=holder.extra or {},
        values={**_prefill(holder), **values},
        prefill={},
        errors=errors,
        error_for={error.name: error.message for error in errors},
        error_tabs={
            tab.label
            for tab in gold_card.TABS
            for e in errors
            if e.message.startswith(f"「{tab.label}」")
        },
        initial_tab=first_error_tab,
        staged=staged,
        upload_url=f"{PREFIX}/uploads",
        address_parts=ADDRESS_PARTS,
        address_limit=ADDRESS_PART_MAX,
        cities=CITIES,
        show_consent=show_consent,
        consent_title=consents.GOLD_CARD_TITLE,
        consent_clauses=consents.GOLD_CARD_CLAUSES,
        consent_action=f"{PREFIX}/consent",
        consent_cancel=DRAFTS,
        consent_error=consent_error,
    )


def _new_flow(visitor: WebSession, db: DbSession) -> tuple[dict[str, Any], CardHolder] | None:
    state = auth.flow_state(visitor, STATE)
    holder = _holder(db, state.get("holder_id"))
    if holder is None or not state.get("answers") or "form_token" not in state:
        return None
    return state, holder


def _back_to_drafts(visitor: WebSession, db: DbSession, notice: str) -> RedirectResponse:
    auth.update_data(visitor, gold_card_notice=notice)
    db.commit()
    return RedirectResponse(DRAFTS, status_code=303)


@router.get("/new", response_model=None)
def new_application(
    request: Request, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> Response:
    """T8.12–T8.13: the form, behind 「系統使用聲明事項(就業金卡部分)」 until accepted."""
    flow = _new_flow(visitor, db)
    if flow is None:
        return _back_to_drafts(visitor, db, "請先按「新增申請人」回答申請人相關問題。")
    state, holder = flow
    return _form_page(
        request, visitor, clock, answers=state["answers"], holder=holder,
        action=f"{PREFIX}/save", heading="就業金卡申請 - 新增", values={}, staged={},
        show_consent=not state.get("consented"),
    )  # fmt: skip


@router.post("/consent", response_model=None)
def accept_consent(
    request: Request, form: PostedForm, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> Response:
    """T8.12: 「確定」 counts only with 「同意上述條款，請打勾。」 ticked."""
    agree = form.get("agree")
    flow = _new_flow(visitor, db)
    if flow is None:
        return _back_to_drafts(visitor, db, "請先按「新增申請人」回答申請人相關問題。")
    state, holder = flow
    if agree != "yes":
        return _form_page(
            request, visitor, clock, answers=state["answers"], holder=holder,
            action=f"{PREFIX}/save", heading="就業金卡申請 - 新增", values={}, staged={},
            show_consent=True, status_code=422,
            consent_error=consents.GOLD_CARD_NOT_TICKED,
        )  # fmt: skip
    _set_state(visitor, consented="yes")
    db.commit()
    return RedirectResponse(f"{PREFIX}/new", status_code=303)


upload_endpoint.add_upload_routes(
    router, system=GOLD_CARD.slug, slots=gold_card.ALL_SLOTS, url_prefix=f"{PREFIX}/uploads"
)


def _read_form(form: Any) -> tuple[dict[str, str], dict[str, list[str]]]:
    fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    tokens = {
        slot: [str(t) for t in form.getlist(f"{slot}_token") if t] for slot in gold_card.ALL_SLOTS
    }
    return fields, tokens


def _check(
    fields: dict[str, str],
    staged: dict[str, list[Any]],
    *,
    answers: dict[str, str],
    holder: CardHolder,
    today: date,
) -> Checked:
    layout = gold_card.layout_for(answers)
    asked = {slot.name for slot in layout.documents}
    return gold_card.validate(
        fields,
        {slot: [row.id for row in rows] for slot, rows in staged.items() if slot in asked},
        answers=answers,
        birth_date=dates.show(holder.birth_date),
        previous=holder.extra or {},
        today=today,
    )


@router.post("/save", response_model=None)
def save_new(
    request: Request, form: PostedForm, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> Response:
    """T8.14: 「儲存」 checks every tab; only a complete application becomes a draft."""
    flow = _new_flow(visitor, db)
    if flow is None or not flow[0].get("consented"):
        return _back_to_drafts(visitor, db, "申請資料已失效，請重新按「新增申請人」。")
    state, holder = flow
    fields, tokens = _read_form(form)
    staged = claimable(db, visitor.id, tokens)
    checked = _check(
        fields, staged, answers=state["answers"], holder=holder, today=clock.taipei_date()
    )
    if checked.errors:
        return _form_page(
            request, visitor, clock, answers=state["answers"], holder=holder,
            action=f"{PREFIX}/save", heading="就業金卡申請 - 新增", values=checked.values,
            staged=staged, checked=checked, status_code=422,
        )  # fmt: skip
    draft = drafts.create(
        db,
        account_id=current_account(visitor).id,
        kind=KIND,
        name=gold_card.english_name(checked.values),
        holder_id=holder.id,
        answers=state["answers"],
        data=checked.values,
        now=clock.now(),
    )
    uploads.keep_with_draft(db, draft, staged)
    auth.update_data(visitor, **{STATE: {}})
    db.commit()
    return RedirectResponse(f"{DRAFTS}/{draft.id}/preview?saved=1", status_code=303)


def _owned_draft(db: DbSession, visitor: WebSession, clock: ServerClock, draft_id: int) -> Draft:
    draft = drafts.owned(db, current_account(visitor).id, draft_id, clock.taipei_date())
    if draft is None:
        db.commit()  # expired drafts are purged even when the page is refused
        raise HTTPException(404, "找不到此暫存資料，可能已超過保存期限(30日)或已刪除。")
    return draft


def _staged_of(draft: Draft) -> dict[str, list[Any]]:
    staged: dict[str, list[Any]] = {}
    for row in sorted(draft.uploads, key=lambda row: row.created_at):
        staged.setdefault(row.field, []).append(row)
    return staged


@router.get("/drafts/{draft_id}/edit", response_class=HTMLResponse)
def edit_draft(
    request: Request, draft_id: RowId, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """「編輯」: the draft back in the tabbed form, files included."""
    draft = _owned_draft(db, visitor, clock, draft_id)
    holder = _holder(db, draft.holder_id)
    if holder is None:
        raise HTTPException(404)
    return _form_page(
        request, visitor, clock, answers=draft.answers, holder=holder,
        action=f"{DRAFTS}/{draft.id}/save", heading="就業金卡申請 - 修改", values=draft.data,
        staged=_staged_of(draft),
    )  # fmt: skip


@router.post("/drafts/{draft_id}/save", response_model=None)
def save_draft(
    request: Request,
    draft_id: RowId,
    form: PostedForm,
    visitor: GoldCardLogin,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    draft = _owned_draft(db, visitor, clock, draft_id)
    holder = _holder(db, draft.holder_id)
    if holder is None:
        raise HTTPException(404)
    fields, tokens = _read_form(form)
    staged = claimable(db, visitor.id, tokens, draft_id=draft.id)
    checked = _check(
        fields, staged, answers=draft.answers, holder=holder, today=clock.taipei_date()
    )
    if checked.errors:
        return _form_page(
            request, visitor, clock, answers=draft.answers, holder=holder,
            action=f"{DRAFTS}/{draft.id}/save", heading="就業金卡申請 - 修改",
            values=checked.values, staged=staged, checked=checked, status_code=422,
        )  # fmt: skip
    draft.data = checked.values
    draft.name = gold_card.english_name(checked.values)
    draft.saved_at = clock.now()
    uploads.keep_with_draft(db, draft, staged)
    db.commit()
    return RedirectResponse(f"{DRAFTS}/{draft.id}/preview?saved=1", status_code=303)


# ---------------------------------------------------------------- preview, view, delete, submit


def _summary_page(
    request: Request,
    visitor: WebSession,
    db: DbSession,
    clock: ServerClock,
    draft: Draft,
    *,
    mode: str,
    saved: bool = False,
    errors: list[Any] | None = None,
) -> HTMLResponse:
    layout = gold_card.layout_for(draft.answers)
    page = render(
        request,
        "pages/gold_card/preview.html",
        status_code=422 if errors else 200,
        **shell_context(visitor, clock, GOLD_CARD),
        mode=mode,
        saved=saved,
        draft=draft,
        layout=layout,
        tabs=gold_card.TABS,
        values=draft.data,
        residence_address=gold_card.address_text(draft.data, "residence"),
        answers=gold_card.answer_summary(draft.answers),
        files=_staged_of(draft),
        carried_over=gold_card.carried_over(draft.data, _holder_extra(db, draft)),
        fee=gold_card.fee(draft.data),
        errors=errors or [],
    )
    db.commit()
    return page


def _holder_extra(db: DbSession, draft: Draft) -> dict[str, object]:
    holder = _holder(db, draft.holder_id)
    return (holder.extra or {}) if holder else {}


@router.get("/drafts/{draft_id}/preview", response_class=HTMLResponse)
def preview_draft(
    request: Request,
    draft_id: RowId,
    visitor: GoldCardLogin,
    db: DbSession,
    clock: ServerClock,
    saved: str = "",
) -> HTMLResponse:
    """T8.15–T8.16: 「儲存成功」, then 「就業金卡申請 - 編輯」 with every value and 「送出」."""
    draft = _owned_draft(db, visitor, clock, draft_id)
    return _summary_page(request, visitor, db, clock, draft, mode="preview", saved=bool(saved))


@router.get("/drafts/{draft_id}", response_class=HTMLResponse)
def view_draft(
    request: Request, draft_id: RowId, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """「檢視」: the draft read-only."""
    draft = _owned_draft(db, visitor, clock, draft_id)
    return _summary_page(request, visitor, db, clock, draft, mode="view")


@router.post("/drafts/{draft_id}/delete")
def delete_draft(
    draft_id: RowId, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> RedirectResponse:
    """「刪除」 after its confirmation: the draft and its files are gone."""
    draft = _owned_draft(db, visitor, clock, draft_id)
    name = draft.name
    drafts.delete(db, draft)
    return _back_to_drafts(visitor, db, f"已刪除「{name}」的暫存資料。")


@router.post("/drafts/{draft_id}/submit", response_model=None)
def submit_draft(
    request: Request,
    draft_id: RowId,
    form: PostedForm,
    visitor: GoldCardLogin,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    """T8.16 「送出」: one case per draft, however often the button is pressed."""
    submit_token = str(form.get("submit_token", ""))[:64]
    earlier = cases.by_submit_token(db, submit_token) if submit_token else None
    if earlier is not None and earlier.account_id == visitor.account_id:
        return RedirectResponse(f"{PREFIX}/complete/{earlier.number}", status_code=303)
    draft = _owned_draft(db, visitor, clock, draft_id)
    holder = _holder(db, draft.holder_id)
    if holder is None:
        raise HTTPException(404)
    # The draft was complete when saved; the world may have changed since (a new card,
    # a passport expiring), so every rule runs again.
    today = clock.taipei_date()
    # The holder is the one found when the draft began: only the card's expiry can differ.
    problems = [] if holder.card_expiry < today else [gold_card.still_valid(holder.card_expiry)]
    checked = _check(
        draft.data, _staged_of(draft), answers=draft.answers, holder=holder, today=today
    )
    if problems or checked.errors:
        messages = problems + [e.message for e in checked.errors]
        return _summary_page(request, visitor, db, clock, draft, mode="preview", errors=messages)
    state = dict(visitor.data)
    case, created = cases.create_once(
        db,
        submit_token=draft.submit_token,
        system="gold_card",
        kind=KIND,
        title="就業金卡重新申請",
        account_id=draft.account_id,
        holder_id=holder.id,
        data={
            **draft.data,
            "answers": draft.answers,
            "uino": holder.uino,
            "english_name": draft.name,
            "filed_by": state.get("role", "self"),
            "company_id": state.get("company_id", ""),
        },
        now=clock.now(),
        status="待繳費",
        fee=gold_card.fee(draft.data),
    )
    if created:  # a twin submit that lost the race leaves the draft to the one that won
        uploads.bind(case, _staged_of(draft))
        db.delete(draft)
    db.commit()
    return RedirectResponse(f"{PREFIX}/complete/{case.number}", status_code=303)


@router.get("/complete/{number}", response_class=HTMLResponse)
def completed(
    request: Request, number: CaseNumber, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """T8.17: 「就業金卡申請 - 資料填寫完成說明」 with the 申請案號."""
    case = db.scalars(select(Case).where(Case.number == number)).first()
    if case is None or case.account_id != visitor.account_id:
        raise HTTPException(404)
    return render(
        request,
        "pages/gold_card/complete.html",
        **shell_context(visitor, clock, GOLD_CARD),
        case=case,
        payment_path=f"{GOLD_CARD.home_path.removesuffix('/home')}/payment",
    )
