"""How much a request may carry: bodies are bounded before any form or file is parsed.

Uvicorn and Starlette read urlencoded forms whole, however large. FastAPI's own
``max_body_size`` (Starlette's RequestBodyLimitMiddleware) refuses a body over
``MAX_BODY_BYTES`` with 413, whether it declares its length or streams it; the app's
error page says so in the user's language. Every field and file has its own, smaller
limit with a message naming it (rules/text.py, rules/uploads.py); this one only
stops abuse early.
"""

from __future__ import annotations

from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# Uploads are under 1024K each; a form is a few kilobytes. A request of 8 MB is abuse.
MAX_BODY_BYTES = 8 * 1024 * 1024
TOO_LARGE = "送出的資料超過上限（8 MB），請減少內容或檔案大小後再試一次。"


class DeclaredTooLarge:
    """Answer a body that declares itself over the limit at once, in the user's language
    (Starlette's limiter replaces any answer to such a request with an English one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                wants_json = b"application/json" in dict(scope["headers"]).get(b"accept", b"")
                answer = (
                    JSONResponse({"detail": TOO_LARGE, "message": TOO_LARGE}, 413)
                    if wants_json
                    else PlainTextResponse(TOO_LARGE, 413)
                )
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)
