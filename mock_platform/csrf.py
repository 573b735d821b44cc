"""Forged requests: a per-session token on every state-changing request, and the Origin.

Every form the mock renders carries ``csrftoken`` (an HMAC of the browser's session
id under the server's secret), and every script request sends it as
``X-CSRF-Token``; ``verify`` (a dependency of the whole app) refuses an unsafe
request without it. ``OriginCheck`` refuses, before any body is read, an unsafe
request whose ``Origin`` (or ``Referer``) names another site: that also covers the
control API, whose callers are test tools and send neither header.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_platform.deps import CONTROL_PREFIX
from mock_platform.forms_io import read_form

TOKEN_FIELD = "csrftoken"
TOKEN_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED = "這個表單已失效或不是從本平臺送出（安全驗證碼不符），請重新整理頁面後再操作一次。"
FOREIGN = "拒絕來自其他網站的請求。"


def token_for(secret: str, session_id: str) -> str:
    """The session's token: nothing stored, nothing another session can reuse."""
    return hmac.new(secret.encode(), session_id.encode(), hashlib.sha256).hexdigest()


def page_token(request: Request) -> str:
    """The token the page being rendered puts into its forms and its meta tag."""
    return token_for(request.app.state.settings.secret_key, request.state.sid)


async def verify(request: Request) -> None:
    """Refuse an unsafe request that does not carry this session's token."""
    if request.method in SAFE_METHODS or request.url.path.startswith(CONTROL_PREFIX):
        return
    given = request.headers.get(TOKEN_HEADER)
    if given is None:
        form = await read_form(request)  # parsed once: the route reads the same form
        given = str(form.get(TOKEN_FIELD, ""))
    if not hmac.compare_digest(given.encode(), page_token(request).encode()):
        raise HTTPException(403, REFUSED)


class OriginCheck:
    """Refuse unsafe requests a browser sent from another site (Origin, else Referer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            headers = {name.decode("latin-1"): value for name, value in scope["headers"]}
            claimed = headers.get("origin") or headers.get("referer")
            if claimed is not None and not _same_origin(claimed.decode("latin-1"), scope):
                await PlainTextResponse(FOREIGN, 403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _same_origin(claimed: str, scope: Scope) -> bool:
    parts = urlsplit(claimed)
    host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
    return parts.scheme == scope.get("scheme", "http") and parts.netloc == host
