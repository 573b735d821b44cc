"""Outgoing mail: the one place a mail is composed, escaped, stored and relayed.

A mail is blocks of lines. A plain ``str`` line is text, whoever typed it (an
officer's comment, an applicant's name): it is escaped on its way into the html.
Only ``Markup`` built by the mock's own code (``Markup(...).format(...)``, which
escapes what it interpolates) and ``Link`` lines become markup. A ``Link`` line
carries ``data-dynamic``: its host, port and token differ per run, so screenshot
comparison masks it.

Every mail is a ``Mail`` row (the outbox); the mailbox page shows them only in test
mode. With ``COA_MOCK_SMTP_URL`` set, each mail is also relayed by SMTP once the
request that sent it has committed, so a refused request never sends anything.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from markupsafe import Markup, escape
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from mock_platform.models import Mail

SENDER = "niasys@immigration.gov.tw"
_OUTBOX = "coa_outbox"
log = logging.getLogger("mock_platform.mail")


@dataclass(frozen=True)
class Link:
    """A line that is a link the reader follows (verification, password reset)."""

    url: str


Line = str | Markup | Link


def send(
    db: Session, *, to: str, subject: str, blocks: Sequence[Sequence[Line]], now: datetime
) -> Mail:
    """Queue one mail to ``to`` in the caller's transaction (saved, and relayed, on commit)."""
    mail = Mail(to=to, subject=subject, text=text_of(blocks), html=html_of(blocks), sent_at=now)
    db.add(mail)
    db.info.setdefault(_OUTBOX, []).append(mail)
    return mail


def text_of(blocks: Sequence[Sequence[Line]]) -> str:
    return "\n\n".join("\n".join(_plain(line) for line in block if line) for block in blocks)


def html_of(blocks: Sequence[Sequence[Line]]) -> str:
    parts = []
    for block in blocks:
        lines = "".join(_paragraph(line) for line in block if line)
        parts.append(Markup('<div class="mail-block">{}</div>').format(Markup(lines)))
    return str(Markup("").join(parts))


def _plain(line: Line) -> str:
    if isinstance(line, Link):
        return line.url
    if isinstance(line, Markup):
        return line.striptags()
    return line


def _paragraph(line: Line) -> Markup:
    if isinstance(line, Link):
        return Markup('<p data-dynamic><a href="{0}">{0}</a></p>').format(line.url)
    return Markup("<p>{}</p>").format(escape(line))


# --- relay ------------------------------------------------------------------------


def relay_committed_mail(sessions: sessionmaker[Session], smtp_url: str) -> None:
    """Relay every mail a session sends, once its transaction commits."""

    @event.listens_for(sessions, "after_commit")
    def _after_commit(db: Session) -> None:
        for mail in db.info.pop(_OUTBOX, []):
            _relay(mail, smtp_url)

    @event.listens_for(sessions, "after_rollback")
    def _after_rollback(db: Session) -> None:
        db.info.pop(_OUTBOX, None)


def _relay(mail: Mail, smtp_url: str) -> None:
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    url = urlsplit(smtp_url)
    try:
        secure = url.scheme == "smtps"
        client_type = smtplib.SMTP_SSL if secure else smtplib.SMTP
        with client_type(url.hostname or "localhost", url.port or (465 if secure else 25)) as smtp:
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        # The case is saved either way; the mail stays in the outbox for an operator.
        log.exception("could not relay mail %s to %s", mail.id, mail.to)
