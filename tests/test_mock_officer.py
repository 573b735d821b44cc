"""The officer console over HTTP in-process: its own login, who may open it, 「案件列表」
with its filters, 「案件審核」 with the application, files, history and the four actions."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient

from mock_platform.models import Case, Upload
from mock_platform.rules import gold_card
from tests.mock_client import BrowserClient, make_client, officer_login, post_login

OFFICER = {"username": "officer", "password": "Officer1234"}  # seeded by seed_demo_data
CASES = "/officer/cases"
START = datetime(2024, 7, 30, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
OTHER_REASON = {"system": "other_reason", "kind": "other_reason_permit",
                "title": "其他事由居留證申請", "status": "已送件", "fee": 1000}  # fmt: skip


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        body = {"username": "ann", "password": "Secret123", "email": "ann@example.com",
                "display_name": "ANN APPLICANT"}  # fmt: skip
        assert test_client.post("/__mock__/accounts", json=body).status_code == 201
        test_client.post("/__mock__/clock", json={"set": START.isoformat(), "frozen": True})
        yield test_client


@pytest.fixture
def officer(client):
    """The same app, in the officer's own browser, logged in."""
    browser = BrowserClient(client.app)
    response = officer_login(browser, **OFFICER)
    assert response.status_code == 303 and response.headers["location"] == CASES
    return browser


def new_case(client: TestClient, **fields: object) -> str:
    response = client.post("/__mock__/cases", json={"username": "ann", **fields})
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


def case_state(client: TestClient, number: str) -> dict:
    [case] = [c for c in client.get("/__mock__/cases").json()["cases"] if c["number"] == number]
    return case


def notices(html: str) -> list[str]:
    return [unescape(text) for text in re.findall(r'role="status">([^<]*)<', html)]


def alerts(html: str) -> list[str]:
    return [
        unescape(text) for text in re.findall(r'class="field-error" role="alert">([^<]*)<', html)
    ]


# ---------------------------------------------------------------- login and who gets in


def test_the_console_needs_an_officer_login(client):
    response = client.get(CASES, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/officer/login?notice=")
    page = client.get(response.headers["location"])
    assert "請先以審核人員帳號登入。" in page.text
    assert "驗證碼" in page.text  # the same captcha as applicants (issue 12)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"username": "", "password": "x"}, "帳號：請輸入帳號"),
        ({"username": "officer", "password": ""}, "密碼：請輸入密碼"),
        ({"username": "officer", "password": "Wrong1234"}, "帳號或密碼錯誤，您還可以再嘗試 4 次"),
        # An applicant's account is not an officer's, whatever its password.
        ({"username": "ann", "password": "Secret123"}, "帳號或密碼錯誤，請重新輸入"),
    ],
)
def test_a_refused_officer_login_names_the_problem(client, form, message):
    response = officer_login(client, **form)
    assert response.status_code == 422
    assert message in response.text
    assert client.get(CASES, follow_redirects=False).status_code == 303


def test_an_applicant_session_does_not_open_officer_pages(client):
    assert post_login(client, username="ann", password="Secret123").status_code == 303
    response = client.get(CASES, follow_redirects=False)
    assert response.status_code == 303
    assert "/officer/login" in response.headers["location"]
    assert "申請人帳號不能使用審核系統" in client.get(response.headers["location"]).text


