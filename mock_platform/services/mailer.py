"""Outgoing mail: every message the mock sends is a ``Mail`` row, read by the mailbox page.

The agency's system mails come from one address; the Mail table has no sender column, so
the sender is this module's constant. Lines of a mail's html holding a link carry ``data-dynamic``
(their host, port and token change per run; screenshot comparison masks them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mock_platform.models import Mail

SENDER = "niasys@immigration.gov.tw"


def send(db: Session, *, to: str, subject: str, text: str, html: str, now: datetime) -> Mail:
    """Queue one mail to ``to`` in the caller's transaction (it is saved with the commit)."""
    mail = Mail(to=to, subject=subject, text=text, html=html, sent_at=now)
    db.add(mail)
    return mail
