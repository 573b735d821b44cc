"""「線上繳費」 and 「收據下載」 in-process: list, 明細, methods, the mock gateway's outcomes,
the store slip, no double charge, the PDF receipt, and other accounts kept out."""

from __future__ import annotations

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pypdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mock_platform.clock import TAIPEI
from mock_platform.models import Payment
from mock_platform.rules import payment as rules
from mock_platform.services import payments, receipt_pdf
from tests.mock_client import BrowserClient, captcha_answer, make_client

LOGIN = "/coa-frontend/four-in-one/login"
LIST = "/coa-frontend/gold-card/payment"
DETAIL = f"{LIST}/detail"
METHODS = f"{LIST}/methods"
RECEIPTS = "/coa-frontend/gold-card/downloads/receipts"
GOOD_CARD = {"card_number": "4111 1111 1111 1111", "expiry": "12/39", "cvc": "123"}
DECLINED_CARD = {**GOOD_CARD, "card_number": "4000 0000 0000 0002"}
CARD_METHODS = [m.key for m in rules.METHODS if m.kind == rules.CARD]
TRANSFER_METHODS = [m.key for m in rules.METHODS if m.kind == rules.TRANSFER]
ACCOUNTS = {"ann": "Secret123", "bob": "Secret456"}


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        for username, password in ACCOUNTS.items():
            body = {"username": username, "password": password, "email": f"{username}@example.com"}
            assert test_client.post("/__mock__/accounts", json=body).status_code == 201
        log_in(test_client, "ann")
        yield test_client


