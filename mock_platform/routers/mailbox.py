"""The mock's webmail (like MailHog): every address's inbox over the stored mails.

Test tooling, served only with the control API (test mode): anyone can read any
address's mail here, which is how a person or a scenario reads the agency's mails
(S.4, S.16, S.17, S.23), and every page says so. Without the control API there is
no mailbox; mail leaves only by SMTP (``COA_MOCK_SMTP_URL``). A mail's html is
composed by services.mailer, which escapes every line of text, so it is shown as is.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Select, func, select

from mock_platform.clock import TAIPEI
from mock_platform.deps import DbSession
from mock_platform.models import Mail
from mock_platform.routers.params import RowId
from mock_platform.rules import text
from mock_platform.services.mailer import SENDER
from mock_platform.templating import render

PREFIX = "/mailbox"
# An e-mail address is at most 254 characters (rules/text.py); anything longer names no inbox.
Address = Annotated[str, Path(min_length=3, max_length=text.MAX_LENGTH["email"])]
router = APIRouter(prefix=PREFIX)
MAILBOX_NAME = "coa-e2e 模擬信箱 Mock Mailbox"


def inbox_url(address: str) -> str:
    return f"{PREFIX}/{quote(address, safe='@+')}"


def shown_time(moment: datetime) -> str:
    """YYYY/MM/DD HH:MM in Taipei (SQLite hands back naive datetimes; they are UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(TAIPEI).strftime("%Y/%m/%d %H:%M")


def _mails_to(address: str) -> Select[tuple[Mail]]:
    return select(Mail).where(func.lower(Mail.to) == address.strip().lower())


def _chrome(address: str) -> dict[str, str]:
    return {
        "address": address,
        "inbox_url": inbox_url(address),
        "mailbox_name": MAILBOX_NAME,
        "sender": SENDER,
    }


@router.get("/{address}", response_class=HTMLResponse)
def inbox(request: Request, address: Address, db: DbSession) -> HTMLResponse:
    """The address's mails, newest first."""
    mails = db.scalars(_mails_to(address).order_by(Mail.sent_at.desc(), Mail.id.desc())).all()
    rows = [
        {
            "url": f"{inbox_url(address)}/{mail.id}",
            "subject": mail.subject,
            "sent": shown_time(mail.sent_at),
        }
        for mail in mails
    ]
    return render(request, "pages/mailbox/inbox.html", rows=rows, **_chrome(address))


@router.get("/{address}/{mail_id}", response_class=HTMLResponse)
def message(request: Request, address: Address, mail_id: RowId, db: DbSession) -> HTMLResponse:
    """One mail as a webmail shows it; another address's mail is not found here."""
    mail = db.scalars(_mails_to(address).where(Mail.id == mail_id)).first()
    if mail is None:
        return render(
            request,
            "pages/mailbox/message.html",
            404,
            mail=None,
            mail_id=mail_id,
            **_chrome(address),
        )
    return render(
        request,
        "pages/mailbox/message.html",
        mail=mail,
        sent=shown_time(mail.sent_at),
        sent_iso=mail.sent_at.isoformat(),
        **_chrome(address),
    )
