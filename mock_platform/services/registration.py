"""Student accounts (S.2–S.5): registration, the verification and reset links, their mails.

A link's token is drawn from ``secrets`` and only its SHA-256 is stored, in
``Account.extra["tokens"][purpose]`` with its creation time: a newer link of the same
purpose replaces the older one, a used link is removed, and a link is good for 24 hours
on the server clock.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mock_platform import systems
from mock_platform.models import Account, Mail
from mock_platform.rules import registration as rules
from mock_platform.rules.forms import Checked
from mock_platform.services import mailer
from mock_platform.services.passwords import hash_password

VERIFY = "verify"
RESET = "reset"
TOKEN_LIFETIME = timedelta(hours=24)
LINK_PATHS: dict[str, str] = {
    VERIFY: "/coa-frontend/register/verify",
    RESET: "/coa-frontend/register/reset",
}
VERIFY_SUBJECT = "會員信箱認證通知函 Please Verify your e-mail address"
RESET_SUBJECT = "會員密碼重設通知函 Password Reset"
SIGNATURE_ZH = "內政部移民署 敬啟"
SIGNATURE_EN = "National Immigration Agency, ROC(Taiwan)"
# What the account keeps of the form (as strings): everything but the login itself.
KEPT_FIELDS = tuple(spec.name for spec in rules.FIELDS if spec.name != "username")

TokenState = Literal["valid", "expired", "invalid"]


@dataclass(frozen=True)
class LinkCheck:
    """What a link's account and token came to: ``account`` is None for an unknown account."""

    state: TokenState
    account: Account | None = None


# ---------------------------------------------------------------- accounts


def find_account(db: Session, username: str) -> Account | None:
    """The student account of ``username``, whatever the letter case."""
    return db.scalars(
        select(Account).where(
            Account.system == systems.STUDENT,
            func.lower(Account.username) == username.strip().lower(),
        )
    ).first()


def email_taken(db: Session, email: str) -> bool:
    found = db.scalars(
        select(Account.id).where(
            Account.system == systems.STUDENT, func.lower(Account.email) == email.strip().lower()
        )
    ).first()
    return found is not None


def find_pair(db: Session, username: str, email: str) -> Account | None:
    """The student account registered with this 登入帳號 and this 電子郵件, if any."""
    account = find_account(db, username)
    if account is None or account.email.lower() != email.strip().lower():
        return None
    return account


def check_unique(db: Session, checked: Checked) -> None:
    """登入帳號 and 電子郵件 not yet used by a student account (letter case ignored)."""
    username = checked.values.get("username", "")
    if username and not checked.has_error("username") and find_account(db, username):
        checked.fail("username", "登入帳號：此帳號已被註冊，請改用其他帳號")
    email = checked.values.get("email", "")
    if email and not checked.has_error("email") and email_taken(db, email):
        checked.fail(
            "email",
            "電子郵件：此電子郵件已註冊過帳號，請以原帳號登入；"
            "若尚未收到認證信，可按「重發認證信」",
        )


def register(
    db: Session, values: Mapping[str, str], *, password: str, base_url: str, now: datetime
) -> Account:
    """A new, unverified student account and its verification mail, in one transaction."""
    account = Account(
        system=systems.STUDENT,
        role="self",
        username=values["username"],
        password_hash=hash_password(password),
        display_name=rules.display_name(values),
        email=values["email"],
        verified=False,
        extra={
            "registration": {name: str(values.get(name, "")) for name in KEPT_FIELDS},
            "registered_at": now.isoformat(),
        },
    )
    db.add(account)
    send_verification(db, account, base_url=base_url, now=now)
    return account


def set_password(account: Account, password: str) -> None:
    """A new password, which also lifts a lock from wrong passwords."""
    account.password_hash = hash_password(password)
    account.locked_at = None
    account.wrong_passwords = 0


