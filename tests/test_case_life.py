"""The case life cycle and the officer's actions, through the control API in-process."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mock_platform.rules import case_status
from tests.mock_client import make_client


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        body = {"username": "ann", "password": "Secret123", "email": "ann@example.com"}
        assert test_client.post("/__mock__/accounts", json=body).status_code == 201
        yield test_client


def new_case(client: TestClient, **fields: object) -> str:
    response = client.post("/__mock__/cases", json={"username": "ann", **fields})
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


def review(client: TestClient, number: str, action: str, **fields: object):
    return client.post(f"/__mock__/cases/{number}/review", json={"action": action, **fields})


def history(client: TestClient, number: str) -> list[str]:
    [case] = [c for c in client.get("/__mock__/cases").json()["cases"] if c["number"] == number]
    return [event["status"] for event in case["history"]]


def test_every_move_is_dated_kept_and_mailed(client):
    number = new_case(client, system="other_reason", kind="other_reason_permit",
                      title="其他事由居留證申請", status="已送件", fee=1000)  # fmt: skip
    assert (
        review(client, number, "supplement", comments={"基本資料": "請補正英文姓名"}).status_code
        == 200
    )
    assert history(client, number) == ["已送件", "審核中", "初審資料補正"]
    mails = client.get("/__mock__/mail", params={"to": "ann@example.com"}).json()["messages"]
    assert [m["subject"].rsplit("：", 1)[1] for m in mails] == ["已送件", "審核中", "初審資料補正"]
    assert "請補正英文姓名" in mails[-1]["text"]


def test_a_decision_waits_for_the_supplement(client):
    number = new_case(client, status="已送件", fee=1000)
    review(client, number, "supplement", comments={"文件上傳": "護照影本不清楚"})
    refused = review(client, number, "approve")
    assert refused.status_code == 409
    assert "「初審資料補正」，無法變更為「審核通過」" in refused.json()["detail"]
    assert history(client, number)[-1] == "初審資料補正"


def test_an_unpaid_gold_card_case_is_not_reviewed(client):
    number = new_case(client)  # 待繳費: Gold Card cases are paid first
    assert review(client, number, "approve").status_code == 409
    assert review(client, number, "card_ready").json()["detail"] == "尚未繳費的案件不能製證"


def test_approval_of_an_unpaid_case_asks_for_payment(client):
    number = new_case(client, system="other_reason", status="已送件", fee=1000)
    assert review(client, number, "approve").json()["status"] == case_status.AWAITING_PAYMENT
    assert history(client, number) == ["已送件", "審核中", "審核通過", "待繳費"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"action": "supplement", "comments": {}}, "請至少就一個頁籤填寫補正事項"),
        ({"action": "supplement", "comments": {"照片": "x"}}, "沒有「照片」這個頁籤"),
        ({"action": "reject", "reason": "  "}, "不予核准理由：請填寫不予核准的理由"),
    ],
)
def test_bad_officer_input_is_named(client, fields, message):
    number = new_case(client, status="已送件", fee=1000)
    response = client.post(f"/__mock__/cases/{number}/review", json=fields)
    assert response.status_code == 409 and message in response.json()["detail"]
    assert history(client, number) == ["已送件"]  # nothing half-done


def test_a_rejection_keeps_its_reason(client):
    number = new_case(client, status="已送件", fee=1000)
    body = review(client, number, "reject", reason="資格條件不符").json()
    assert body["status"] == "不予核准" and body["review"]["rejection"] == "資格條件不符"


def test_the_moves_table_is_closed():
    for status, targets in case_status.MOVES.items():
        assert targets <= set(case_status.MOVES), status
    with pytest.raises(case_status.TransitionRefused):
        case_status.check_move(case_status.CARD_READY, case_status.IN_REVIEW)
