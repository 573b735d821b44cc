"""「補正(件)」 (T5.7–T5.13): the list, a case's detail, 「申請人資料補正」 with its seven tabs,
「送出」 and the 「補正完成」 page.

A supplement is sent once: the case moves 初審資料補正 → 補正完成, the changed values and
the new files are kept with it (before and after in ``case.review["supplement"]``), and
from then on the form is read-only. A form posted again lands on the same completion
page without a second move.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from mock_platform import systems
from mock_platform.deps import DbSession, ServerClock, current_account
from mock_platform.forms_io import PostedForm
from mock_platform.models import Case, Upload, WebSession
from mock_platform.routers import upload_endpoint
from mock_platform.routers.params import CaseNumber
from mock_platform.routers.shell import GOLD_CARD, GoldCardLogin, account_cases, shell_context
from mock_platform.rules import case_status, dates, expertise, gold_card
from mock_platform.rules import supplement as rules
from mock_platform.rules.addresses import CITIES
from mock_platform.rules.forms import ADDRESS_PART_MAX, ADDRESS_PARTS, Checked
from mock_platform.services import lifecycle, uploads
from mock_platform.services.uploads import claimable
from mock_platform.templating import render

PREFIX = f"{systems.GOLD_CARD_ROOT}/supplements"
UPLOADS = f"{PREFIX}/uploads"
# Gold Card applications (new, re-application): their tabs are the ones supplemented here.
SYSTEM = "gold_card"
NOT_FOUND = "找不到需要補正的案件，請由「進度查詢」▸「補正(件)列表」選擇案件。"
router = APIRouter(prefix=PREFIX)


def _owned(db: DbSession, visitor: WebSession, number: str) -> Case:
    """The visitor's own case that was returned for a supplement; 404 for anything else."""
    case = db.scalars(select(Case).where(Case.number == number)).first()
    if (
        case is None
        or case.account_id != visitor.account_id
        or case.system != SYSTEM
        or case.status not in rules.LISTED
        or rules.deadlines(case.review or {}) is None
    ):
        raise HTTPException(404, NOT_FOUND)
    return case


def _limits(case: Case) -> rules.Deadlines:
    limits = rules.deadlines(case.review or {})
    if limits is None:  # _owned let only returned cases through
        raise HTTPException(404, NOT_FOUND)
    return limits


def _sent(case: Case) -> dict[str, Any] | None:
    """This round's sent supplement, if the case's status says it was sent."""
    record = (case.review or {}).get("supplement")
    if case.status != case_status.SUPPLEMENT_SUBMITTED or not isinstance(record, dict):
        return None
    return record


def _sent_on(case: Case) -> str:
    sent = _sent(case)
    return dates.show(rules.taipei_day(str(sent["submitted_at"]))) if sent else ""


def _state(case: Case, today: date) -> str:
    """done | closed | abroad_only | open: what the applicant may still do."""
    if case.status == case_status.SUPPLEMENT_SUBMITTED:
        return "done"
    limits = _limits(case)
    if limits.is_closed(today):
        return "closed"
    return "abroad_only" if limits.needs_abroad(today) else "open"


def _on_file(case: Case) -> dict[str, list[Upload]]:
    files: dict[str, list[Upload]] = {}
    for row in sorted(case.uploads, key=lambda row: row.created_at):
        files.setdefault(row.field, []).append(row)
    return files


# ---------------------------------------------------------------- 補正(件) - 列表 / 詳細