# ---------------------------------------------------------------- link tokens


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(account: Account, purpose: str, now: datetime) -> str:
    """A new token for ``purpose``; the account's previous one stops working."""
    token = secrets.token_urlsafe(24)
    tokens = dict((account.extra or {}).get("tokens") or {})
    tokens[purpose] = {"sha256": _digest(token), "created_at": now.isoformat()}
    # JSON columns are only saved when reassigned, not when mutated in place.
    account.extra = {**(account.extra or {}), "tokens": tokens}
    return token


def token_state(account: Account, purpose: str, token: str, now: datetime) -> TokenState:
    stored = ((account.extra or {}).get("tokens") or {}).get(purpose)
    if not stored or not hmac.compare_digest(stored["sha256"], _digest(token)):
        return "invalid"
    created = datetime.fromisoformat(stored["created_at"])
    if created.tzinfo is None:
        created = created.replace(tzinfo=now.tzinfo)
    return "valid" if now < created + TOKEN_LIFETIME else "expired"


def consume_token(account: Account, purpose: str) -> None:
    tokens = dict((account.extra or {}).get("tokens") or {})
    tokens.pop(purpose, None)
    account.extra = {**(account.extra or {}), "tokens": tokens}


def check_link(db: Session, username: str, purpose: str, token: str, now: datetime) -> LinkCheck:
    account = find_account(db, username)
    if account is None:
        return LinkCheck("invalid")
    return LinkCheck(token_state(account, purpose, token, now), account)


def activate(db: Session, username: str, token: str, now: datetime) -> LinkCheck:
    """Follow a verification link: a valid one verifies the account and is used up."""
    checked = check_link(db, username, VERIFY, token, now)
    if checked.state == "valid" and checked.account is not None:
        checked.account.verified = True
        consume_token(checked.account, VERIFY)
    return checked


def link_url(base_url: str, purpose: str, username: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{LINK_PATHS[purpose]}/{username}/{token}"


# ---------------------------------------------------------------- mails


def send_verification(db: Session, account: Account, *, base_url: str, now: datetime) -> Mail:
    """「會員信箱認證通知函」 with a new link; any earlier verification link dies."""
    link = link_url(base_url, VERIFY, account.username, issue_token(account, VERIFY, now))
    chinese: list[mailer.Line] = [
        "您好：",
        f"您申請註冊的帳號：{account.username}",
        "我們需要對您的電子郵件位址的有效性進行驗證，以避免垃圾信件或電子郵件位址被濫用。"
        "請點擊下方連結即可啟用您的帳號：",
        mailer.Link(link),
        "並請妥善保存您的申請帳號。",
        SIGNATURE_ZH,
    ]
    english: list[mailer.Line] = [
        f"Dear {account.display_name}:",
        f"Your registration account number: {account.username}",
        "We have to verify your e-mail address, please click the link below to complete process:",
        mailer.Link(link),
        "Please keep your account number in a secure manner.",
        SIGNATURE_EN,
    ]
    return mailer.send(
        db, to=account.email, subject=VERIFY_SUBJECT, blocks=[chinese, english], now=now
    )


def send_reset(db: Session, account: Account, *, base_url: str, now: datetime) -> Mail:
    """「會員密碼重設通知函」: a link to set a new password, good for 24 hours, once."""
    link = link_url(base_url, RESET, account.username, issue_token(account, RESET, now))
    chinese: list[mailer.Line] = [
        "您好：",
        f"您的帳號：{account.username}",
        "我們收到您重設密碼的申請。請點擊下方連結設定新密碼（連結24小時內有效，且只能使用一次）：",
        mailer.Link(link),
        "如果您沒有申請重設密碼，請忽略此信件，您的密碼不會變更。",
        SIGNATURE_ZH,
    ]
    english: list[mailer.Line] = [
        f"Dear {account.display_name}:",
        f"Your account number: {account.username}",
        "We received a request to reset your password. Please click the link below to set a "
        "new password (valid for 24 hours, once only):",
        mailer.Link(link),
        "If you did not request a password reset, please ignore this e-mail; "
        "your password will not change.",
        SIGNATURE_EN,
    ]
    return mailer.send(
        db, to=account.email, subject=RESET_SUBJECT, blocks=[chinese, english], now=now
    )
