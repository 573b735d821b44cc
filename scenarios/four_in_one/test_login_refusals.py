"""P-login refusals: a wrong captcha, the lock after 5 wrong passwords, the 30-minute session."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pages.four_in_one.login import LoginPage
from pages.other_reason.home import OtherReasonHome
from scenarios.journeys import LOGIN_PATH, log_in_to_other_reason

pytestmark = pytest.mark.tutorial("NEG")


def test_wrong_captcha_is_refused(page, platform, steps, applicant_account, captcha):
    login = LoginPage(page)
    with steps.step("NEG.login.captcha", "驗證碼錯誤", target=login.error):
        page.goto(LOGIN_PATH)
        shown = captcha()
        wrong = "22222" if shown != "22222" else "33333"
        login.log_in(
            username=applicant_account["username"],
            password=applicant_account["password"],
            captcha=wrong,
        )
        expect(login.error).to_contain_text("驗證碼：輸入錯誤")
        expect(login.heading).to_be_visible()
        assert captcha() != shown, "a refused captcha must be replaced by a new one"
    assert platform.account_state(applicant_account["username"])["wrong_passwords"] == 0


def test_next_captcha_gives_a_new_one(page, platform, steps, captcha):
    login = LoginPage(page)
    with steps.step("NEG.login.next-captcha", "換下一組", target=login.next_captcha_button):
        page.goto(LOGIN_PATH)
        first = captcha()
        picture = login.captcha_image.screenshot()
        login.next_captcha()
        assert captcha() != first
        assert login.captcha_image.screenshot() != picture
        assert first not in page.content(), "the captcha answer must never be in the page"


def test_fifth_wrong_password_locks_the_account(page, platform, steps, applicant_account, captcha):
    login = LoginPage(page)
    page.goto(LOGIN_PATH)
    for attempt in range(1, 5):
        login.log_in(
            username=applicant_account["username"], password="Wrong-password1", captcha=captcha()
        )
        expect(login.error).to_contain_text(f"您還可以再嘗試 {5 - attempt} 次")
    with steps.step("NEG.login.lockout", "密碼錯誤 5 次鎖定帳號", target=login.error):
        login.log_in(
            username=applicant_account["username"], password="Wrong-password1", captcha=captcha()
        )
        expect(login.error).to_contain_text("已被鎖定")
    login.log_in(
        username=applicant_account["username"],
        password=applicant_account["password"],
        captcha=captcha(),
    )
    expect(login.error).to_contain_text("已被鎖定")
    assert platform.account_state(applicant_account["username"])["locked"] is True


def test_session_ends_after_thirty_minutes(page, platform, steps, applicant_account, captcha):
    home = log_in_to_other_reason(page, applicant_account, captcha)
    login = LoginPage(page)
    with steps.step("NEG.session.expiry", "登入逾時 30 分鐘", target=login.notice):
        platform.advance_clock(30 * 60)
        home.start_application()
        expect(login.heading).to_be_visible()
        expect(login.notice).to_contain_text("登入時間已超過 30 分鐘")
    OtherReasonHome(page).open()
    expect(login.heading).to_be_visible()