@router.get("", response_class=HTMLResponse)
def supplement_list(
    request: Request, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """T5.7: the cases waiting for a supplement and, read-only, those already sent."""
    returned = [
        case
        for case in account_cases(db, visitor, SYSTEM)
        if case.system == SYSTEM and case.status in rules.LISTED and case.review
    ]
    returned.sort(key=lambda case: (case.submitted_at, case.id))
    page = render(
        request,
        "pages/gold_card/supplement_list.html",
        **shell_context(visitor, clock, GOLD_CARD),
        heading=rules.TITLE_LIST,
        rows=[
            {
                "case": case,
                "name": rules.applicant_name(case.data, current_account(visitor).display_name),
                "item": rules.item_name(case.kind),
                "done": case.status == case_status.SUPPLEMENT_SUBMITTED,
            }
            for case in returned
        ],
        reason=rules.REASON,
    )
    db.commit()
    return page


@router.get("/{number}", response_class=HTMLResponse)
def supplement_detail(
    request: Request, number: CaseNumber, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """T5.8: 基本資料 and 案件資料 with the deadline, and 「補正」 while it may be sent."""
    case = _owned(db, visitor, number)
    today = clock.taipei_date()
    page = render(
        request,
        "pages/gold_card/supplement_detail.html",
        **shell_context(visitor, clock, GOLD_CARD),
        heading=rules.TITLE_DETAIL,
        case=case,
        name=rules.applicant_name(case.data, current_account(visitor).display_name),
        item=rules.item_name(case.kind),
        reason=rules.REASON,
        collect_method=rules.COLLECT_METHOD,
        limits=_limits(case),
        state=_state(case, today),
        sent_on=_sent_on(case),
        show=dates.show,
        list_path=PREFIX,
    )
    db.commit()
    return page


# ---------------------------------------------------------------- 補正(件) - 申請人資料補正


def _form_page(
    request: Request,
    visitor: WebSession,
    clock: ServerClock,
    case: Case,
    *,
    values: dict[str, str] | None = None,
    staged: dict[str, list[Upload]] | None = None,
    checked: Checked | None = None,
    refusal: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    form = rules.form_for(case.data)
    today = clock.taipei_date()
    state = _state(case, today)
    limits = _limits(case)
    sent = _sent(case)
    errors = checked.errors if checked else []
    readonly = state in ("done", "closed")
    if sent is not None:
        shown = {**rules.current_values(case.data, form), "reply": str(sent.get("reply", ""))}
        shown["abroad"] = "yes" if sent.get("abroad") else ""
    else:
        shown = values if values is not None else rules.current_values(case.data, form)
    notice = ""
    if state == "done":
        notice = (
            f"本案已於 {_sent_on(case)} 送出補正（補正完成），提交後就不能再更改資料或補送文件。"
        )
    elif state == "closed":
        notice = rules.closed_message(limits)
    elif state == "abroad_only":
        notice = rules.abroad_only_message(limits)
    first = form.tab_of(errors[0].name) if errors else "basic"
    return render(
        request,
        "pages/gold_card/supplement_form.html",
        status_code=status_code,
        **shell_context(visitor, clock, GOLD_CARD),
        heading=rules.TITLE_FORM,
        case=case,
        tabs=rules.TABS,
        form=form,
        layout=form.layout,
        expertise_fields=gold_card.EXPERTISE_FIELDS,
        qualifications=expertise.QUALIFICATIONS,
        comments=rules.comments_by_tab(case.review or {}),
        values=shown,
        prefill={},
        errors=errors,
        error_for={error.name: error.message for error in errors},
        error_tabs={rules.TAB_LABELS[form.tab_of(error.name)] for error in errors},
        initial_tab=first,
        staged=staged or {},
        on_file=_on_file(case),
        upload_url=UPLOADS,
        upload_rules=rules.UPLOAD_RULES,
        abroad_box=rules.ABROAD_BOX,
        reply_label=rules.REPLY_LABEL,
        reply_placeholder=rules.REPLY_PLACEHOLDER,
        reply_hint=rules.REPLY_HINT,
        reply_max=rules.REPLY_MAX,
        readonly=readonly,
        notice=notice,
        refusal=refusal,
        limits=limits,
        show=dates.show,
        round=str((case.review or {}).get("requested_at", "")),
        action=f"{PREFIX}/{case.number}/form",
        detail_path=f"{PREFIX}/{case.number}",
        address_parts=ADDRESS_PARTS,
        address_limit=ADDRESS_PART_MAX,
        cities=CITIES,
    )


@router.get("/{number}/form", response_class=HTMLResponse)
def supplement_form(
    request: Request, number: CaseNumber, visitor: GoldCardLogin, db: DbSession, clock: ServerClock
) -> HTMLResponse:
    """T5.9–T5.12: the tabs prefilled from the case, each with its 審核意見 on top."""
    case = _owned(db, visitor, number)
    page = _form_page(request, visitor, clock, case)
    db.commit()
    return page


upload_endpoint.add_upload_routes(
    router, system=GOLD_CARD.slug, slots=gold_card.ALL_SLOTS, url_prefix=UPLOADS
)


def _complete_path(case: Case, *, again: bool = False) -> str:
    return f"{PREFIX}/{case.number}/complete" + ("?again=1" if again else "")


@router.post("/{number}/form", response_model=None)
def send_supplement(
    request: Request,
    number: CaseNumber,
    posted: PostedForm,
    visitor: GoldCardLogin,
    db: DbSession,
    clock: ServerClock,
) -> Response:
    """T5.13 「送出」: checked as a whole, kept as a whole, moved once."""
    # Two submits of one case cannot interleave: the login check began the request's
    # transaction with the database's write lock (mock_platform/db.py).
    case = _owned(db, visitor, number)
    round_sent = str(posted.get("round", ""))
    review = case.review or {}
    sent = _sent(case)
    if sent is not None:
        if round_sent and sent.get("round") == round_sent:
            return RedirectResponse(_complete_path(case, again=True), status_code=303)
        refusal = "本案已送出補正（補正完成），提交後就不能再更改資料或補送文件。"
        return _refuse(request, visitor, db, clock, case, refusal)
    if round_sent != str(review.get("requested_at", "")):
        refusal = "審核人員已更新補正事項，請重新開啟本案的補正畫面後再送出。"
        return _refuse(request, visitor, db, clock, case, refusal)
    today = clock.taipei_date()
    limits = _limits(case)
    if limits.is_closed(today):
        return _refuse(request, visitor, db, clock, case, rules.closed_message(limits))

    form = rules.form_for(case.data)
    fields = {key: str(value) for key, value in posted.items() if isinstance(value, str)}
    slots = {slot.name for slot in form.documents}
    tokens = {slot: [str(t) for t in posted.getlist(f"{slot}_token") if t] for slot in slots}
    staged = claimable(db, visitor.id, tokens)
    checked = rules.validate(
        fields,
        {slot: len(rows) for slot, rows in staged.items()},
        data=case.data,
        form=form,
        today=today,
        limits=limits,
    )
    if checked.errors:
        shown = {**fields, **checked.values}
        page = _form_page(
            request, visitor, clock, case, values=shown, staged=staged, checked=checked,
            status_code=422,
        )  # fmt: skip
        db.commit()
        return page

    reply = checked.values.pop(rules.REPLY_FIELD.name)  # kept in the review, not the data
    abroad = fields.get("abroad") == "yes"
    before = rules.current_values(case.data, form)
    after = {**before, **checked.values}
    changed = rules.changes(before, after, form)
    now = clock.now()
    try:
        lifecycle.move(
            db, case, case_status.SUPPLEMENT_SUBMITTED, now=now, actor="applicant", note=reply
        )
    except case_status.TransitionRefused as error:
        db.rollback()
        return _refuse(request, visitor, db, clock, case, str(error))
    case.data = {**case.data, **after, "english_name": rules.applicant_name(after)}
    case.review = {
        **review,
        "reply": reply,
        "supplement": {
            "round": str(review["requested_at"]),
            "submitted_at": now.isoformat(),
            "reply": reply,
            "abroad": abroad,
            "deadline": dates.show(limits.abroad if abroad else limits.normal),
            "changes": [asdict(change) for change in changed],
            "before": {change.name: change.old for change in changed},
            "after": {change.name: change.new for change in changed},
            "files": {
                slot: [row.filename for row in rows] for slot, rows in staged.items() if rows
            },
        },
    }
    uploads.bind(case, staged)
    db.commit()
    return RedirectResponse(_complete_path(case), status_code=303)


def _refuse(
    request: Request,
    visitor: WebSession,
    db: DbSession,
    clock: ServerClock,
    case: Case,
    refusal: str,
) -> HTMLResponse:
    """The form again, read-only where it must be, with why nothing was saved."""
    page = _form_page(request, visitor, clock, case, refusal=refusal, status_code=409)
    db.commit()
    return page


@router.get("/{number}/complete", response_model=None)
def supplement_complete(
    request: Request,
    number: CaseNumber,
    visitor: GoldCardLogin,
    db: DbSession,
    clock: ServerClock,
    again: str = "",
) -> Response:
    """T5.13: 「補正完成」 with what was changed and sent."""
    case = _owned(db, visitor, number)
    sent = _sent(case)
    if sent is None:
        return RedirectResponse(f"{PREFIX}/{case.number}", status_code=303)
    labels = {slot.name: slot.label for slot in gold_card.ALL_SLOTS.values()}
    page = render(
        request,
        "pages/gold_card/supplement_complete.html",
        **shell_context(visitor, clock, GOLD_CARD),
        heading=rules.TITLE_DONE,
        case=case,
        sent=sent,
        sent_on=_sent_on(case),
        files=[(labels.get(slot, slot), names) for slot, names in sent.get("files", {}).items()],
        again=bool(again),
        list_path=PREFIX,
    )
    db.commit()
    return page
