"""The mock's application factory: settings in, a complete ASGI app out."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitMiddleware

from mock_platform import csrf, limits, seed, systems
from mock_platform.clock import Clock
from mock_platform.db import Base, make_engine, session_factory
from mock_platform.deps import CONTROL_PREFIX, SESSION_COOKIE, LoginRequired
from mock_platform.routers import (
    auth,
    control,
    data_change,
    entry,
    gold_card,
    mailbox,
    officer,
    other_reason,
    payment,
    payment_gateway,
    progress,
    shell,
    student,
    student_auth,
    student_register,
    supplement,
)
from mock_platform.services import mailer, uploads
from mock_platform.services.auth import new_session_id
from mock_platform.settings import MockSettings
from mock_platform.templating import render

log = logging.getLogger("mock_platform")


def create_app(settings: MockSettings | None = None) -> FastAPI:
    settings = settings or MockSettings()
    app = FastAPI(
        title="coa-e2e mock platform",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf.verify)],
    )
    app.state.settings = settings
    app.state.clock = Clock()
    app.state.engine = make_engine(settings.database_url)
    app.state.sessions = session_factory(app.state.engine)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    Base.metadata.create_all(app.state.engine)
    with app.state.sessions() as db:
        seed.seed_demo_data(db)
        # Files staged by browsers that left before the last stop (issue 12: nothing
        # abandoned stays on disk); timed by the real clock, before tutorial mode stops it.
        uploads.sweep_abandoned(db, app.state.clock.now(), settings.session_minutes)
    if settings.tutorial_mode:
        seed.freeze_for_tutorials(app.state.clock)

    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for router in (
        entry.router, auth.router, shell.router, other_reason.router, gold_card.router,
        data_change.router, progress.router, officer.router, supplement.router,
        payment.router, payment_gateway.router, student_auth.router, student_register.router,
        student.router,
    ):  # fmt: skip
        app.include_router(router)
    if settings.control_api:
        # Test tooling: the control API, and the mailbox in which anyone reads anyone's mail.
        app.include_router(control.router)
        app.include_router(mailbox.router)
    if settings.smtp_url:
        mailer.relay_committed_mail(app.state.sessions, settings.smtp_url)

    app.middleware("http")(_session_cookie)
    app.add_middleware(csrf.OriginCheck)
    # Starlette's limiter counts what streams in; ours answers a declared length at once.
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=limits.MAX_BODY_BYTES)
    app.add_middleware(limits.DeclaredTooLarge)
    _install_error_pages(app)
    return app


async def _session_cookie(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Give every browser a session id; routes may swap it (login) via request.state.sid."""
    given = request.cookies.get(SESSION_COOKIE)
    request.state.sid = given or new_session_id()
    response = await call_next(request)
    if request.state.sid != given:
        response.set_cookie(
            SESSION_COOKIE,
            request.state.sid,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or request.url.path.startswith(
        CONTROL_PREFIX
    )


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"message": exc.notice or "登入已逾時，請重新登入。"}, 401)
        login_url = systems.SYSTEMS[exc.system].login_url
        if not exc.notice:
            return RedirectResponse(login_url, status_code=303)
        joiner = "&" if "?" in login_url else "?"
        return RedirectResponse(
            f"{login_url}{joiner}{urlencode({'notice': exc.notice})}", status_code=303
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = (
            limits.TOO_LARGE if exc.status_code == 413 else exc.detail
        )  # Starlette's is English
        if _wants_json(request):
            # "message" is what the pages' scripts show beside the field.
            return JSONResponse({"detail": detail, "message": str(detail)}, exc.status_code)
        generic = detail in (None, "", "Not Found")
        message = "找不到您要的頁面。" if exc.status_code == 404 and generic else str(detail)
        return render(request, "pages/error.html", exc.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            # An id out of range or of the wrong shape names nothing that exists.
            return await http_error(request, StarletteHTTPException(404))
        if _wants_json(request):
            return JSONResponse({"detail": exc.errors()}, 422)
        return render(
            request, "pages/error.html", 400, message="送出的資料格式不正確，請回上一頁重新操作。"
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # The user gets a page they can act on; the trace goes to the server log only.
        log.exception("unhandled error on %s", request.url.path)
        if _wants_json(request):
            return JSONResponse({"detail": "internal error"}, 500)
        return render(request, "pages/error.html", 500, message="系統忙碌中，請稍後再試。")