def log_in(client: TestClient, username: str, system: str = "gold-card") -> None:
    assert client.get(f"{LOGIN}?system={system}&role=self").status_code == 200
    response = client.post(
        LOGIN,
        data={
            "username": username,
            "password": ACCOUNTS[username],
            "captcha": captcha_answer(client),
            "system": system,
            "role": "self",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def new_case(client: TestClient, username: str = "ann", **fields: object) -> str:
    body = {"username": username, "fee": 5300, "data": {"english_name": "ANN LEE"}, **fields}
    response = client.post("/__mock__/cases", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


def case_state(client: TestClient, number: str) -> dict:
    return next(c for c in client.get("/__mock__/cases").json()["cases"] if c["number"] == number)


def history(client: TestClient, number: str) -> list[str]:
    return [event["status"] for event in case_state(client, number)["history"]]


def start(client: TestClient, numbers: list[str], method: str, slug: str = "gold-card") -> str:
    """List → 明細 → 確認繳費 → method → 開始繳費; returns where 「開始繳費」 leads."""
    root = f"/coa-frontend/{slug}/payment"
    chosen = client.post(root, data={"cases": numbers}, follow_redirects=False)
    assert chosen.headers["location"] == f"{root}/detail", chosen.text
    assert client.post(f"{root}/detail", follow_redirects=False).status_code == 303
    started = client.post(f"{root}/methods", data={"method": method}, follow_redirects=False)
    assert started.status_code == 303, started.text
    return started.headers["location"]


def pay_at_gateway(client: TestClient, gateway: str, form: dict[str, str] | None = None):
    return client.post(f"{gateway}/pay", data=form or {}, follow_redirects=False)


# ---------------------------------------------------------------- list, 全選, 明細, methods


def test_the_list_shows_only_the_accounts_cases_waiting_for_payment(client):
    waiting = new_case(client)
    submitted = new_case(client, status="已送件")
    other_reason = new_case(
        client, system="other_reason", kind="other_reason_permit", title="其他事由居留證申請",
        fee=1000,
    )  # fmt: skip
    bobs = new_case(client, username="bob", data={"english_name": "BOB KAY"})
    page = client.get(LIST).text
    assert waiting in page and "ANN LEE" in page and "就業金卡" in page and "NT$ 5,300" in page
    assert submitted not in page and other_reason not in page and bobs not in page
    headers = re.findall(r'<th scope="col">(.*?)</th>', page, re.S)
    assert [re.sub(r"<[^>]+>", "", h).strip() for h in headers] == [
        "全選", "項次", "申辦項目", "申請名稱", "核發證別", "申請案號", "應繳金額", "狀態",
    ]  # fmt: skip
    assert f'aria-label="選取申請案號 {waiting}"' in page
    # The same account, the other system: its own case, issued a 居留證.
    other_page = client.get("/coa-frontend/other-reason/payment").text
    assert other_reason in other_page and waiting not in other_page and "居留證" in other_page


def test_the_list_needs_a_login(tmp_path):
    with make_client(tmp_path) as anonymous:
        response = anonymous.get(LIST, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith(LOGIN)


def test_unknown_system_is_not_found(client):
    assert client.get("/coa-frontend/student/payment").status_code == 404


def test_nothing_ticked_says_what_to_do(client):
    number = new_case(client)
    response = client.post(LIST, data={})
    assert response.status_code == 422
    assert payments.NOTHING_TICKED in response.text
    assert number in response.text  # the list is still there to tick
    assert client.get(DETAIL, follow_redirects=False).headers["location"] == LIST


def test_select_all_takes_every_waiting_case(client):
    first, second = new_case(client), new_case(client, fee=500)
    response = client.post(LIST, data={"select_all": "yes"}, follow_redirects=False)
    assert response.headers["location"] == DETAIL
    page = client.get(DETAIL).text
    assert first in page and second in page and "NT 5,800" in page


def test_detail_shows_the_totals_the_cases_and_the_notes(client):
    first, second = new_case(client), new_case(client, fee=500)
    client.post(LIST, data={"cases": [first, second]})
    page = client.get(DETAIL).text
    assert '<h1 id="detail-title">線上繳費 - 明細</h1>' in page
    assert "<td data-fee-total>5,800</td>" in page
    assert "<td data-grand-total>NT 5,800</td>" in page
    assert rules.HANDLING_FEE_TEXT in page
    assert f"<td>1</td><td>{first}</td><td>1</td><td>NT 5,300</td>" in page
    assert f"<td>2</td><td>{second}</td><td>1</td><td>NT 500</td>" in page
    for note in rules.DETAIL_NOTES:
        assert note in page
    assert "確認繳費" in page


def test_methods_wait_for_the_confirmation_and_list_six_choices(client):
    number = new_case(client)
    client.post(LIST, data={"cases": [number]})
    assert client.get(METHODS, follow_redirects=False).headers["location"] == DETAIL
    client.post(DETAIL)
    page = client.get(METHODS).text
    labels = re.findall(r'<span class="pay-method-label">(.*?)</span>', page)
    assert labels == [
        "E政府繳費平台繳費", "國際信用卡網路繳費", "網路收單ATM繳費", "虛擬帳戶繳費",
        "四大超商繳費", "臺灣發行信用卡繳費",
    ]  # fmt: skip
    assert "網路ATM、現金繳費" in page and "手續費：8元" in page and rules.STORE_NOTE in page
    refused = client.post(METHODS, data={"method": ""})
    assert refused.status_code == 422 and "繳費方式：請選擇一種繳費方式" in refused.text
    assert client.post(METHODS, data={"method": "cheque"}).status_code == 422
    with client.app.state.sessions() as db:
        assert db.scalars(select(Payment)).all() == []  # nothing started


# ---------------------------------------------------------------- the gateway's outcomes


@pytest.mark.parametrize("method", CARD_METHODS)
def test_an_approved_card_pays_the_case(client, method):
    number = new_case(client)
    gateway = start(client, [number], method)
    assert gateway.startswith(f"/mock-gateway/{method}/")
    form = client.get(gateway).text
    assert "卡號" in form and "有效期限" in form and "安全碼" in form and "付款" in form
    assert "NT$ 5,300" in form
    done = pay_at_gateway(client, gateway, GOOD_CARD)
    assert done.headers["location"].startswith(f"{LIST}/results/")
    result = client.get(done.headers["location"]).text
    assert '<h1 id="result-title">繳費成功</h1>' in result and "**** **** **** 1111" in result
    state = case_state(client, number)
    assert state["status"] == "已繳費" and state["paid_at"]
    assert state["history"][-1]["actor"] == "payment"
    assert state["history"][-1]["note"] == rules.METHODS_BY_KEY[method].label
    mail = client.get("/__mock__/mail", params={"to": "ann@example.com"}).json()["messages"]
    assert mail[-1]["subject"].endswith("案件狀態：已繳費") and "不予退費" in mail[-1]["text"]
    assert number not in client.get(LIST).text


@pytest.mark.parametrize("method", CARD_METHODS)
def test_a_declined_card_leaves_the_case_waiting(client, method):
    number = new_case(client)
    gateway = start(client, [number], method)
    done = pay_at_gateway(client, gateway, DECLINED_CARD)
    result = client.get(done.headers["location"]).text
    assert '<h1 id="result-title">繳費失敗</h1>' in result
    assert rules.DECLINED_CARDS["4000000000000002"] in result
    assert case_state(client, number)["status"] == "待繳費"
    assert case_state(client, number)["paid_at"] is None
    assert number in client.get(LIST).text
    # The gateway will not take a second try on a closed payment; a new one is needed.
    assert (
        pay_at_gateway(client, gateway, GOOD_CARD).headers["location"] == done.headers["location"]
    )
    assert case_state(client, number)["status"] == "待繳費"


@pytest.mark.parametrize("method", CARD_METHODS + TRANSFER_METHODS)
def test_cancel_charges_nothing(client, method):
    number = new_case(client)
    gateway = start(client, [number], method)
    done = client.post(f"{gateway}/cancel", follow_redirects=False)
    result = client.get(done.headers["location"]).text
    assert '<h1 id="result-title">已取消繳費</h1>' in result
    assert case_state(client, number)["status"] == "待繳費"
    assert history(client, number) == ["待繳費"]


@pytest.mark.parametrize("method", TRANSFER_METHODS)
def test_a_simulated_transfer_pays_the_case(client, method):
    number = new_case(client)
    gateway = start(client, [number], method)
    page = client.get(gateway).text
    assert "模擬轉帳成功" in page and "取消" in page
    done = pay_at_gateway(client, gateway)
    assert "繳費成功" in client.get(done.headers["location"]).text
    assert case_state(client, number)["status"] == "已繳費"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({**GOOD_CARD, "card_number": ""}, "卡號：請填寫信用卡卡號"),
        ({**GOOD_CARD, "card_number": "4111 1111 1111 1112"}, "卡號：檢查碼不正確"),
        ({**GOOD_CARD, "card_number": "4111-abcd"}, "卡號：請填寫 13 至 19 位數字的卡號"),
        ({**GOOD_CARD, "expiry": "13/30"}, "有效期限：請依 MM/YY 格式填寫"),
        ({**GOOD_CARD, "expiry": "01/20"}, "有效期限：此卡已過期"),
        ({**GOOD_CARD, "cvc": "12"}, "安全碼：請填寫卡片背面的 3 位數安全碼"),
    ],
)
def test_a_bad_card_form_names_the_field_and_charges_nothing(client, form, message):
    number = new_case(client)
    gateway = start(client, [number], "intl-card")
    response = pay_at_gateway(client, gateway, form)
    assert response.status_code == 422 and message in response.text
    assert "資料有誤，請修正以下欄位" in response.text
    for secret in ("card_number", "cvc"):  # never echoed back into the page
        assert re.search(rf'id="{secret}"[^>]*value=""', response.text)
    assert case_state(client, number)["status"] == "待繳費"
    assert "付款" in client.get(gateway).text  # still pending: it can be corrected


def test_an_unknown_payment_is_not_found(client):
    assert client.get("/mock-gateway/intl-card/nope").status_code == 404
    number = new_case(client)
    gateway = start(client, [number], "intl-card")
    assert client.get(gateway.replace("intl-card", "tw-card")).status_code == 404


# ---------------------------------------------------------------- convenience store


def test_the_store_slip_keeps_the_case_waiting_until_the_store_confirms(client):
    number = new_case(client)
    slip_path = start(client, [number], "convenience-store")
    assert re.fullmatch(rf"{LIST}/slips/\w+", slip_path)
    slip = client.get(slip_path).text
    now = client.app.state.clock.now().astimezone(TAIPEI)
    deadline = (now + timedelta(days=3)).strftime("%Y/%m/%d")
    assert f"<dd data-deadline>{deadline} 23:59</dd>" in slip
    assert "NT$ 5,308" in slip and "NT$ 8" in slip and number in slip
    assert "列印繳費單" in slip and "data-print" in slip
    assert slip.count('role="img" aria-label="第') == 3  # the three barcodes
    assert case_state(client, number)["status"] == "待繳費"
    assert number in client.get(LIST).text

    store = re.search(r'href="(/mock-gateway/convenience-store/\w+)"', slip)
    assert store is not None
    assert "模擬超商完成繳費" in client.get(store.group(1)).text
    done = pay_at_gateway(client, store.group(1))
    assert "繳費成功" in client.get(done.headers["location"]).text
    assert case_state(client, number)["status"] == "已繳費"
    assert "繳費成功" in client.get(slip_path).text


def test_a_slip_past_its_deadline_is_refused_by_the_store(client):
    number = new_case(client)
    slip_path = start(client, [number], "convenience-store")
    store = re.search(r'href="(/mock-gateway/convenience-store/\w+)"', client.get(slip_path).text)
    assert store is not None
    client.post("/__mock__/clock", json={"advance_seconds": 4 * 24 * 3600})
    log_in(client, "ann")  # four days later the login has long timed out
    assert "已逾繳費期限" in client.get(slip_path).text
    done = pay_at_gateway(client, store.group(1))
    result = client.get(done.headers["location"]).text
    assert "繳費失敗" in result and "繳費單已逾繳費期限" in result
    assert case_state(client, number)["status"] == "待繳費"


# ---------------------------------------------------------------- never charged twice


def test_two_confirmations_of_one_payment_pay_once(client):
    number = new_case(client)
    gateway = start(client, [number], "intl-card")
    first = pay_at_gateway(client, gateway, GOOD_CARD)
    second = pay_at_gateway(client, gateway, GOOD_CARD)
    assert first.headers["location"] == second.headers["location"]
    assert history(client, number) == ["待繳費", "已繳費"]
    paid_mail = [
        m
        for m in client.get("/__mock__/mail", params={"to": "ann@example.com"}).json()["messages"]
        if m["subject"].endswith("已繳費")
    ]
    assert len(paid_mail) == 1


def test_a_stale_payment_of_a_paid_case_is_refused(client):
    number = new_case(client)
    slip_path = start(client, [number], "convenience-store")  # a slip printed first…
    gateway = start(client, [number], "tw-card")  # …then paid by card instead
    pay_at_gateway(client, gateway, GOOD_CARD)
    store = re.search(r'href="(/mock-gateway/convenience-store/\w+)"', client.get(slip_path).text)
    assert store is not None
    done = pay_at_gateway(client, store.group(1))
    result = client.get(done.headers["location"]).text
    assert "繳費失敗" in result and f"申請案號 {number} 已繳費，不會重複收費。" in result
    assert history(client, number) == ["待繳費", "已繳費"]


def test_a_paid_case_cannot_be_chosen_again(client):
    number = new_case(client)
    pay_at_gateway(client, start(client, [number], "intl-card"), GOOD_CARD)
    response = client.post(LIST, data={"cases": [number]})
    assert response.status_code == 409
    assert f"申請案號 {number} 已繳費，不會重複收費。" in response.text


def test_a_selection_paid_meanwhile_sends_the_flow_back_to_the_list(client):
    number = new_case(client)
    client.post(LIST, data={"cases": [number]})  # this browser stops at 明細…
    with BrowserClient(client.app) as other_browser:  # …while another pays the case
        log_in(other_browser, "ann")
        pay_at_gateway(other_browser, start(other_browser, [number], "web-atm"))
    back = client.get(DETAIL, follow_redirects=False)
    assert back.headers["location"] == LIST
    assert f"申請案號 {number} 已繳費，不會重複收費。" in client.get(LIST).text
    assert history(client, number) == ["待繳費", "已繳費"]


def test_racing_settlements_charge_once(client):
    """Two workers confirming the same pending payment at once: the case is paid once."""
    number = new_case(client)
    gateway = start(client, [number], "intl-card")
    token = gateway.rsplit("/", 1)[1]
    sessions = client.app.state.sessions
    now = client.app.state.clock.now()
    together = threading.Barrier(2)

    def confirm() -> str:
        together.wait()
        with sessions() as db:
            payment = payments.settle(db, payments.by_token(db, token), now=now)
            db.commit()
            return payment.status

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda _: confirm(), range(2)))

    assert outcomes == [rules.PAID, rules.PAID]
    assert history(client, number) == ["待繳費", "已繳費"]


