"""Login, captcha, lock-out, the 30-minute session and the control API, over HTTP in-process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from tests.mock_client import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    HOME_PATH,
    LOGIN_PAGE,
    LOGIN_PATH,
    captcha_answer,
    countdown,
    login,
    make_client,
    post_login,
)

TIMEOUT_NOTICE = "登入時間已超過 30 分鐘"


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        yield test_client


def advance(client: TestClient, seconds: int) -> None:
    response = client.post("/__mock__/clock", json={"advance_seconds": seconds})
    assert response.status_code == 200, response.text


def account(client: TestClient, username: str = DEMO_USERNAME) -> dict:
    response = client.get(f"/__mock__/accounts/{username}")
    assert response.status_code == 200, response.text
    return response.json()


# --- logging in ---------------------------------------------------------------------------


def test_correct_login_lands_on_the_home_page_with_a_countdown(client):
    response = post_login(client)
    assert response.status_code == 303
    assert response.headers["location"] == HOME_PATH

    home = client.get(response.headers["location"])
    assert home.status_code == 200
    assert str(home.url).endswith(HOME_PATH)
    assert "登出倒數" in home.text
    assert "G. GREENING" in home.text  # the demo account's display name
    assert 1790 <= countdown(home.text) <= 1800


def test_login_following_redirects_ends_on_home(client):
    response = post_login(client, follow_redirects=True)
    assert response.status_code == 200
    assert response.url.path == HOME_PATH
    assert "登出倒數" in response.text


def test_login_gives_a_new_session_cookie(client):
    client.get(LOGIN_PAGE)
    before = client.cookies.get("coa_sid")
    assert before
    answer = captcha_answer(client)
    response = client.post(
        LOGIN_PATH,
        data={"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "captcha": answer},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.cookies.get("coa_sid") not in (None, before)


def test_home_needs_a_login(client):
    response = client.get(HOME_PATH, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(LOGIN_PATH)
    page = client.get(response.headers["location"])
    assert "請先登入後再使用此功能" in page.text


def test_captcha_answer_never_appears_in_the_login_page(client):
    for _ in range(5):
        page = client.get(LOGIN_PAGE)
        assert page.status_code == 200
        answer = captcha_answer(client)
        assert len(answer) == 5
        assert answer not in page.text
        # The picture is served separately, as an image.
        picture = client.get("/coa-frontend/four-in-one/captcha.png")
        assert picture.headers["content-type"] == "image/png"
        assert picture.content.startswith(b"\x89PNG")
    # Nor in the page shown after a refused login.
    refused = post_login(client, password="Wrong9999")
    assert refused.status_code == 422
    assert captcha_answer(client) not in refused.text


def test_each_login_page_shows_a_new_captcha(client):
    answers = set()
    for _ in range(4):
        client.get(LOGIN_PAGE)
        answers.add(captcha_answer(client))
    assert len(answers) > 1


def test_captcha_is_case_insensitive(client):
    client.get(LOGIN_PAGE)
    answer = captcha_answer(client)
    response = client.post(
        LOGIN_PATH,
        data={
            "username": DEMO_USERNAME,
            "password": DEMO_PASSWORD,
            "captcha": f" {answer.lower()} ",
            "system": "other-reason",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_wrong_captcha_is_refused_and_does_not_count_as_a_wrong_password(client):
    client.get(LOGIN_PAGE)
    answer = captcha_answer(client)
    wrong = "22222" if answer != "22222" else "33333"
    response = post_login(client, captcha=wrong)
    assert response.status_code == 422
    assert "驗證碼" in response.text
    assert "輸入錯誤" in response.text
    state = account(client)
    assert state["wrong_passwords"] == 0
    assert state["locked"] is False


def test_wrong_captcha_with_a_wrong_password_does_not_count_either(client):
    response = post_login(client, password="Wrong9999", captcha="ZZZZZ?")
    assert response.status_code == 422
    assert "驗證碼" in response.text
    assert account(client)["wrong_passwords"] == 0


def test_a_refused_login_shows_a_new_captcha(client):
    client.get(LOGIN_PAGE)
    first = captcha_answer(client)
    response = client.post(
        LOGIN_PATH,
        data={"username": DEMO_USERNAME, "password": "Wrong9999", "captcha": first},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert "帳號或密碼錯誤" in response.text
    # The answer is spent (a clash is one chance in 32**5): reusing it fails on the captcha.
    assert captcha_answer(client) != first
    retry = client.post(
        LOGIN_PATH,
        data={"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "captcha": first},
        follow_redirects=False,
    )
    assert retry.status_code == 422
    assert "驗證碼" in retry.text


def test_next_captcha_changes_the_answer(client):
    client.get(LOGIN_PAGE)
    previous = captcha_answer(client)
    for _ in range(3):
        response = client.post("/coa-frontend/four-in-one/captcha/next")
        assert response.status_code == 200
        assert response.json() == {"ok": True}
        current = captcha_answer(client)
        assert current != previous  # a clash is one chance in 32**5
        previous = current


def test_old_captcha_answer_stops_working_after_next(client):
    client.get(LOGIN_PAGE)
    old = captcha_answer(client)
    client.post("/coa-frontend/four-in-one/captcha/next")
    assert captcha_answer(client) != old
    response = client.post(
        LOGIN_PATH,
        data={"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "captcha": old},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert "驗證碼" in response.text
    assert account(client)["wrong_passwords"] == 0


def test_missing_fields_are_named(client):
    client.get(LOGIN_PAGE)
    assert "帳號：請輸入帳號" in client.post(LOGIN_PATH, data={"password": "x"}).text
    assert "密碼：請輸入密碼" in client.post(LOGIN_PATH, data={"username": "demo"}).text
    response = client.post(LOGIN_PATH, data={"username": "demo", "password": "x"})
    assert response.status_code == 422
    assert "驗證碼：請輸入圖片中的驗證碼" in response.text


def test_unknown_account_gets_the_same_message_as_a_wrong_password(client):
    response = post_login(client, username="nobody", password="Whatever1")
    assert response.status_code == 422
    assert "帳號或密碼錯誤" in response.text


# --- lock-out -----------------------------------------------------------------------------


def test_four_wrong_passwords_count_down_and_the_fifth_locks(client):
    for attempt in range(1, 5):
        response = post_login(client, password=f"Wrong{attempt}")
        assert response.status_code == 422
        assert f"您還可以再嘗試 {5 - attempt} 次" in response.text
        state = account(client)
        assert state["wrong_passwords"] == attempt
        assert state["locked"] is False

    fifth = post_login(client, password="Wrong5")
    assert fifth.status_code == 422
    assert "已被鎖定" in fifth.text
    assert account(client)["locked"] is True

    right = post_login(client)
    assert right.status_code == 422
    assert "已被鎖定" in right.text
    assert client.get(HOME_PATH, follow_redirects=False).status_code == 303


def test_a_right_password_resets_the_wrong_password_counter(client):
    for attempt in range(3):
        assert post_login(client, password=f"Wrong{attempt}").status_code == 422
    assert account(client)["wrong_passwords"] == 3
    login(client)
    assert account(client)["wrong_passwords"] == 0


def test_lock_is_per_account(client):
    created = client.post("/__mock__/accounts", json={"username": "other", "password": "Other123"})
    assert created.status_code == 201
    for attempt in range(5):
        post_login(client, password=f"Wrong{attempt}")
    assert account(client)["locked"] is True
    assert account(client, "other")["locked"] is False
    response = post_login(client, username="other", password="Other123")
    assert response.status_code == 303


# --- the 30-minute session ----------------------------------------------------------------


def test_session_survives_29_minutes(client):
    login(client)
    advance(client, 29 * 60)
    home = client.get(HOME_PATH, follow_redirects=False)
    assert home.status_code == 200
    assert "登出倒數" in home.text
    assert 0 < countdown(home.text) <= 60


def test_session_ends_after_30_minutes_with_a_notice(client):
    login(client)
    advance(client, 30 * 60 + 1)
    response = client.get(HOME_PATH, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(LOGIN_PATH)
    assert "system=other-reason" in response.headers["location"]

    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert TIMEOUT_NOTICE in page.text
    # The notice is shown once; the session stays logged out.
    assert TIMEOUT_NOTICE not in client.get(LOGIN_PAGE).text
    assert client.get(HOME_PATH, follow_redirects=False).status_code == 303


def test_session_ends_after_30_minutes_through_app_state_clock(client):
    login(client)
    client.app.state.clock.advance(timedelta(minutes=30, seconds=5))
    response = client.get(HOME_PATH, follow_redirects=True)
    assert response.url.path == LOGIN_PATH
    assert TIMEOUT_NOTICE in response.text


def test_countdown_decreases_as_the_clock_moves(client):
    login(client)
    first = countdown(client.get(HOME_PATH).text)
    advance(client, 60)
    second = countdown(client.get(HOME_PATH).text)
    advance(client, 10 * 60)
    third = countdown(client.get(HOME_PATH).text)
    assert first - second >= 60
    assert first - second < 70
    assert second - third >= 600
    assert second - third < 610


def test_session_expiry_works_with_a_frozen_clock(client):
    client.post("/__mock__/clock", json={"set": "2026-03-02T02:00:00Z", "frozen": True})
    login(client)
    assert countdown(client.get(HOME_PATH).text) == 1800
    advance(client, 30 * 60 - 1)
    assert countdown(client.get(HOME_PATH).text) == 1
    advance(client, 1)
    assert client.get(HOME_PATH, follow_redirects=False).status_code == 303


def test_page_views_do_not_extend_the_session(client):
    login(client)
    for _ in range(3):
        advance(client, 10 * 60)
        client.get(HOME_PATH)
    # 30 minutes after login, whatever happened in between.
    assert client.get(HOME_PATH, follow_redirects=False).status_code == 303


def test_logout_ends_the_session(client):
    login(client)
    response = client.get("/coa-frontend/four-in-one/logout?system=other-reason")
    assert response.status_code == 200
    assert "您已登出" in response.text
    assert client.get(HOME_PATH, follow_redirects=False).status_code == 303


def test_freezing_the_clock_at_the_same_instant_keeps_the_session(client):
    login(client)
    same_instant = datetime.now(UTC).astimezone(ZoneInfo("Asia/Taipei"))
    moved = client.post("/__mock__/clock", json={"set": same_instant.isoformat(), "frozen": True})
    assert moved.status_code == 200
    assert client.get(HOME_PATH, follow_redirects=False).status_code == 200


# --- control API and error pages ----------------------------------------------------------

CONTROL_CALLS = [
    ("GET", "/__mock__/health", None),
    ("POST", "/__mock__/reset", None),
    ("GET", "/__mock__/captcha", None),
    ("POST", "/__mock__/accounts", {"username": "x"}),
    ("GET", "/__mock__/accounts/demo", None),
    (
        "POST",
        "/__mock__/cardholders",
        {
            "uino": "A800000014",
            "birth_date": "1990-01-01",
            "card_expiry": "2030-01-01",
            "english_name": "X",
        },
    ),
    ("GET", "/__mock__/clock", None),
    ("POST", "/__mock__/clock", {"advance_seconds": 3600}),
    ("GET", "/__mock__/cases", None),
    ("GET", "/__mock__/mail", None),
]


def test_control_api_answers_when_enabled(client):
    for method, path, body in CONTROL_CALLS:
        response = client.request(method, path, json=body)
        assert response.status_code in (200, 201), (method, path, response.text)


def test_control_api_is_absent_when_disabled(tmp_path):
    with make_client(tmp_path, control_api=False) as closed:
        before = closed.app.state.clock.now()
        for method, path, body in CONTROL_CALLS:
            response = closed.request(method, path, json=body)
            assert response.status_code == 404, (method, path, response.text)
        # Nothing was done behind the 404s: the clock did not move, the platform still works.
        assert (closed.app.state.clock.now() - before).total_seconds() < 60
        assert closed.get(LOGIN_PAGE).status_code == 200


def test_unknown_page_is_a_404_page_not_a_trace(client):
    response = client.get("/coa-frontend/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "找不到您要的頁面" in response.text
    assert "Traceback" not in response.text
    assert "<html" in response.text.lower()


def test_unknown_system_on_the_login_page_is_a_404_page(client):
    response = client.get(f"{LOGIN_PATH}?system=nonsense")
    assert response.status_code == 404
    assert "找不到您要的頁面" in response.text
