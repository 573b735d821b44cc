"""Gold Card re-application (T8) over HTTP in-process: role logins, the question dialog,
the tabbed form, drafts and their 30 days, submit, the payment list."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from fixtures import sample_files
from fixtures.uino import create_uino
from mock_platform.models import Case, Draft, Upload
from mock_platform.rules import expertise, gold_card, ubn
from tests.mock_client import LOGIN_PATH, captcha_answer, make_client

APPLY = "/coa-frontend/gold-card/apply"
DRAFTS = f"{APPLY}/drafts"
JSON = {"Accept": "application/json"}
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
BIRTH = "1992/05/03"
COMPANY = "22099131"  # a 統一編號 whose check digit is right
FIELD = "經濟領域"
QUALIFICATION = expertise.QUALIFICATIONS[FIELD][0]


def _uino(seed: int) -> str:
    return create_uino(rng=random.Random(seed))


EXPIRED = _uino(1)
VALID = _uino(2)


def _holder(client: TestClient, number: str, *, card_expiry: str, **extra: str) -> None:
    response = client.post(
        "/__mock__/cardholders",
        json={"uino": number, "birth_date": BIRTH.replace("/", "-"), "card_expiry": card_expiry,
              "english_name": "HUNT, JAMES", "extra": extra},
    )  # fmt: skip
    assert response.status_code == 201, response.text


def _account(client: TestClient, username: str, role: str = "self", **more: str) -> None:
    body = {"username": username, "password": "Secret123", "role": role, **more}
    assert client.post("/__mock__/accounts", json=body).status_code == 201


def log_in(client: TestClient, username: str, *, role: str = "self", company_id: str = ""):
    client.get(f"{LOGIN_PATH}?system=gold-card&role={role}")
    return client.post(
        LOGIN_PATH,
        data={"username": username, "password": "Secret123", "captcha": captcha_answer(client),
              "system": "gold-card", "role": role, "company_id": company_id},
        follow_redirects=False,
    )  # fmt: skip


@pytest.fixture
def app_client(tmp_path):
    with make_client(tmp_path) as test_client:
        test_client.app.state.clock.set(START)
        _holder(test_client, EXPIRED, card_expiry="2025-12-31", expertise_field=FIELD,
                qualification=QUALIFICATION)  # fmt: skip
        _holder(test_client, VALID, card_expiry="2027-06-30")
        _account(test_client, "alice")
        yield test_client


@pytest.fixture
def client(app_client):
    assert log_in(app_client, "alice").status_code == 303
    return app_client


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("gold-card-files")
    return {
        "photo": sample_files.make_photo(folder / "photo.jpg"),
        "pdf": sample_files.make_passport_pdf(folder / "passport.pdf", applicant_name="HUNT"),
    }


ANSWERS = {
    "agree": "yes",
    "held": gold_card.HELD_EXPIRED,
    "has_uino": gold_card.YES,
    "uino": EXPIRED,
    "birth_date": BIRTH,
    "in_taiwan": gold_card.IN_TAIWAN,
    "entry_document": "visa_exempt",
    "roc_national": gold_card.NO,
}

FORM = {
    "english_surname": "hunt", "english_given_name": "JAMES", "gender": "男", "nationality": "日本",
    "occupation": "私校教職", "education": "專科", "marital_status": "離婚",
    "email": "james.hunt@example.com", "birth_country": "日本", "birth_city": "Tokyo",
    "home_address": "1-2-3 Chiyoda", "home_phone": "+81-3-1234-5678",
    "passport_kind": "普通護照", "passport_number": "TR1234567", "passport_issued": "2020/10/01",
    "passport_expiry": "2030/10/01", "passport_authority": "MINISTRY OF FOREIGN AFFAIRS",
    "entry_date": "2026/02/01", "years": "3年", "collect_office": "臺北市服務站",
    "mobile": "0911222333", "residence_city": "臺北市", "residence_district": "中正區",
    "residence_street": "忠孝東路一段", "residence_number": "10",
    "expertise_field": FIELD, "qualification": QUALIFICATION, "job_title": "總監",
}  # fmt: skip


def answer(client: TestClient, **changes: str):
    return client.post(f"{APPLY}/questions", data={**ANSWERS, **changes}, follow_redirects=False)


def start_form(client: TestClient, **changes: str) -> None:
    assert answer(client, **changes).status_code == 303
    assert (
        client.post(f"{APPLY}/consent", data={"agree": "yes"}, follow_redirects=False).status_code
        == 303
    )


def upload(client: TestClient, field: str, path: Path) -> str:
    with path.open("rb") as handle:
        response = client.post(
            f"{APPLY}/uploads", data={"field": field}, files={"file": (path.name, handle)},
            headers=JSON,
        )  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()["token"]


def documents(client: TestClient, files: dict[str, Path], *slots: str) -> dict[str, str]:
    names = slots or ("passport", "qualification_proof", "entry_proof")
    tokens = {"photo_token": upload(client, "photo", files["photo"])}
    tokens |= {f"{slot}_token": upload(client, slot, files["pdf"]) for slot in names}
    return tokens


def errors_of(html: str) -> list[str]:
    return re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', html)


def save_draft(client: TestClient, files: dict[str, Path], **changes: str) -> int:
    start_form(client)
    response = client.post(
        f"{APPLY}/save",
        data={**FORM, **documents(client, files), **changes},
        follow_redirects=False,
    )
    assert response.status_code == 303, errors_of(response.text)
    return int(re.search(r"/drafts/(\d+)/preview", response.headers["location"]).group(1))


# --- role logins --------------------------------------------------------------------------


def test_the_role_page_offers_three_logins(app_client):
    page = app_client.get("/coa-frontend/gold-card/role").text
    for role, label in (("self", "外國人自行申請"), ("employer", "雇主提出申請"),
                        ("agency", "委託代辦機構提出申請")):  # fmt: skip
        assert label in page and f"role={role}" in page


def test_employer_login_asks_for_the_company_number(app_client):
    employer = app_client.get(f"{LOGIN_PATH}?system=gold-card&role=employer").text
    agency = app_client.get(f"{LOGIN_PATH}?system=gold-card&role=agency").text
    assert 'for="company_id">統一編號' in employer and "統一編號" not in agency
    assert 'for="username">代辦機構帳號' in agency


def test_employer_logs_in_with_its_company_number(app_client):
    _account(app_client, "acme", role="employer", company_id=COMPANY)
    response = log_in(app_client, "acme", role="employer", company_id=COMPANY)
    assert response.status_code == 303
    assert response.headers["location"] == "/coa-frontend/gold-card/home"


def test_a_wrong_check_digit_is_named(app_client):
    _account(app_client, "acme", role="employer", company_id=COMPANY)
    bad = COMPANY[:7] + "2"
    assert not ubn.checksum_ok(bad)
    response = log_in(app_client, "acme", role="employer", company_id=bad)
    assert response.status_code == 422
    assert "統一編號：檢查碼不正確" in response.text


def test_another_company_number_is_refused(app_client):
    _account(app_client, "acme", role="employer", company_id=COMPANY)
    response = log_in(app_client, "acme", role="employer", company_id="04595257")
    assert response.status_code == 422
    assert "統一編號：與此雇主帳號登記的公司統一編號不符" in response.text


def test_an_account_logs_in_only_through_its_own_role(app_client):
    _account(app_client, "agent", role="agency")
    response = log_in(app_client, "agent", role="self")
    assert response.status_code == 422
    assert "請回上一頁選擇「委託代辦機構提出申請」" in response.text
    assert log_in(app_client, "agent", role="agency").status_code == 303


def test_the_control_api_refuses_an_employer_without_a_valid_number(app_client):
    body = {"username": "x", "role": "employer", "company_id": "12345678"}
    response = app_client.post("/__mock__/accounts", json=body)
    assert response.status_code == 422 and "統一編號" in response.json()["detail"]


# --- 新增申請人: the question dialog ------------------------------------------------------------


def test_the_holder_check_answers_at_once(client):
    def check(number: str, born: str = BIRTH) -> dict[str, object]:
        response = client.post(f"{APPLY}/eligibility", data={"uino": number, "birth_date": born})
        return response.json()

    assert check(EXPIRED)["eligible"] is True
    valid = check(VALID)
    assert valid["eligible"] is False and "延期申請" in str(valid["message"])
    never = check(_uino(3))
    assert never["field"] == "uino" and "新申請案" in str(never["message"])
    wrong_birth = check(EXPIRED, "1992/05/04")
    assert wrong_birth["field"] == "birth_date" and "不符" in str(wrong_birth["message"])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"held": gold_card.HELD_NEVER}, gold_card.NEVER_HELD),
        ({"held": gold_card.HELD_VALID}, gold_card.STILL_VALID),
        ({"has_uino": gold_card.NO}, gold_card.NO_UINO),
        ({"uino": VALID}, "尚未屆期"),
        ({"birth_date": "1992/05/04"}, "出生日期：與統一證號"),
        ({"entry_document": ""}, "您入境中華民國或目前所持證件：請選擇一項"),
        ({"roc_national": gold_card.YES, "household": gold_card.YES, "moved_out": gold_card.NO},
         "在臺設有戶籍者，不適用本申請"),
        ({"agree": ""}, "請先勾選「同意」"),
    ],
)  # fmt: skip
def test_answers_that_make_a_re_application_impossible_are_refused(client, changes, expected):
    response = answer(client, **changes)
    assert response.status_code == 422
    assert expected in response.text
    assert "gold_card" not in str(client.get("/__mock__/cases").json())


def test_the_form_waits_for_the_consent(client):
    assert answer(client).status_code == 303
    page = client.get(f"{APPLY}/new").text
    assert "系統使用聲明事項(就業金卡部分)" in page
    assert page.count("<li>", page.index("clauses")) >= 13
    refused = client.post(f"{APPLY}/consent", data={}, follow_redirects=False)
    assert refused.status_code == 422 and "請先勾選「同意上述條款，請打勾。」" in refused.text
    client.post(f"{APPLY}/consent", data={"agree": "yes"})
    assert "系統使用聲明事項" not in client.get(f"{APPLY}/new").text


def test_the_form_is_closed_without_answers(client):
    response = client.get(f"{APPLY}/new", follow_redirects=False)
    assert response.headers["location"] == DRAFTS


# --- the tabs and what the answers require ----------------------------------------------------


def test_every_missing_field_is_named_with_its_tab(client):
    start_form(client)
    response = client.post(f"{APPLY}/save", data={})
    assert response.status_code == 422
    messages = errors_of(response.text)
    for expected in ("「基本資料」英文姓氏：此欄位為必填", "「護照資料」護照號碼：此欄位為必填",
                     "「護照資料」最近一次入境日期(西元)：此欄位為必填", "「居留申請」領證地點：此欄位為必填",
                     "「居留申請」居留地址：請選擇縣市", "「領域專長」專長領域：此欄位為必填",
                     "「文件上傳」照片：此欄位為必填", "「文件上傳」入境證明(入境章戳頁或登機證)：此欄位為必填"):  # fmt: skip
        assert any(message.startswith(expected) for message in messages), expected
    assert client.get(DRAFTS).text.count("檢視") == 0  # nothing half-saved


def test_answers_decide_the_fields_and_documents(client):
    start_form(client, entry_document="visa_long", roc_national=gold_card.YES,
               household=gold_card.YES, moved_out=gold_card.YES)  # fmt: skip
    messages = " ".join(errors_of(client.post(f"{APPLY}/save", data={}).text))
    assert "停留簽證號碼" in messages and "「文件上傳」停留簽證：" in messages
    assert "無戶籍國民身分證明" in messages and "戶籍遷出證明" in messages
    assert "入境證明" not in messages


def test_applying_from_abroad_asks_for_an_overseas_address_instead(client):
    start_form(client, in_taiwan=gold_card.ABROAD)
    messages = " ".join(errors_of(client.post(f"{APPLY}/save", data={}).text))
    assert "國外聯絡地址" in messages and "預定入境日期" in messages
    assert "居留地址" not in messages and "最近一次入境日期" not in messages


def test_the_qualification_must_belong_to_the_field(client, files):
    start_form(client)
    other = expertise.QUALIFICATIONS["教育領域"][0]
    response = client.post(
        f"{APPLY}/save", data={**FORM, **documents(client, files), "qualification": other}
    )
    assert response.status_code == 422
    assert f"資格條件：「{other}」不屬於{FIELD}" in response.text


def test_the_same_qualification_brings_the_previous_proof(client, files):
    """註2: same field and qualification as the last card: no new proof needed."""
    start_form(client)
    tokens = documents(client, files, "passport", "entry_proof")
    response = client.post(f"{APPLY}/save", data={**FORM, **tokens}, follow_redirects=False)
    assert response.status_code == 303, errors_of(response.text)
    assert "自動帶入前次申請提供的文件" in client.get(response.headers["location"]).text


def test_a_passport_must_stay_valid_six_months(client, files):
    start_form(client)
    response = client.post(
        f"{APPLY}/save", data={**FORM, **documents(client, files), "passport_expiry": "2026/05/01"}
    )
    assert "「護照資料」護照效期(西元)：護照效期須在 6 個月以上" in response.text


# --- drafts, submit, payment ----------------------------------------------------------------------


def test_saving_makes_a_draft_with_every_value_on_the_preview(client, files):
    draft_id = save_draft(client, files)
    preview = client.get(f"{DRAFTS}/{draft_id}/preview?saved=1").text
    assert "儲存成功" in preview and "就業金卡申請 - 編輯" in preview
    for value in ("HUNT", "JAMES", "TR1234567", "2030/10/01", "臺北市中正區忠孝東路一段10號",
                  QUALIFICATION, "photo.jpg", "5,300"):  # fmt: skip
        assert value in preview, value
    listing = client.get(DRAFTS).text
    assert "JAMES HUNT" in listing and "編輯" in listing and "刪除" in listing


def test_submit_files_one_case_waiting_for_payment(client, files):
    draft_id = save_draft(client, files)
    with client.app.state.sessions() as db:  # closed, so it holds no lock
        token = db.get(Draft, draft_id).submit_token
    first = client.post(
        f"{DRAFTS}/{draft_id}/submit", data={"submit_token": token}, follow_redirects=False
    )
    again = client.post(
        f"{DRAFTS}/{draft_id}/submit", data={"submit_token": token}, follow_redirects=False
    )
    assert first.headers["location"] == again.headers["location"]
    number = first.headers["location"].rsplit("/", 1)[1]
    assert re.fullmatch(r"\d{3}51\d{7}", number)
    page = client.get(first.headers["location"]).text
    assert (
        f"申請案號：<strong data-case-number>{number}</strong>" in page and "前往線上繳費" in page
    )
    payment = client.get("/coa-frontend/gold-card/payment").text
    assert number in payment and "NT$ 5,300" in payment
    with client.app.state.sessions() as db:
        case = db.scalars(select(Case).where(Case.number == number)).one()
        assert (case.status, case.fee, case.data["uino"]) == ("待繳費", 5300, EXPIRED)
        assert {row.field for row in case.uploads} == {
            "photo",
            "passport",
            "qualification_proof",
            "entry_proof",
        }
        assert db.scalars(select(Draft)).all() == []
    assert "JAMES HUNT" not in client.get(DRAFTS).text


def test_editing_a_draft_keeps_its_files(client, files):
    draft_id = save_draft(client, files)
    form = client.get(f"{DRAFTS}/{draft_id}/edit").text
    assert "就業金卡申請 - 修改" in form and "已上傳：photo.jpg" in form
    tokens = dict(re.findall(r'name="(\w+_token)" value="([^"]+)"', form))
    response = client.post(
        f"{DRAFTS}/{draft_id}/save",
        data={**FORM, **tokens, "job_title": "顧問"},
        follow_redirects=False,
    )
    assert response.status_code == 303, errors_of(response.text)
    assert "顧問" in client.get(f"{DRAFTS}/{draft_id}").text


def test_delete_asks_first_then_removes_draft_and_files(client, files):
    draft_id = save_draft(client, files)
    asked = client.get(f"{DRAFTS}?delete={draft_id}").text
    assert "確定要刪除「JAMES HUNT」的暫存資料" in asked
    client.post(f"{DRAFTS}/{draft_id}/delete")
    with client.app.state.sessions() as db:
        assert db.get(Draft, draft_id) is None
        assert db.scalars(select(Upload).where(Upload.draft_id == draft_id)).all() == []


def test_drafts_are_kept_thirty_days_then_gone(client, files):
    draft_id = save_draft(client, files)
    clock = client.app.state.clock
    clock.set(datetime(2026, 3, 31, 15, 30, tzinfo=UTC))  # 2026/03/31 23:30 Taipei: day 30
    assert log_in(client, "alice").status_code == 303  # the old login ended long ago
    assert client.get(f"{DRAFTS}/{draft_id}", follow_redirects=False).status_code == 200
    clock.set(datetime(2026, 3, 31, 16, 0, tzinfo=UTC))  # 2026/04/01 00:00 Taipei: day 31
    gone = client.get(f"{DRAFTS}/{draft_id}", follow_redirects=False)
    assert gone.status_code == 404 and "保存期限(30日)" in gone.text
    assert "JAMES HUNT" not in client.get(DRAFTS).text


def test_one_accounts_drafts_are_invisible_to_another(app_client, files):
    assert log_in(app_client, "alice").status_code == 303
    draft_id = save_draft(app_client, files)
    _account(app_client, "bob")
    app_client.get("/coa-frontend/four-in-one/logout?system=gold-card")
    assert log_in(app_client, "bob").status_code == 303
    assert "JAMES HUNT" not in app_client.get(DRAFTS).text
    for path in (
        f"{DRAFTS}/{draft_id}",
        f"{DRAFTS}/{draft_id}/edit",
        f"{DRAFTS}/{draft_id}/preview",
    ):
        assert app_client.get(path).status_code == 404
    assert app_client.post(f"{DRAFTS}/{draft_id}/delete").status_code == 404