def test_an_officer_session_does_not_open_applicant_pages(officer):
    response = officer.get("/coa-frontend/gold-card/home", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/coa-frontend/four-in-one/login")
    assert "審核人員帳號不能使用申辦系統" in officer.get(response.headers["location"]).text
    assert officer.get("/coa-frontend/other-reason/progress", follow_redirects=False).is_redirect


def test_an_officer_cannot_use_the_applicant_login(client):
    assert post_login(client, **OFFICER).status_code == 422


def test_an_officer_account_can_be_made_through_the_control_api(client):
    body = {"system": "officer", "username": "lin", "password": "Review1234", "display_name": "林"}
    assert client.post("/__mock__/accounts", json=body).status_code == 201
    response = officer_login(client, username="lin", password="Review1234")
    assert response.status_code == 303
    assert "案件列表" in client.get(response.headers["location"]).text


def test_an_officer_session_expires(client, officer):
    client.post("/__mock__/clock", json={"advance_seconds": 31 * 60})
    response = officer.get(CASES, follow_redirects=False)
    assert response.status_code == 303
    assert "登入時間已逾時" in officer.get(response.headers["location"]).text


def test_logout_ends_the_officer_session(officer):
    assert "您已登出。" in officer.get("/officer/logout").text
    assert officer.get(CASES, follow_redirects=False).status_code == 303


# ---------------------------------------------------------------- 案件列表


def test_the_case_list_shows_every_case_with_its_columns(client, officer):
    gold = new_case(client)  # 待繳費, NT$ 5,300
    other = new_case(client, **OTHER_REASON)
    page = officer.get(CASES).text
    for header in (
        "申請案號",
        "申請名稱",
        "申請人",
        "系統",
        "狀態",
        "送件日期",
        "應繳金額",
        "已繳費",
    ):
        assert f'<th scope="col">{header}</th>' in page
    assert gold in page and other in page
    assert "NT$ 5,300" in page and "NT$ 1,000" in page
    assert "2024/07/30" in page and "ANN APPLICANT" in page
    assert "共 2 件" in page


def test_the_case_list_filters_by_status_and_system(client, officer):
    gold = new_case(client)
    other = new_case(client, **OTHER_REASON)
    waiting = officer.get(CASES, params={"status": "待繳費"}).text
    assert gold in waiting and other not in waiting
    by_system = officer.get(CASES, params={"system": "other_reason"}).text
    assert other in by_system and gold not in by_system
    assert '<option value="other_reason" selected>' in by_system
    nothing = officer.get(CASES, params={"status": "已送件", "system": "gold_card"}).text
    assert "沒有符合條件的案件。" in nothing
    # A made-up value filters nothing rather than failing.
    unknown = officer.get(CASES, params={"status": "亂填", "system": "x"})
    assert unknown.status_code == 200 and gold in unknown.text and other in unknown.text


# ---------------------------------------------------------------- 案件審核


def test_a_gold_card_case_is_shown_tab_by_tab_with_labels(client, officer):
    answers = {"held": gold_card.HELD_EXPIRED, "has_uino": "是", "in_taiwan": gold_card.ABROAD,
               "roc_national": "否"}  # fmt: skip
    number = new_case(
        client,
        data={"answers": answers, "english_surname": "HUNT", "english_given_name": "JAMES",
              "passport_number": "TR7654321", "years": "3年", "expertise_field": "經濟領域",
              "uino": "A900012347", "filed_by": "employer", "note_x": "kept"},
    )  # fmt: skip
    page = officer.get(f"{CASES}/{number}").text
    for tab in ("申請人相關問題", "基本資料", "護照資料", "居留申請", "領域專長", "其他"):
        assert f">{tab}</h2>" in page
    assert '<th scope="row">英文姓氏</th><td>HUNT</td>' in page
    assert '<th scope="row">護照號碼</th><td>TR7654321</td>' in page
    assert '<th scope="row">申請年限</th><td>3年</td>' in page
    assert '<th scope="row">是否現在或曾經持有就業金卡</th>' in page
    assert '<th scope="row">提出申請人</th><td>雇主提出申請</td>' in page
    assert '<th scope="row">note_x</th><td>kept</td>' in page


def test_another_kind_of_case_is_shown_as_sorted_rows(client, officer):
    number = new_case(client, **OTHER_REASON, data={"zeta": "z", "alpha": "a", "addr": {"x": 1}})
    page = officer.get(f"{CASES}/{number}").text
    assert page.index(">addr<") < page.index(">alpha<") < page.index(">zeta<")
    assert unescape('{"x": 1}') in unescape(page)


def test_an_unknown_case_is_not_found(officer):
    assert officer.get(f"{CASES}/000000000000").status_code == 404
    assert officer.post(f"{CASES}/000000000000/approve").status_code == 404


def test_approval_comes_back_with_a_notice_and_a_dated_history(client, officer):
    number = new_case(client, **OTHER_REASON)
    response = officer.post(f"{CASES}/{number}/approve", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{CASES}/{number}"
    page = officer.get(response.headers["location"]).text
    assert notices(page) == [f"申請案號 {number} 已核准，案件狀態：待繳費。"]
    assert "<td>審核通過</td><td>2024/07/30 10:00</td><td>審核人員</td>" in page
    assert case_state(client, number)["status"] == "待繳費"
    assert notices(officer.get(f"{CASES}/{number}").text) == []  # shown once


def test_a_supplement_request_keeps_a_comment_per_tab(client, officer):
    number = new_case(client, **OTHER_REASON)
    form = {"comment-1": "請補正英文姓名", "comment-6": "護照影本不清楚", "comment-3": "  "}
    page = officer.post(f"{CASES}/{number}/supplement", data=form).text
    assert notices(page) == ["已通知申請人補正（基本資料、文件上傳），補正期限 2024/08/29。"]
    state = case_state(client, number)
    assert state["status"] == "初審資料補正"
    assert state["review"]["comments"] == {
        "基本資料": "請補正英文姓名",
        "文件上傳": "護照影本不清楚",
    }


def test_a_supplement_request_without_comments_is_refused_and_nothing_kept(client, officer):
    number = new_case(client, **OTHER_REASON)
    response = officer.post(f"{CASES}/{number}/supplement", data={"comment-2": " "})
    assert response.status_code == 422
    assert alerts(response.text) == ["審核意見：請至少就一個頁籤填寫補正事項"]
    assert [e["status"] for e in case_state(client, number)["history"]] == ["已送件"]


def test_a_rejection_needs_its_reason(client, officer):
    number = new_case(client, **OTHER_REASON)
    response = officer.post(f"{CASES}/{number}/reject", data={"reason": "   "})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert alerts(response.text) == ["不予核准理由：請填寫不予核准的理由"]
    assert case_state(client, number)["status"] == "已送件"
    page = officer.post(f"{CASES}/{number}/reject", data={"reason": "資格條件不符"}).text
    assert "<dt>不予核准理由</dt><dd>資格條件不符</dd>" in page
    assert case_state(client, number)["review"]["rejection"] == "資格條件不符"


def test_a_refused_move_is_shown_and_half_of_it_is_not_kept(client, officer):
    number = new_case(client)  # a Gold Card case waiting for payment cannot be decided yet
    response = officer.post(f"{CASES}/{number}/reject", data={"reason": "資料不實"})
    assert response.status_code == 422
    assert alerts(response.text) == ["案件狀態為「待繳費」，無法變更為「不予核准」。"]
    assert "資料不實</textarea>" in response.text  # what was typed stays
    state = case_state(client, number)
    assert state["status"] == "待繳費" and "rejection" not in state["review"]
    refused = officer.post(f"{CASES}/{number}/card-ready")
    assert refused.status_code == 422 and alerts(refused.text) == ["尚未繳費的案件不能製證"]


def test_the_card_is_made_after_a_free_case_is_approved(client, officer):
    number = new_case(client, **{**OTHER_REASON, "fee": 0})
    officer.post(f"{CASES}/{number}/approve")
    page = officer.post(f"{CASES}/{number}/card-ready").text
    assert notices(page) == [f"申請案號 {number} 已製證完成。"]
    assert case_state(client, number)["status"] == "製證完成"


def _attach(client: TestClient, tmp_path, number: str | None) -> str:
    """A file on disk and its Upload row, bound to case ``number`` (or to no case)."""
    stored = tmp_path / f"passport-{number}.pdf"
    stored.write_bytes(b"%PDF-1.4 passport scan")
    with client.app.state.sessions() as db:
        case = db.query(Case).filter_by(number=number).first() if number else None
        row = Upload(id=f"up-{number}", session_id="s", field="passport", filename="passport.pdf",
                     content_kind="PDF", size=22, stored_path=str(stored), created_at=START,
                     case_id=case.id if case else None)  # fmt: skip
        db.add(row)
        db.commit()
        return row.id


def test_uploaded_files_open_for_officers_only(client, officer, tmp_path):
    number = new_case(client, **OTHER_REASON)
    token = _attach(client, tmp_path, number)
    page = officer.get(f"{CASES}/{number}").text
    assert f'<a href="/officer/files/{token}"' in page and "<td>護照</td>" in page
    opened = officer.get(f"/officer/files/{token}")
    assert opened.status_code == 200 and opened.content.startswith(b"%PDF")
    assert opened.headers["content-type"] == "application/pdf"
    assert opened.headers["content-disposition"].startswith("inline")
    assert client.get(f"/officer/files/{token}", follow_redirects=False).status_code == 303
    staged = _attach(client, tmp_path, None)  # not yet part of a case
    assert officer.get(f"/officer/files/{staged}").status_code == 404
    assert officer.get("/officer/files/nothing").status_code == 404


def test_the_officer_login_asks_for_the_captcha(client):
    refused = officer_login(client, **OFFICER, captcha="WRONG")
    assert refused.status_code == 422
    assert "驗證碼：輸入錯誤" in unescape(refused.text)
    assert client.get(CASES, follow_redirects=False).status_code == 303


def test_an_officer_account_locks_after_five_wrong_passwords(client):
    for attempt in range(1, 6):
        response = officer_login(client, username="officer", password=f"Wrong{attempt}")
        assert response.status_code == 422
    assert "已被鎖定" in unescape(response.text) and "請洽系統管理者解除鎖定" in unescape(
        response.text
    )
    right = officer_login(client, **OFFICER)
    assert right.status_code == 422 and "已被鎖定" in unescape(right.text)
    assert client.get(CASES, follow_redirects=False).status_code == 303
