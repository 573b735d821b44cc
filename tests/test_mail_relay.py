"""Mail outside test mode: no mailbox page, every mail relayed by SMTP, text escaped.

A real SMTP server (aiosmtpd) on a free port receives what the mock sends, only after
the request that sent it committed.
"""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from harness.server import free_port
from mock_platform.services import mailer
from tests.mock_client import make_client

REGISTER = "/coa-frontend/foreign-student/individual/register"
FORM = {
    "surname": "CHEN", "given_name": "MEI", "chinese_name": "陳美", "gender": "女",
    "birth_date": "2001/05/06", "nationality": "越南", "passport_number": "C7654321",
    "phone": "0912-345-678", "extension": "", "email": "mei@example.com",
    "username": "mei2024", "password": "study123pw", "password_confirm": "study123pw",
}  # fmt: skip


class Catcher:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield catcher, f"smtp://127.0.0.1:{controller.port}"
    controller.stop()


def test_without_the_control_api_there_is_no_mailbox_and_mail_goes_by_smtp(tmp_path, smtp):
    catcher, url = smtp
    with make_client(tmp_path, control_api=False, smtp_url=url) as client:
        assert client.get("/mailbox/mei@example.com").status_code == 404
        assert client.get("/__mock__/mail", params={"to": "mei@example.com"}).status_code == 404
        page = client.get(REGISTER).text
        assert "學生註冊" in page
        done = client.post(REGISTER, data=FORM, follow_redirects=False)
        assert done.status_code == 303, done.text

    [relayed] = catcher.messages
    assert relayed["To"] == "mei@example.com"
    assert relayed["From"] == mailer.SENDER
    body = relayed.get_payload()[0].get_payload(decode=True).decode()
    assert re.search(r"/coa-frontend/register/verify/mei2024/\S+", body)


def test_a_refused_request_relays_nothing(tmp_path, smtp):
    catcher, url = smtp
    with make_client(tmp_path, control_api=False, smtp_url=url) as client:
        client.get(REGISTER)
        refused = client.post(REGISTER, data={**FORM, "password_confirm": "other123pw"})
        assert refused.status_code == 422
    assert catcher.messages == []


def test_typed_text_in_a_mail_is_escaped_and_only_the_mocks_markup_is_kept():
    html = mailer.html_of(
        [["說明：<script>alert(1)</script>", mailer.Link("http://h/verify/a?x=1&y=<b>")]]
    )

    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<p data-dynamic><a href="http://h/verify/a?x=1&amp;y=&lt;b&gt;">' in html
    assert mailer.text_of([["說明：<b>", mailer.Link("http://h/v")]]) == "說明：<b>\nhttp://h/v"
