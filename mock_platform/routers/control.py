"""The control API under /__mock__/: set-up and cross-checks for tests, never for users."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mock_platform import seed
from mock_platform.deps import CONTROL_PREFIX, DbSession, ServerClock, Settings, Visitor
from mock_platform.models import Account, CardHolder, Case, Mail, StudentRecord
from mock_platform.rules import gold_card, student, ubn, uino
from mock_platform.services import auth, cases, drafts, review
from mock_platform.services.passwords import hash_password

router = APIRouter(prefix=CONTROL_PREFIX.rstrip("/"), tags=["control"])


class AccountIn(BaseModel):
    system: Literal["four_in_one", "student", "officer"] = "four_in_one"
    role: Literal["self", "employer", "agency"] = "self"
    username: str | None = None
    password: str | None = None
    display_name: str = "TEST APPLICANT"
    email: str | None = None
    verified: bool = True
    company_id: str | None = Field(None, description="an employer's 8-digit 統一編號")


class CardHolderIn(BaseModel):
    uino: str
    birth_date: date
    card_expiry: date
    english_name: str
    chinese_name: str = ""
    nationality: str = "日本"
    gender: Literal["男", "女"] = "男"
    passport_number: str = "X1234567"
    passport_expiry: date = Field(default_factory=lambda: date.today() + timedelta(days=3650))
    email: str = ""
    phone: str = ""
    # What the card says beyond identity: T6 prefills its tabs with these, T8 compares
    # the chosen qualification with the previous one (註2 of the tutorial).
    extra: dict[str, object] = Field(default_factory=dict)


class StudentIn(BaseModel):
    """A student on file, as the school reported the enrolment (found by 居留證號, S.8)."""

    uino: str = Field(description="居留證號 (統一證號)")
    passport_number: str
    english_name: str
    chinese_name: str = ""
    birth_date: date
    gender: Literal["男", "女"] = "女"
    nationality: str = "越南"
    passport_expiry: date
    permit_expiry: date = Field(description="居留證效期")
    school: str
    programme: str = Field(description="申請來臺就學學制, one of the twelve")
    unit: str = Field("", description="學校單位; the school and programme when empty")
    enrolment: str = "已註冊"
    address: dict[str, str] = Field(default_factory=dict, description="the school's address")
    contact: dict[str, str] = Field(default_factory=dict, description="在臺聯絡人 fields")


class DraftIn(BaseModel):
    """A Gold Card draft as if the account had saved it ``saved_days_ago`` days ago."""

    username: str
    name: str = Field(description="申請名稱, e.g. 'ETHAN HUNT'")
    uino: str | None = Field(None, description="the former holder it is for, if any")
    saved_days_ago: int = Field(0, ge=0)


class ReviewIn(BaseModel):
    """An officer action, as the officer console would take it."""

    action: Literal["supplement", "approve", "reject", "card_ready"]
    comments: dict[str, str] = Field(default_factory=dict, description="審核意見 per tab")
    reason: str = ""


class CaseIn(BaseModel):
    """A case as if ``username`` had filed it: set-up for review, payment and receipts."""

    username: str
    system: Literal["gold_card", "gold_card_change", "other_reason", "student"] = "gold_card"
    kind: str = "gold_card_reapply"
    title: str = "就業金卡重新申請"
    status: Literal["已送件", "待繳費"] = "待繳費"
    fee: int = Field(5300, ge=0)
    data: dict[str, object] = Field(default_factory=dict)


class ClockIn(BaseModel):
    advance_seconds: int | None = None
    set: datetime | None = None
    frozen: bool = False
    reset: bool = False


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.post("/reset")
def reset(db: DbSession, settings: Settings, clock: ServerClock) -> dict[str, str]:
    seed.wipe(db, settings, clock)
    return {"status": "reset"}


@router.get("/captcha")
def captcha_answer(visitor: Visitor, db: DbSession, settings: Settings) -> dict[str, str]:
    """The answer of the captcha now shown to the caller's browser session (same cookie)."""
    answer = auth.current_captcha(visitor, tutorial_text=settings.fixed_captcha)
    db.commit()
    return {"answer": answer}


@router.post("/accounts", status_code=201)
def create_account(payload: AccountIn, db: DbSession) -> dict[str, object]:
    extra: dict[str, str] = {}
    if payload.role == "employer":
        try:
            extra["company_id"] = ubn.validate(payload.company_id or "")
        except ubn.UBNError as error:
            raise HTTPException(422, str(error)) from None
    username = payload.username or f"user{secrets.token_hex(4)}"
    password = payload.password or f"Pw{secrets.token_hex(5)}9"
    account = Account(
        system=payload.system,
        role=payload.role,
        username=username,
        password_hash=hash_password(password),
        display_name=payload.display_name,
        email=payload.email or f"{username}@example.com",
        verified=payload.verified,
        extra=extra,
    )
    db.add(account)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise HTTPException(409, f"account {username!r} already exists") from None
    return {
        "id": account.id,
        "system": account.system,
        "role": account.role,
        "username": username,
        "password": password,
        "display_name": account.display_name,
        "email": account.email,
        **extra,
    }


@router.get("/accounts/{username}")
def account_state(username: str, db: DbSession) -> dict[str, object]:
    account = db.scalars(select(Account).where(Account.username == username)).first()
    if account is None:
        raise HTTPException(404, "no such account")
    return {
        "username": account.username,
        "wrong_passwords": account.wrong_passwords,
        "locked": account.locked_at is not None,
        "verified": account.verified,
    }


