"""Login with captcha, lock-out after repeated wrong passwords, and 30-minute sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_platform.models import Account, WebSession
from mock_platform.rules import ubn
from mock_platform.services import captcha
from mock_platform.services.passwords import verify_password
from mock_platform.systems import ROLES as ROLE_NAMES


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt came to: an account, or a message naming what went wrong."""

    account: Account | None = None
    field: str = ""
    message: str = ""


def new_session_id() -> str:
    return secrets.token_urlsafe(24)


def load_session(db: Session, session_id: str, now: datetime) -> WebSession:
    """The browser's session row, created on first sight."""
    row = db.get(WebSession, session_id)
    if row is None:
        row = WebSession(id=session_id, created_at=now, data={})
        db.add(row)
        db.flush()
    return row


def update_data(row: WebSession, **changes: object) -> None:
    # JSON columns are only saved when reassigned, not when mutated in place.
    row.data = {**row.data, **changes}


def flow_state(row: WebSession, key: str) -> dict[str, Any]:
    """A copy of one application flow's state kept in the browser session."""
    return dict(row.data.get(key) or {})


def pop_data(row: WebSession, key: str) -> object:
    data = dict(row.data)
    value = data.pop(key, None)
    row.data = data
    return value


def fresh_captcha(row: WebSession, *, tutorial_text: str | None) -> str:
    """A new captcha for this browser; in tutorial mode a fixed sequence starting at the text."""
    if tutorial_text is None:
        answer = captcha.new_answer()
    else:
        serial = int(row.data.get("captcha_serial", 0))
        answer = captcha.tutorial_answer(tutorial_text, serial)
        update_data(row, captcha_serial=serial + 1)
    update_data(row, captcha=answer)
    return answer


def current_captcha(row: WebSession, *, tutorial_text: str | None) -> str:
    """The captcha this browser is shown now, drawn first if it has none yet."""
    return str(row.data.get("captcha") or fresh_captcha(row, tutorial_text=tutorial_text))


def is_expired(row: WebSession, now: datetime) -> bool:
    return row.expires_at is not None and now >= _aware(row.expires_at, now)


def seconds_left(row: WebSession, now: datetime) -> int:
    if row.expires_at is None:
        return 0
    return max(0, int((_aware(row.expires_at, now) - now).total_seconds()))


def _aware(moment: datetime, like: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=like.tzinfo)


def attempt_login(
    db: Session,
    row: WebSession,
    *,
    system: str,
    username: str,
    password: str,
    captcha_given: str,
    max_wrong: int,
    now: datetime,
    role: str | None = None,
    company_id: str | None = None,
    account_label: str = "帳號",
    unlock_hint: str = "請以「忘記密碼?」重設密碼，或洽客服專線解除鎖定。",
) -> LoginOutcome:
    """Check the captcha, then the password; count wrong passwords and lock at ``max_wrong``.

    ``role`` is the Gold Card applicant role of the login form (None: any); an employer
    also gives the company's 統一編號, which must pass its check digit and be the account's.
    """
    if role == "employer":
        try:
            company_id = ubn.validate(company_id or "")
        except ubn.UBNError as error:
            return LoginOutcome(field=ubn.LABEL, message=str(error))
    if not username.strip():
        return LoginOutcome(field="帳號", message=f"{account_label}：請輸入{account_label}")
    if not password:
        return LoginOutcome(field="密碼", message="密碼：請輸入密碼")
    if not captcha_given.strip():
        return LoginOutcome(field="驗證碼", message="驗證碼：請輸入圖片中的驗證碼")
    if not captcha.matches(row.data.get("captcha"), captcha_given):
        return LoginOutcome(field="驗證碼", message="驗證碼：輸入錯誤，請重新輸入新的驗證碼")
    account = db.scalars(
        select(Account).where(Account.system == system, Account.username == username.strip())
    ).first()
    if account is None:
        return LoginOutcome(field="帳號", message="帳號或密碼錯誤，請重新輸入")
    if account.locked_at is not None:
        return LoginOutcome(field="帳號", message=locked_message(max_wrong, unlock_hint))
    if not verify_password(password, account.password_hash):
        account.wrong_passwords += 1
        if account.wrong_passwords >= max_wrong:
            account.locked_at = now
            return LoginOutcome(field="密碼", message=locked_message(max_wrong, unlock_hint))
        left = max_wrong - account.wrong_passwords
        return LoginOutcome(
            field="密碼",
            message=f"帳號或密碼錯誤，您還可以再嘗試 {left} 次；"
            f"連續錯誤 {max_wrong} 次帳號將被鎖定。",
        )
    if not account.verified:
        return LoginOutcome(
            field="帳號",
            message="帳號尚未完成Email認證，請先至信箱收取認證信，或按「重發認證信」。",
        )
    account.wrong_passwords = 0
    if role is not None and account.role != role:
        return LoginOutcome(
            field="帳號",
            message=f"此帳號不能以「{ROLE_NAMES[role]}」登入；"
            f"請回上一頁選擇「{ROLE_NAMES[account.role]}」。",
        )
    if role == "employer" and account.extra.get("company_id") != company_id:
        return LoginOutcome(field=ubn.LABEL, message="統一編號：與此雇主帳號登記的公司統一編號不符")
    return LoginOutcome(account=account)


def locked_message(max_wrong: int, unlock_hint: str) -> str:
    return f"此帳號因密碼連續錯誤 {max_wrong} 次已被鎖定，無法登入。{unlock_hint}"


def start_login(
    db: Session, old: WebSession, account: Account, now: datetime, minutes: int
) -> WebSession:
    """A new session id for the logged-in browser, so a pre-login cookie can't be reused."""
    db.delete(old)
    row = WebSession(
        id=new_session_id(),
        account_id=account.id,
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
        data={},
    )
    db.add(row)
    return row


def end_login(row: WebSession, *, notice: str = "") -> None:
    row.account_id = None
    row.expires_at = None
    row.data = {"notice": notice} if notice else {}