# ---------------------------------------------------------------- receipts


def test_the_receipt_is_a_pdf_with_the_case_and_amount(client):
    number = new_case(client)
    unpaid = new_case(client)
    pay_at_gateway(client, start(client, [number], "intl-card"), GOOD_CARD)
    page = client.get(RECEIPTS).text
    assert '<h1 id="receipts-title">收據下載</h1>' in page
    assert number in page and unpaid not in page and "國際信用卡網路繳費" in page
    response = client.get(f"{RECEIPTS}/{number}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="receipt-{number}.pdf"'
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for expected in (
        "內政部移民署 規費收據", number, "ANN LEE", "就業金卡重新申請", "NT$5,300",
        "伍仟參佰元整", "國際信用卡網路繳費",
    ):  # fmt: skip
        assert expected in text, expected
    paid_day = client.app.state.clock.now().astimezone(TAIPEI).strftime("%Y/%m/%d")
    assert paid_day in text
    assert client.get(f"{RECEIPTS}/{unpaid}").status_code == 404


def test_amounts_in_words():
    assert receipt_pdf.amount_in_words(500) == "伍佰元整"
    assert receipt_pdf.amount_in_words(5300) == "伍仟參佰元整"
    assert receipt_pdf.amount_in_words(1008) == "壹仟零捌元整"
    assert receipt_pdf.amount_in_words(100500) == "壹拾萬零伍佰元整"
    assert receipt_pdf.amount_in_words(0) == "零元整"


# ---------------------------------------------------------------- other accounts


def test_another_account_cannot_pay_or_download_anothers_case(client):
    number = new_case(client)
    gateway = start(client, [number], "intl-card")
    result = pay_at_gateway(client, gateway, GOOD_CARD).headers["location"]
    waiting = new_case(client)
    with BrowserClient(client.app) as bob:
        log_in(bob, "bob")
        assert waiting not in bob.get(LIST).text
        assert bob.post(LIST, data={"cases": [waiting]}).status_code == 404
        assert bob.get(result).status_code == 404
        assert bob.get(f"{RECEIPTS}/{number}").status_code == 404
        assert number not in bob.get(RECEIPTS).text
    assert case_state(client, waiting)["status"] == "待繳費"


# ---------------------------------------------------------------- rules


def test_card_numbers_are_luhn_checked():
    assert rules.luhn_ok("4111111111111111") and rules.luhn_ok("4000000000000002")
    assert not rules.luhn_ok("4111111111111112")


def test_code39_encodes_as_the_standard_says():
    # Narrow = 1 module, wide = 2; the published patterns of '0', '1', 'A' and '*'.
    star, zero, one, a = "100101101101", "101001101101", "110100101011", "110101001011"
    assert rules.code39_modules("0") == "0".join((star, zero, star))
    assert rules.code39_modules("1a") == "0".join((star, one, a, star))
    bars, width = rules.code39_bars("0")
    assert width == 3 * 12 + 2 and bars[0] == (0, 1) and bars[1] == (3, 1)
    with pytest.raises(ValueError, match="cannot encode"):
        rules.code39_modules("價")