@router.post("/cardholders", status_code=201)
def create_card_holder(payload: CardHolderIn, db: DbSession) -> dict[str, object]:
    try:
        number = uino.validate(payload.uino)
    except uino.UINumberError as error:
        raise HTTPException(422, str(error)) from None
    holder = CardHolder(**{**payload.model_dump(), "uino": number})
    db.add(holder)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise HTTPException(409, f"card holder {number} already exists") from None
    return {"id": holder.id, **payload.model_dump(mode="json"), "uino": number}


@router.post("/students", status_code=201)
def create_student(payload: StudentIn, db: DbSession) -> dict[str, object]:
    try:
        number = uino.validate(payload.uino)
    except uino.UINumberError as error:
        raise HTTPException(422, str(error)) from None
    if payload.programme not in student.PROGRAMMES:
        raise HTTPException(422, f"programme must be one of {', '.join(student.PROGRAMMES)}")
    fields = payload.model_dump(exclude={"unit", "enrolment", "address", "contact"})
    record = StudentRecord(
        **{**fields, "uino": number},
        data={
            "unit": payload.unit or f"{payload.school}{payload.programme}",
            "enrolment": payload.enrolment,
            "address": payload.address,
            "contact": payload.contact,
        },
    )
    db.add(record)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise HTTPException(409, f"student {number} already exists") from None
    return {"id": record.id, **payload.model_dump(mode="json"), "uino": number}


@router.post("/drafts", status_code=201)
def create_draft(payload: DraftIn, db: DbSession, clock: ServerClock) -> dict[str, object]:
    account = db.scalars(select(Account).where(Account.username == payload.username)).first()
    if account is None:
        raise HTTPException(404, "no such account")
    holder = (
        db.scalars(select(CardHolder).where(CardHolder.uino == payload.uino)).first()
        if payload.uino
        else None
    )
    given, _, surname = payload.name.upper().partition(" ")
    draft = drafts.create(
        db,
        account_id=account.id,
        kind="gold_card_reapply",
        name=payload.name.upper(),
        holder_id=holder.id if holder else None,
        answers={"held": gold_card.HELD_EXPIRED, "has_uino": gold_card.YES},
        data={"english_given_name": given, "english_surname": surname},
        now=clock.now() - timedelta(days=payload.saved_days_ago),
    )
    db.commit()
    return {"id": draft.id, "name": draft.name}


@router.get("/clock")
def read_clock(clock: ServerClock) -> dict[str, str | bool]:
    return clock.describe()


@router.post("/clock")
def move_clock(payload: ClockIn, clock: ServerClock) -> dict[str, str | bool]:
    if payload.reset:
        clock.reset()
    if payload.set is not None:
        clock.set(payload.set, frozen=payload.frozen)
    if payload.advance_seconds:
        clock.advance(timedelta(seconds=payload.advance_seconds))
    return clock.describe()


@router.get("/cases")
def list_cases(db: DbSession) -> dict[str, list[dict[str, object]]]:
    rows = db.scalars(select(Case).order_by(Case.id)).all()
    return {
        "cases": [
            {
                "number": case.number,
                "status": case.status,
                "fee": case.fee,
                "paid_at": case.paid_at.isoformat() if case.paid_at else None,
                "history": [
                    {"status": e.status, "at": e.at.isoformat(), "actor": e.actor, "note": e.note}
                    for e in case.events
                ],
                "review": case.review,
                "kind": case.kind,
                "title": case.title,
                "account": db.get(Account, case.account_id).username,  # type: ignore[union-attr]
                "submitted_at": case.submitted_at.isoformat(),
                "files": {u.field: u.filename for u in case.uploads},
                "data": case.data,
            }
            for case in rows
        ]
    }


@router.post("/cases", status_code=201)
def create_case(payload: CaseIn, db: DbSession, clock: ServerClock) -> dict[str, object]:
    account = db.scalars(select(Account).where(Account.username == payload.username)).first()
    if account is None:
        raise HTTPException(404, "no such account")
    case, _ = cases.create_once(
        db,
        submit_token=f"control-{secrets.token_hex(8)}",
        system=payload.system,
        kind=payload.kind,
        title=payload.title,
        account_id=account.id,
        holder_id=None,
        data=payload.data,
        now=clock.now(),
        status=payload.status,
        fee=payload.fee,
    )
    db.commit()
    return {"number": case.number, "status": case.status, "fee": case.fee}


@router.post("/cases/{number}/review")
def review_case(
    number: str, payload: ReviewIn, db: DbSession, clock: ServerClock
) -> dict[str, object]:
    case = db.scalars(select(Case).where(Case.number == number)).first()
    if case is None:
        raise HTTPException(404, "no such case")
    now = clock.now()
    try:
        if payload.action == "supplement":
            review.request_supplement(db, case, payload.comments, now=now)
        elif payload.action == "approve":
            review.approve(db, case, now=now)
        elif payload.action == "reject":
            review.reject(db, case, payload.reason, now=now)
        else:
            review.card_ready(db, case, now=now)
    except review.ReviewError as error:
        db.rollback()
        raise HTTPException(409, str(error)) from None
    db.commit()
    return {"number": case.number, "status": case.status, "review": case.review}


@router.get("/mail")
def list_mail(
    db: DbSession, request: Request, to: str | None = None
) -> dict[str, list[dict[str, str]]]:
    query = select(Mail).order_by(Mail.id)
    if to:
        query = query.where(Mail.to == to)
    return {
        "messages": [
            {
                "to": m.to,
                "subject": m.subject,
                "text": m.text,
                "html": m.html,
                "sent_at": m.sent_at.isoformat(),
            }
            for m in db.scalars(query).all()
        ]
    }
