"""Reading a posted form: one size rule and one refusal, for every route that reads one.

Starlette refuses a form field over 1 MB with an English message that names no field.
Here the limit per field is far above any field's own (rules/text.py ``MAX_LENGTH``:
at most a few thousand characters), so an oversize value is parsed and then refused by
its field's check, with a message that starts with the field's label. Only what cannot
be parsed at all (a part over ``MAX_PART_BYTES``, a broken multipart body) is refused
here, as a whole, in the user's language. The body as a whole is bounded before this
(mock_platform/limits.py).

Starlette keeps the parsed form on the request: a second read (the route after the
CSRF check) returns it without parsing again, whatever limit it passes.

Routes take the form as a parameter, ``form: PostedForm``, declared before the
database ones: FastAPI solves dependencies in that order, so the body is read before
any transaction begins (mock_platform/db.py takes SQLite's write lock at BEGIN), and a
route that is a plain ``def`` stays one, its database work off the event loop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

# Per field (part), in bytes: above every field's own limit, so that limit speaks first.
MAX_PART_BYTES = 2 * 1024 * 1024
UNREADABLE = (
    "送出的資料無法讀取（單一欄位超過 2 MB 或資料格式不正確），請回上一頁確認內容後再送出一次。"
)


async def read_form(request: Request) -> FormData:
    """The request's form, parsed once; a body that cannot be parsed is a 400 in Chinese."""
    try:
        return await request.form(max_part_size=MAX_PART_BYTES)
    except MultiPartException:
        raise HTTPException(400, UNREADABLE) from None
    except StarletteHTTPException as error:
        # Starlette turns its parser's MultiPartException into an English 400 inside an
        # app; anything else (the body limit's 413) passes as it is.
        if error.status_code != 400:
            raise
        raise HTTPException(400, UNREADABLE) from None


PostedForm = Annotated[FormData, Depends(read_form)]
