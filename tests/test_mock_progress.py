"""「案件進度查詢」 and 「案件撤銷」 over HTTP in-process, for both systems."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tests.mock_client import make_client, post_login

GOLD = "/coa-frontend/gold-card/progress"
OTHER = "/coa-frontend/other-reason/progress"
START = datetime(2024, 7, 30, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
OTHER_REASON = {"system": "other_reason", "kind": "other_reason_permit",
                "title": "其他事由居留證申請", "status": "已送件", "fee": 1000}  # fmt: skip


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        for name in ("ann", "bob"):
            body = {"username": name, "password": "Secret123", "email": f"{name}@example.com"}
            assert test_client.post("/__mock__/accounts", json=body).status_code == 201
        test_client.post("/__mock__/clock", json={"set": START.isoformat(), "frozen": True})
        assert post_login(test_client, username="ann", password="Secret123").status_code == 303
        yield test_client


def new_case(client: TestClient, username: str = "ann", **fields: object) -> str:
    response = client.post("/__mock__/cases", json={"username": username, **fields})
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


def review(client: TestClient, number: str, action: str, **fields: object) -> None:
    response = client.post(f"/__mock__/cases/{number}/review", json={"action": action, **fields})
    assert response.status_code == 200, response.text


def status_of(client: TestClient, number: str) -> str:
    return next(c["status"] for c in client.get("/__mock__/cases").json()["cases"]
                if c["number"] == number)  # fmt: skip


def history_rows(html: str, number: str) -> list[tuple[str, str, str]]:
    """The (狀態, 時間, 說明) rows of one case's history table."""
    table = html.split(f'aria-label="申請案號 {number} 辦理歷程"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table)
    return [tuple(unescape(cell) for cell in row) for row in cells]


def message(html: str) -> str:
    found = re.search(r'role="(?:status|alert)">([^<]*)<', html)
    return unescape(found.group(1)) if found else ""


def test_progress_needs_a_login(tmp_path):
    with make_client(tmp_path) as anonymous:
        response = anonymous.get(GOLD, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/coa-frontend/four-in-one/login")
        assert anonymous.get("/coa-frontend/nowhere/progress").status_code in (303, 404)


def test_each_system_lists_only_the_accounts_own_cases_of_that_system(client):
    gold = new_case(client)
    other = new_case(client, **OTHER_REASON)
    theirs = new_case(client, "bob")
    gold_page = client.get(GOLD).text
    assert gold in gold_page and other not in gold_page and theirs not in gold_page
    other_page = client.get(OTHER).text
    assert other in other_page and gold not in other_page
    for header in ("申請案號", "申請名稱", "狀態", "送件日期"):
        assert f'<th scope="col">{header}</th>' in gold_page


def test_the_history_is_dated_in_taipei_and_says_what_each_step_means(client):
    number = new_case(client, **OTHER_REASON)
    client.post("/__mock__/clock", json={"advance_seconds": 20 * 60})  # within the login's 30
    review(client, number, "approve")
    rows = history_rows(client.get(OTHER).text, number)
    assert rows == [
        ("已送件", "2024/07/30 10:00", "您的申請案已送件，本署將進行審核。"),
        ("審核中", "2024/07/30 10:20", "您的申請案已進入審核階段。"),
        ("審核通過", "2024/07/30 10:20", "您的申請案已審核通過。"),
        ("待繳費", "2024/07/30 10:20", "您的申請案待繳費，請登入平臺至「線上繳費」完成繳費。"),
    ]
    assert "前往線上繳費" in client.get(OTHER).text


def test_a_rejection_shows_its_reason(client):
    number = new_case(client, **OTHER_REASON)
    review(client, number, "reject", reason="在臺停留事由不符規定")
    page = client.get(OTHER).text
    assert history_rows(page, number)[-1][::2] == ("不予核准", "在臺停留事由不符規定")
    assert "不予核准理由：在臺停留事由不符規定" in page
    assert f"?withdraw={number}" not in page  # decided: no 「案件撤銷」


def test_a_supplement_request_shows_its_deadline_and_the_way_to_it(client):
    number = new_case(client, status="已送件")
    review(client, number, "supplement", comments={"護照資料": "護照效期不足"})
    page = client.get(GOLD).text
    assert "初審資料補正" in page and "補正期限：2024/08/29" in page
    assert 'href="/coa-frontend/gold-card/supplements">前往補正' in page
    assert history_rows(page, number)[-1][2] == "護照資料：護照效期不足"


def test_withdrawal_asks_first_then_withdraws(client):
    number = new_case(client)  # 待繳費
    listed = client.get(GOLD).text
    assert f'href="{GOLD}?withdraw={number}">案件撤銷</a>' in listed
    assert 'role="alertdialog"' not in listed
    asking = client.get(GOLD, params={"withdraw": number}).text
    assert 'role="alertdialog"' in asking and "確定撤銷" in asking and ">取消</a>" in asking
    assert f"確定要撤銷申請案號 {number}「就業金卡重新申請」嗎？" in asking
    assert status_of(client, number) == "待繳費"  # asking changes nothing

    response = client.post(f"{GOLD}/{number}/withdraw", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == GOLD
    page = client.get(GOLD).text
    assert message(page) == f"申請案號 {number} 已撤銷。"
    assert history_rows(page, number)[-1][0] == "已撤銷"
    assert status_of(client, number) == "已撤銷"
    assert number not in client.get("/coa-frontend/gold-card/payment").text
    mails = client.get("/__mock__/mail", params={"to": "ann@example.com"}).json()["messages"]
    assert mails[-1]["subject"].endswith("案件狀態：已撤銷")


def test_a_second_press_finds_the_case_withdrawn(client):
    number = new_case(client, **OTHER_REASON)
    client.post(f"{OTHER}/{number}/withdraw")
    page = client.post(f"{OTHER}/{number}/withdraw").text
    assert message(page) == f"申請案號 {number} 已撤銷。"
    events = next(c for c in client.get("/__mock__/cases").json()["cases"] if c["number"] == number)
    assert [e["status"] for e in events["history"]] == ["已送件", "已撤銷"]


def test_a_decided_case_cannot_be_withdrawn(client):
    number = new_case(client, **OTHER_REASON)
    review(client, number, "reject", reason="資格不符")
    asking = client.get(OTHER, params={"withdraw": number}).text
    assert 'role="alertdialog"' not in asking
    assert message(asking) == f"申請案號 {number} 的狀態為「不予核准」，不能撤銷。"
    page = client.post(f"{OTHER}/{number}/withdraw").text
    assert message(page) == f"申請案號 {number}：案件狀態為「不予核准」，無法變更為「已撤銷」。"
    assert status_of(client, number) == "不予核准"


def test_another_accounts_case_is_not_found(client):
    theirs = new_case(client, "bob")
    assert client.get(GOLD, params={"withdraw": theirs}).status_code == 404
    assert client.post(f"{GOLD}/{theirs}/withdraw").status_code == 404
    assert status_of(client, theirs) == "待繳費"


def test_a_case_of_the_other_system_is_not_withdrawn_from_here(client):
    other = new_case(client, **OTHER_REASON)
    assert client.post(f"{GOLD}/{other}/withdraw").status_code == 404
    assert status_of(client, other) == "已送件"
