"""S refusals: 學生註冊's password rule and taken accounts, login before activation, and
verification links that were used or replaced (S.3, S.5)."""

from __future__ import annotations

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from fixtures.factories import create_student, create_student_registration
from fixtures.models import StudentRegistration
from harness.data import server_today
from harness.server import ControlApiError
from pages.mailbox.inbox import MailboxInbox
from pages.mailbox.message import MailMessage
from pages.student.login import StudentLoginPage
from pages.student.registration import StudentRegistrationPage
from pages.student.resend_verification import ResendVerificationPage
from pages.student.verification import DEAD_LINK, VerificationPage

pytestmark = pytest.mark.tutorial("NEG")
VERIFY_SUBJECT = "會員信箱認證通知函"


def new_registration(platform, faker: Faker) -> StudentRegistration:
    record = create_student(faker=faker, today=server_today(platform))
    return create_student_registration(faker=faker, student=record)


def register(page: Page, registration: StudentRegistration) -> None:
    done = StudentRegistrationPage(page).open().register(registration)
    expect(done.notice).to_contain_text(registration.email)


def open_verification_mail(page: Page, address: str, nth: int = 0) -> MailMessage:
    """The ``nth`` newest 「會員信箱認證通知函」 of ``address``, opened in the mailbox."""
    message = MailboxInbox(page).open(address).open_mail(VERIFY_SUBJECT, nth)
    expect(message.subject).to_contain_text(VERIFY_SUBJECT)
    return message


def test_a_weak_password_is_refused(page, platform, steps, faker):
    registration = new_registration(platform, faker)
    form = StudentRegistrationPage(page).open()
    form.fill(registration)
    with steps.step("NEG.S.3.weak-password", "密碼少於8個字", target=form.message_for("登入密碼")):
        form.choose_password("study12")
        form.submit()
        expect(form.message_for("登入密碼")).to_have_text("登入密碼：長度只有7個字，最少需8個字")
        expect(form.errors.root).to_contain_text("登入密碼：長度只有7個字")
        expect(form.password_rule).to_be_visible()
        # What was typed stays, except the passwords.
        expect(form.surname).to_have_value(registration.surname)
        expect(form.email).to_have_value(registration.email)
        expect(form.password).to_have_value("")
    with pytest.raises(ControlApiError):
        platform.account_state(registration.username)
    assert platform.mail(registration.email) == []


def test_a_taken_account_is_refused(page, platform, steps, faker):
    registration = new_registration(platform, faker)
    platform.create_account(
        system="student", username=registration.username, email="first.owner@example.com"
    )
    form = StudentRegistrationPage(page).open()
    form.fill(registration)
    with steps.step(
        "NEG.S.3.taken-account", "登入帳號已被註冊", target=form.message_for("登入帳號")
    ):
        # Letter case does not make another account.
        form.username.fill(registration.username.upper())
        form.choose_password(registration.password)
        form.submit()
        expect(form.message_for("登入帳號")).to_have_text(
            "登入帳號：此帳號已被註冊，請改用其他帳號"
        )
        expect(form.username).to_have_value(registration.username.upper())
    assert platform.mail(registration.email) == []
    with pytest.raises(ControlApiError):
        platform.account_state(registration.username.upper())


def test_login_before_activation_is_refused(page, platform, steps, faker, captcha):
    registration = new_registration(platform, faker)
    register(page, registration)
    login = StudentLoginPage(page).open(platform.url)
    with steps.step("NEG.S.5.not-activated", "帳號尚未啟用", target=login.error):
        login.log_in(
            username=registration.username, password=registration.password, captcha=captcha()
        )
        expect(login.error).to_contain_text("帳號尚未完成Email認證")
        expect(login.heading).to_be_visible()
    assert platform.account_state(registration.username)["verified"] is False


def test_a_used_verification_link_is_refused(page, platform, steps, faker):
    registration = new_registration(platform, faker)
    register(page, registration)
    landing = VerificationPage(page)
    open_verification_mail(page, registration.email).follow_link()
    expect(landing.activated_heading).to_be_visible()
    with steps.step("NEG.S.5.link-used", "認證連結已使用過", target=landing.problem):
        open_verification_mail(page, registration.email).follow_link()
        expect(landing.dead_link_heading).to_have_text(DEAD_LINK)
        expect(landing.problem).to_contain_text("請直接登入")
        expect(landing.login_link).to_be_visible()
    assert platform.account_state(registration.username)["verified"] is True


def test_resending_kills_the_old_link_and_the_new_one_works(page, platform, steps, faker):
    registration = new_registration(platform, faker)
    register(page, registration)
    StudentLoginPage(page).open(platform.url).go_to_resend_verification()
    resend = ResendVerificationPage(page)
    resend.resend(username=registration.username, email=registration.email)
    expect(resend.notice).to_contain_text("新的認證信已寄至")
    inbox = MailboxInbox(page).open(registration.email)
    expect(inbox.rows.filter(has_text=VERIFY_SUBJECT)).to_have_count(2)

    landing = VerificationPage(page)
    with steps.step("NEG.S.5.link-replaced", "舊的認證連結已失效", target=landing.problem):
        open_verification_mail(page, registration.email, nth=1).follow_link()  # the older
        expect(landing.dead_link_heading).to_be_visible()
        expect(landing.resend_link).to_be_visible()
    assert platform.account_state(registration.username)["verified"] is False
    with steps.step("NEG.S.5.new-link", "新的認證連結啟用帳號", target=landing.notice):
        open_verification_mail(page, registration.email, nth=0).follow_link()
        expect(landing.activated_heading).to_be_visible()
        expect(landing.notice).to_contain_text(registration.username)
    assert platform.account_state(registration.username)["verified"] is True
