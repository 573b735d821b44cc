"""Tables of the mock: accounts, sessions, card holders, drafts, cases, uploads, mail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mock_platform.db import Base


class Account(Base):
    """A platform member: one account serves every system of the four-in-one platform."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("system", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system: Mapped[str] = mapped_column(String(20))  # four_in_one | student
    role: Mapped[str] = mapped_column(String(20), default="self")  # self | employer | agency
    username: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200))
    verified: Mapped[bool] = mapped_column(default=True)
    wrong_passwords: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class WebSession(Base):
    """A browser's session: anonymous until login, then bound to an account until expiry."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    account: Mapped[Account | None] = relationship()


class CardHolder(Base):
    """A Gold Card holder on file, looked up by 統一證號 + 出生日期."""

    __tablename__ = "card_holders"

    id: Mapped[int] = mapped_column(primary_key=True)
    uino: Mapped[str] = mapped_column(String(10), unique=True)
    birth_date: Mapped[date] = mapped_column(Date)
    english_name: Mapped[str] = mapped_column(String(120))
    chinese_name: Mapped[str] = mapped_column(String(60), default="")
    nationality: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(4))
    passport_number: Mapped[str] = mapped_column(String(20))
    passport_expiry: Mapped[date] = mapped_column(Date)
    card_expiry: Mapped[date] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Case(Base):
    """A submitted application; ``number`` is the 12-digit 申請收件號 / 申請案號."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)
    system: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(30))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("card_holders.id"), default=None)
    submit_token: Mapped[str] = mapped_column(String(64), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fee: Mapped[int] = mapped_column(Integer, default=0)  # NT$ due; 0 when free
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The officer's latest 審核意見 per tab, and what the review asked for (deadlines).
    review: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    uploads: Mapped[list[Upload]] = relationship(back_populates="case")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class Serial(Base):
    """The last serial given out per receipt-number prefix (year and system): numbers are
    drawn by one UPDATE … RETURNING, which the database serialises across requests."""

    __tablename__ = "serials"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class CaseEvent(Base):
    """One step of a case's life, dated by the server clock: 「案件進度查詢」 lists them."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    status: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(40))  # applicant | officer | payment | system
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="events")


class Draft(Base):
    """A saved but unsent application (「暫存」): its account's only, kept 30 days."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))  # 申請名稱 of the draft list
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("card_holders.id"), default=None)
    submit_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    uploads: Mapped[list[Upload]] = relationship(back_populates="draft")


class Upload(Base):
    """An uploaded file: staged for a browser session first, attached to a case on submit."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_kind: Mapped[str] = mapped_column(String(10))  # JPEG | PNG | BMP | PDF
    size: Mapped[int] = mapped_column(Integer)
    stored_path: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"), default=None)

    case: Mapped[Case | None] = relationship(back_populates="uploads")
    draft: Mapped[Draft | None] = relationship(back_populates="uploads")


class Mail(Base):
    """An outgoing e-mail, stored so the mailbox page and the control API can show it."""

    __tablename__ = "mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Payment(Base):
    """One attempt to pay cases online: made at 「開始繳費」, settled by the mock gateway.

    ``status`` is pending → paid | declined | cancelled; only a pending payment may settle,
    and a case is charged once whatever the number of payments naming it.
    """

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # unguessable: in the gateway's URL
    # 銷帳編號 (slip, gateway, receipt): the Taipei date and ``id``, so unique like it.
    reference: Mapped[str] = mapped_column(String(16), default="")
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    system: Mapped[str] = mapped_column(String(20))  # the slug it was started from: gold-card …
    case_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    method: Mapped[str] = mapped_column(String(30))  # rules.payment METHODS key
    amount: Mapped[int] = mapped_column(Integer)  # NT$ 規費, the sum of the cases' fees
    handling_fee: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")  # why declined or refused
    card_last4: Mapped[str] = mapped_column(String(4), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class StudentRecord(Base):
    """A foreign student on file (the school reports enrolment): found by 居留證號 (S.8).

    ``data`` keeps what the school reported beyond identity: 學校單位, 就學狀態, the school's
    address (the 在臺居住地址 the form proposes) and its contact person (在臺聯絡人).
    """

    __tablename__ = "student_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    uino: Mapped[str] = mapped_column(String(10), unique=True)  # 居留證號 (統一證號)
    passport_number: Mapped[str] = mapped_column(String(20))
    english_name: Mapped[str] = mapped_column(String(120))
    chinese_name: Mapped[str] = mapped_column(String(60), default="")
    birth_date: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(4))
    nationality: Mapped[str] = mapped_column(String(40))
    passport_expiry: Mapped[date] = mapped_column(Date)
    permit_expiry: Mapped[date] = mapped_column(Date)  # 居留證效期
    school: Mapped[str] = mapped_column(String(80))
    programme: Mapped[str] = mapped_column(String(20))  # one of rules.student.PROGRAMMES
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
