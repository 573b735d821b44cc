"""Typed dependencies shared by the routers: database, clock, settings, browser session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from mock_platform.clock import Clock
from mock_platform.db import session_scope
from mock_platform.models import Account, WebSession
from mock_platform.services import auth
from mock_platform.settings import MockSettings
from mock_platform.systems import SYSTEMS

SESSION_COOKIE = "coa_sid"
# The control API's paths (test tooling, JSON, on only in test mode).
CONTROL_PREFIX = "/__mock__/"
# Account.system of the agency's reviewing officers (the officer console's own login).
OFFICER_SYSTEM = "officer"


def get_db(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.sessions)


def get_clock(request: Request) -> Clock:
    return request.app.state.clock


def get_settings(request: Request) -> MockSettings:
    return request.app.state.settings


DbSession = Annotated[Session, Depends(get_db)]
ServerClock = Annotated[Clock, Depends(get_clock)]
Settings = Annotated[MockSettings, Depends(get_settings)]


def get_visitor(request: Request, db: DbSession, clock: ServerClock) -> WebSession:
    return auth.load_session(db, request.state.sid, clock.now())


Visitor = Annotated[WebSession, Depends(get_visitor)]


class LoginRequired(Exception):
    """Raised where a page needs a live login; the app turns it into the login page."""

    def __init__(self, system: str, notice: str) -> None:
        super().__init__(notice)
        self.system = system
        self.notice = notice


def login_guard(system: str):  # noqa: ANN201 - returns a FastAPI dependency
    """A dependency that passes a logged-in, unexpired session of ``system`` through."""

    def require_login(visitor: Visitor, db: DbSession, clock: ServerClock) -> WebSession:
        if visitor.account_id is None:
            raise LoginRequired(system, "請先登入後再使用此功能。")
        if auth.is_expired(visitor, clock.now()):
            auth.end_login(
                visitor,
                notice="登入時間已超過 30 分鐘，系統已自動登出，未送出的資料不會保存，請重新登入。",
            )
            db.commit()
            raise LoginRequired(system, "")
        # An officer's session is for the officer console only (/officer/...).
        if visitor.account is not None and visitor.account.system == OFFICER_SYSTEM:
            raise LoginRequired(system, "審核人員帳號不能使用申辦系統，請以申請人帳號登入。")
        # Student accounts and platform accounts are registered apart (S.2 vs the platform).
        if visitor.account is not None and visitor.account.system != SYSTEMS[system].platform:
            raise LoginRequired(system, "此帳號不能使用本系統，請以本系統註冊的帳號登入。")
        return visitor

    return require_login


def current_account(visitor: WebSession) -> Account:
    if visitor.account is None:  # login_guard ran first, so this is a programming error
        raise RuntimeError("no account on a guarded session")
    return visitor.account
