"""就業金卡資料異動 (T6) over HTTP in-process: consent, the holder query and its boxes, the
prefilled tabs, what each change needs and costs, and one case per form."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from fixtures import sample_files
from fixtures.uino import create_uino, with_bad_check_digit
from mock_platform.models import Case, Upload
from mock_platform.rules import data_change
from mock_platform.rules.forms import ADDRESS_PARTS
from tests.mock_client import LOGIN_PATH, captcha_answer, make_client

CHANGE = "/coa-frontend/gold-card/change"
JSON = {"Accept": "application/json"}
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
BIRTH = "1992/05/03"
PASSWORD = "Secret123"

CARD = {
    "english_surname": "HUNT",
    "english_given_name": "ETHAN",
    "occupation": "軟體工程師",
    "education": "碩士",
    "marital_status": "未婚",
    "birth_country": "日本",
    "birth_city": "Tokyo",
    "home_address": "1 Main Street",
    "home_phone": "+1-555-0100",
    "collect_office": "臺北市服務站",
    "residence_city": "臺北市",
    "residence_district": "中正區",
    "residence_street": "忠孝東路一段",
    "residence_number": "10",
    "expertise_field": "經濟領域",
    "qualification": "第1款：最近三年內曾任或現任國內外企業或機構職務，月薪達新臺幣十六萬元以上者",
    "job_title": "經理",
}
NEW_ADDRESS = {
    "residence_city": "臺北市",
    "residence_district": "大安區",
    "residence_street": "仁愛路四段",
    "residence_number": "25",
    "residence_floor": "3",
}


def _uino(seed: int) -> str:
    return create_uino(rng=random.Random(seed))


def add_holder(client: TestClient, seed: int, **overrides: object) -> str:
    body = {
        "uino": _uino(seed),
        "birth_date": BIRTH.replace("/", "-"),
        "card_expiry": "2027-06-30",
        "english_name": "HUNT, ETHAN",
        "chinese_name": "杭特",
        "nationality": "日本",
        "gender": "男",
        "passport_number": "TR1234567",
        "passport_expiry": "2031-01-01",
        "email": "ethan@example.com",
        "phone": "0912345678",
        "extra": CARD,
        **overrides,
    }
    response = client.post("/__mock__/cardholders", json=body)
    assert response.status_code == 201, response.text
    return response.json()["uino"]


def log_in(client: TestClient, username: str) -> None:
    """Log in to the Gold Card system as a self-applicant."""
    client.get(f"{LOGIN_PATH}?system=gold-card&role=self")
    response = client.post(
        LOGIN_PATH,
        data={"username": username, "password": PASSWORD, "captcha": captcha_answer(client),
              "system": "gold-card", "role": "self"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text


def add_account(client: TestClient, username: str) -> None:
    body = {"username": username, "password": PASSWORD, "role": "self"}
    assert client.post("/__mock__/accounts", json=body).status_code == 201


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        test_client.app.state.clock.set(START)
        add_account(test_client, "ethan")
        log_in(test_client, "ethan")
        yield test_client


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("change-files")
    return {
        "photo": sample_files.make_photo(folder / "photo.jpg"),
        "pdf": sample_files.make_passport_pdf(folder / "proof.pdf", applicant_name="HUNT"),
        "oversize": sample_files.make_oversize_jpeg(folder / "big.jpg"),
    }


# --- helpers ------------------------------------------------------------------------------


def consent(client: TestClient) -> None:
    response = client.post(f"{CHANGE}/consent", data={"agree": "yes"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def query(client: TestClient, uino: str, birth_date: str = BIRTH, options: tuple[str, ...] = ()):
    return client.post(
        f"{CHANGE}/query",
        data={"uino": uino, "birth_date": birth_date, "options": list(options)},
        follow_redirects=False,
    )


def open_form(client: TestClient, uino: str, *options: str) -> str:
    consent(client)
    response = query(client, uino, options=options)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{CHANGE}/form"
    page = client.get(f"{CHANGE}/form")
    assert page.status_code == 200
    return page.text


def form_values(html: str) -> dict[str, str]:
    """What the browser would send back: every named input and selected option."""
    values = {
        name: value
        for name, value in re.findall(
            r'<input id="[^"]+" name="([^"]+)"[^>]*?value="([^"]*)"', html
        )
    }
    for name, body in re.findall(
        r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = chosen.group(1) if chosen else ""
    token = re.search(r'name="form_token" value="([^"]+)"', html)
    assert token, "no form_token in the form"
    values["form_token"] = token.group(1)
    return values


def upload_token(client: TestClient, field: str, path: Path) -> str:
    response = client.post(
        f"{CHANGE}/uploads",
        data={"field": field},
        files={"file": (path.name, path.read_bytes())},
        headers=JSON,
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


def submit(client: TestClient, data: dict[str, object]):
    return client.post(f"{CHANGE}/submit", data=data, follow_redirects=False)


def only_case(client: TestClient) -> Case:
    with client.app.state.sessions() as db:
        rows = list(db.scalars(select(Case)).all())
        assert len(rows) == 1
        db.expunge_all()
        return rows[0]


def is_readonly(html: str, name: str) -> bool:
    match = re.search(rf'<input id="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return " readonly" in match.group(0)


# --- consent ------------------------------------------------------------------------------


def test_the_menu_item_opens_the_gold_card_consent_first(client):
    page = client.get(f"{CHANGE}/new")
    assert page.status_code == 200
    assert "系統使用聲明事項(就業金卡部分)" in page.text
    assert f'action="{CHANGE}/consent"' in page.text
    assert page.text.count("<li>") >= 13


def test_consent_is_refused_without_the_tick_and_the_query_waits_for_it(client):
    holder = add_holder(client, 1)
    response = client.post(f"{CHANGE}/consent", data={}, follow_redirects=False)
    assert response.status_code == 422
    assert "同意上述條款，請打勾。" in response.text
    refused = query(client, holder)
    assert refused.status_code == 303
    assert refused.headers["location"] == f"{CHANGE}/new"


def test_after_consent_the_query_page_shows_the_boxes_and_the_address_note(client):
    consent(client)
    page = client.get(f"{CHANGE}/new").text
    assert f'action="{CHANGE}/consent"' not in page
    assert "就業金卡資料異動申請 - 新增" in page
    for label in data_change.OPTIONS.values():
        assert label in page
    assert "是否同時異動以下資料" in page
    assert data_change.ADDRESS_NOTE in page


def test_the_form_before_a_query_sends_back_to_the_query(client):
    consent(client)
    response = client.get(f"{CHANGE}/form", follow_redirects=False)
    assert response.headers["location"] == f"{CHANGE}/new"
    assert "請先輸入統一證號及出生日期查詢" in client.get(f"{CHANGE}/new").text


def test_the_flow_needs_a_gold_card_login(tmp_path):
    with make_client(tmp_path) as anonymous:
        response = anonymous.get(f"{CHANGE}/new", follow_redirects=False)
        assert response.status_code == 303
        assert "system=gold-card" in response.headers["location"]


# --- the holder query ---------------------------------------------------------------------


def test_query_errors_name_the_field_and_keep_the_values(client):
    holder = add_holder(client, 2)
    consent(client)
    response = query(
        client, with_bad_check_digit(holder), "1992-05-03", (data_change.PASSPORT_CHANGE,)
    )
    assert response.status_code == 422
    assert "統一證號檢查碼錯誤" in response.text
    assert "出生日期(西元)：日期格式須為 YYYY/MM/DD" in response.text
    assert 'value="1992-05-03"' in response.text
    assert 'value="passport" checked' in response.text


def test_query_without_a_birth_date_names_it(client):
    holder = add_holder(client, 3)
    consent(client)
    response = query(client, holder, "")
    assert response.status_code == 422
    assert "出生日期(西元)：此欄位為必填" in response.text


def test_query_of_an_unknown_number_is_refused(client):
    consent(client)
    response = query(client, _uino(999))
    assert response.status_code == 422
    assert data_change.NO_RECORD in response.text


def test_query_with_another_birth_date_names_the_birth_date(client):
    holder = add_holder(client, 4)
    consent(client)
    response = query(client, holder, "1992/05/04")
    assert response.status_code == 422
    assert "出生日期(西元)：與統一證號" in response.text


def test_an_expired_card_is_sent_to_re_application(client):
    holder = add_holder(client, 5, card_expiry="2026-03-01")  # the day before START
    consent(client)
    response = query(client, holder)
    assert response.status_code == 422
    assert "2026/03/01 到期" in response.text
    assert "重新申請" in response.text


def test_a_card_expiring_today_may_still_change(client):
    holder = add_holder(client, 6, card_expiry="2026-03-02")
    consent(client)
    assert query(client, holder).status_code == 303


@pytest.mark.parametrize(
    "options",
    [
        (data_change.CONTACT_ONLY, data_change.PASSPORT_CHANGE),
        (data_change.CONTACT_ONLY, data_change.NEW_FORMAT_UINO),
        (data_change.NEW_FORMAT_UINO, data_change.PERSONAL_UINO),
    ],
)
def test_contradicting_boxes_are_refused(client, options):
    holder = add_holder(client, 7)
    consent(client)
    response = query(client, holder, options=options)
    assert response.status_code == 422
    assert "是否同時異動以下資料：" in response.text


def test_unknown_box_values_are_ignored(client):
    holder = add_holder(client, 8)
    html = open_form(client, holder, "everything")
    assert "同時異動項目</dt><dd>未勾選" in html


# --- the prefilled tabs -------------------------------------------------------------------


def test_the_five_tabs_are_prefilled_with_the_card(client):
    holder = add_holder(client, 10)
    html = open_form(client, holder)
    for label in ("基本資料", "護照資料", "居留申請", "領域專長", "文件上傳"):
        assert f">{label}</button>" in html
    values = form_values(html)
    assert values["english_surname"] == "HUNT"
    assert values["english_given_name"] == "ETHAN"
    assert values["chinese_name"] == "杭特"
    assert values["gender"] == "男"
    assert values["occupation"] == "軟體工程師"
    assert values["passport_number"] == "TR1234567"
    assert values["collect_office"] == "臺北市服務站"
    assert values["residence_district"] == "中正區"
    assert values["mobile"] == "0912345678"
    assert values["uino"] == holder
    assert values["job_title"] == "經理"


def test_by_default_the_seven_items_open_and_the_rest_is_read_only(client):
    html = open_form(client, add_holder(client, 11))
    for name in ("english_surname", "english_given_name", "chinese_name", "email", "mobile"):
        assert not is_readonly(html, name), name
    assert '<select id="gender"' in html
    assert '<select id="collect_office"' in html
    assert '<select id="residence_city"' in html
    for name in ("birth_date", "nationality", "occupation", "home_address", "uino",
                 "passport_number", "passport_expiry", "job_title"):  # fmt: skip
        assert is_readonly(html, name), name
    assert "新護照" not in html  # no passport change asked for


def test_the_passport_box_opens_the_passport_fields(client):
    html = open_form(client, add_holder(client, 12), data_change.PASSPORT_CHANGE)
    assert not is_readonly(html, "passport_number")
    assert not is_readonly(html, "passport_expiry")
    assert ">新護照</legend>" in html.replace('<span class="star" aria-hidden="true">*</span>', "")


def test_contact_only_opens_email_and_mobile_alone(client):
    html = open_form(client, add_holder(client, 13), data_change.CONTACT_ONLY)
    assert not is_readonly(html, "email")
    assert not is_readonly(html, "mobile")
    for name in ("english_surname", "chinese_name", "gender", "collect_office", "passport_number"):
        assert is_readonly(html, name), name
    assert '<select id="residence_city"' not in html
    assert is_readonly(html, "residence_address")
    assert "租賃契約或水電繳費證明</legend>" not in html


def test_personal_reasons_ask_for_the_reason(client):
    html = open_form(client, add_holder(client, 14), data_change.PERSONAL_UINO)
    assert "變更統一證號原因" in html
    assert data_change.NEW_UINO_TEXT in html


def test_old_records_without_split_names_are_split_from_the_english_name(client):
    holder = add_holder(client, 15, english_name="G. GREENING", extra={})
    values = form_values(open_form(client, holder))
    assert values["english_surname"] == "GREENING"
    assert values["english_given_name"] == "G."
    assert values["occupation"] == ""


# --- 「送出」: what changed, what it needs, what it costs --------------------------------


def test_nothing_changed_is_refused(client):
    holder = add_holder(client, 20)
    response = submit(client, form_values(open_form(client, holder)))
    assert response.status_code == 422
    assert "本次未異動任何資料" in response.text
    assert client.get("/__mock__/cases").json()["cases"] == []


def test_an_address_change_needs_the_lease_and_is_free(client, files):
    holder = add_holder(client, 21)
    data = {**form_values(open_form(client, holder)), **NEW_ADDRESS}
    refused = submit(client, data)
    assert refused.status_code == 422
    assert "「文件上傳」租賃契約或水電繳費證明：本次異動居留地址" in refused.text
    assert 'value="仁愛路四段"' in refused.text  # what was typed stays
    assert client.get("/__mock__/cases").json()["cases"] == []
    data["residence_proof_token"] = upload_token(client, "residence_proof", files["pdf"])
    response = submit(client, data)
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith(f"{CHANGE}/complete/")
    case = only_case(client)
    assert case.kind == "gold_card_change"
    assert re.fullmatch(r"\d{3}52\d{7}", case.number)
    assert (case.fee, case.status) == (0, "已送件")
    assert case.data["items"] == ["residence_address"]
    assert case.data["changes"] == [
        {"item": "residence_address", "label": "居留地址", "old": "臺北市中正區忠孝東路一段10號",
         "new": "臺北市大安區仁愛路四段25號3樓"},
    ]  # fmt: skip
    page = client.get(response.headers["location"]).text
    assert "就業金卡資料異動申請 - 資料填寫完成說明" in page
    assert f"申請案號：<strong data-case-number>{case.number}</strong>" in page
    assert "本次異動免繳規費。" in page
    assert "前往線上繳費" not in page


def test_an_email_only_change_is_free(client):
    holder = add_holder(client, 22)
    data = form_values(open_form(client, holder, data_change.CONTACT_ONLY))
    data["email"] = "ethan.hunt@example.org"
    response = submit(client, data)
    assert response.status_code == 303, response.text
    case = only_case(client)
    assert (case.fee, case.status) == (0, "已送件")
    assert case.data["changes"] == [
        {"item": "email", "label": "電子郵件", "old": "ethan@example.com",
         "new": "ethan.hunt@example.org"},
    ]  # fmt: skip
    assert "本次異動免繳規費。" in client.get(response.headers["location"]).text
    home = client.get("/coa-frontend/gold-card/home").text
    assert f"<td>就業金卡資料異動申請</td><td>{case.number}</td><td>已送件</td>" in home
    detail = client.get(f"/coa-frontend/gold-card/cases/{case.number}").text
    assert "ethan.hunt@example.org" in detail


def test_read_only_fields_are_taken_from_the_card_not_the_browser(client):
    holder = add_holder(client, 23)
    data = form_values(open_form(client, holder, data_change.CONTACT_ONLY))
    data.update(
        mobile="0987654321",
        english_surname="SMITH",
        gender="女",
        occupation="HACKER",
        nationality="香港",
        passport_number="ZZ9999999",
        uino=_uino(77),
        birth_date="2000/01/01",
        **NEW_ADDRESS,
    )
    response = submit(client, data)
    assert response.status_code == 303, response.text
    case = only_case(client)
    assert case.data["items"] == ["mobile"]
    values = case.data["values"]
    assert values["english_surname"] == "HUNT"
    assert values["gender"] == "男"
    assert values["occupation"] == "軟體工程師"
    assert values["nationality"] == "日本"
    assert values["passport_number"] == "TR1234567"
    assert values["uino"] == holder
    assert values["birth_date"] == BIRTH
    assert values["residence_district"] == "中正區"
    assert case.fee == 0  # a browser claiming 香港 does not change the fee


def test_contact_only_without_a_contact_change_is_refused(client):
    holder = add_holder(client, 24)
    data = form_values(open_form(client, holder, data_change.CONTACT_ONLY))
    data["english_surname"] = "SMITH"  # read-only here: not a change
    response = submit(client, data)
    assert response.status_code == 422
    assert "本次未異動任何資料" in response.text


def test_a_name_change_needs_its_proof_and_costs_500(client, files):
    holder = add_holder(client, 25)
    data = {**form_values(open_form(client, holder)), "english_surname": "hunt-smith"}
    refused = submit(client, data)
    assert refused.status_code == 422
    assert "姓名或性別變更證明文件：本次異動中英文姓名性別" in refused.text
    data["name_proof_token"] = upload_token(client, "name_proof", files["pdf"])
    response = submit(client, data)
    assert response.status_code == 303, response.text
    case = only_case(client)
    assert (case.fee, case.status) == (500, "待繳費")
    assert case.data["changes"][0] == {
        "item": "name_gender", "label": "英文姓氏", "old": "HUNT", "new": "HUNT-SMITH",
    }  # fmt: skip
    page = client.get(response.headers["location"]).text
    assert "本次異動須繳納規費新臺幣 500 元，請至線上繳費區進行繳費。" in page
    assert 'href="/coa-frontend/gold-card/payment">前往線上繳費</a>' in page
    assert case.number in client.get("/coa-frontend/gold-card/payment").text


def test_a_gender_change_of_a_hong_kong_resident_costs_2600(client, files):
    holder = add_holder(client, 26, nationality="香港")
    data = {**form_values(open_form(client, holder)), "gender": "女"}
    data["name_proof_token"] = upload_token(client, "name_proof", files["pdf"])
    response = submit(client, data)
    assert response.status_code == 303, response.text
    assert only_case(client).fee == 2600
    assert "新臺幣 2,600 元" in client.get(response.headers["location"]).text


def test_a_passport_change_needs_the_new_passport_and_is_free(client, files):
    holder = add_holder(client, 27)
    data = form_values(open_form(client, holder, data_change.PASSPORT_CHANGE))
    refused = submit(client, data)  # box ticked, nothing new typed
    assert refused.status_code == 422
    assert "護照號碼：已勾選「護照資料異動」" in refused.text
    data.update(passport_number="tr7654321", passport_expiry="2036/01/01")
    refused = submit(client, data)
    assert refused.status_code == 422
    assert "新護照：本次異動護照號碼" in refused.text
    data["new_passport_token"] = upload_token(client, "new_passport", files["pdf"])
    response = submit(client, data)
    assert response.status_code == 303, response.text
    case = only_case(client)
    assert case.fee == 0
    assert [c["new"] for c in case.data["changes"]] == ["TR7654321", "2036/01/01"]
    with client.app.state.sessions() as db:
        bound = db.scalars(select(Upload).where(Upload.case_id == case.id)).all()
        assert [row.field for row in bound] == ["new_passport"]


def test_a_new_passport_must_be_valid_six_months(client):
    holder = add_holder(client, 28)
    data = form_values(open_form(client, holder, data_change.PASSPORT_CHANGE))
    data.update(passport_number="TR7654321", passport_expiry="2026/05/01")
    refused = submit(client, data)
    assert refused.status_code == 422
    assert "「護照資料」護照效期(西元)：護照效期須在 6 個月以上" in refused.text


def test_a_new_uino_costs_500_and_needs_no_typing(client):
    holder = add_holder(client, 29)
    response = submit(client, form_values(open_form(client, holder, data_change.NEW_FORMAT_UINO)))
    assert response.status_code == 303, response.text
    case = only_case(client)
    assert case.fee == 500
    assert case.data["changes"] == [
        {"item": "uino", "label": "統一證號", "old": holder, "new": data_change.NEW_UINO_TEXT},
    ]


def test_a_personal_uino_change_needs_the_reason(client):
    holder = add_holder(client, 30)
    data = form_values(open_form(client, holder, data_change.PERSONAL_UINO))
    refused = submit(client, data)
    assert refused.status_code == 422
    assert "「居留申請」變更統一證號原因：此欄位為必填" in refused.text
    data["uino_reason"] = "諧音不雅"
    assert submit(client, data).status_code == 303
    assert only_case(client).data["uino_reason"] == "諧音不雅"


def test_collect_office_and_mobile_changes_are_free_and_need_no_proof(client):
    holder = add_holder(client, 31)
    data = {**form_values(open_form(client, holder)), "collect_office": "新竹市服務站",
            "mobile": "0987654321"}  # fmt: skip
    response = submit(client, data)
    assert response.status_code == 303, response.text
    case = only_case(client)
    assert case.data["items"] == ["collect_office", "mobile"]
    assert case.fee == 0


def test_bad_input_is_named_per_tab_and_nothing_is_saved(client, files):
    holder = add_holder(client, 32)
    data = {
        **form_values(open_form(client, holder)),
        "email": "someone@qq.com",
        "mobile": "12345",
        "english_given_name": "伊森",
        "residence_district": "北屯區",
        "residence_lane": "5巷",
        "residence_proof_token": upload_token(client, "residence_proof", files["pdf"]),
    }
    response = submit(client, data)
    assert response.status_code == 422
    for message in (
        "「基本資料」電子郵件：基於資安政策，請勿使用大陸地區電子郵件",
        "「居留申請」在臺聯絡手機號碼：請填寫 09 開頭的 10 位數字",
        "「基本資料」英文名字：請以英文字母填寫",
        "「居留申請」居留地址：北屯區 不屬於 臺北市",
    ):
        assert message in response.text
    # Listed in the order of the tabs, whatever order the rules ran in.
    summary = re.findall(r'<li><a href="#([a-z_]+)">', response.text)
    assert summary == ["english_given_name", "email", "mobile", "residence_district",
                       "residence_lane", "name_proof"]  # fmt: skip
    assert 'value="someone@qq.com"' in response.text
    assert client.get("/__mock__/cases").json()["cases"] == []
    with client.app.state.sessions() as db:
        assert db.scalars(select(Upload).where(Upload.case_id.is_not(None))).all() == []


def test_a_double_submit_makes_one_case(client, files):
    holder = add_holder(client, 33)
    data = {**form_values(open_form(client, holder)), **NEW_ADDRESS}
    data["residence_proof_token"] = upload_token(client, "residence_proof", files["pdf"])
    first = submit(client, data)
    second = submit(client, data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(client.get("/__mock__/cases").json()["cases"]) == 1


def test_a_stale_form_token_goes_back_to_the_query(client):
    holder = add_holder(client, 34)
    data = {**form_values(open_form(client, holder)), "form_token": "forged"}
    response = submit(client, data)
    assert response.headers["location"] == f"{CHANGE}/new"
    assert "申請資料已失效" in client.get(f"{CHANGE}/new").text


def test_a_card_expiring_while_the_form_is_open_is_refused_on_submit(client):
    holder = add_holder(client, 35, card_expiry="2026-03-02")
    client.app.state.clock.set(datetime(2026, 3, 2, 15, 50, tzinfo=UTC))  # 23:50 in Taipei
    log_in(client, "ethan")
    data = {**form_values(open_form(client, holder)), "mobile": "0987654321"}
    client.app.state.clock.set(datetime(2026, 3, 2, 16, 5, tzinfo=UTC))  # 00:05, a day on
    response = submit(client, data)
    assert response.headers["location"] == f"{CHANGE}/new"
    assert "2026/03/02 到期" in client.get(f"{CHANGE}/new").text
    assert client.get("/__mock__/cases").json()["cases"] == []


def test_files_of_slots_the_form_does_not_show_are_not_kept(client, files):
    holder = add_holder(client, 36)
    data = form_values(open_form(client, holder, data_change.CONTACT_ONLY))
    data["email"] = "new@example.com"
    data["residence_proof_token"] = upload_token(client, "residence_proof", files["pdf"])
    assert submit(client, data).status_code == 303
    with client.app.state.sessions() as db:
        assert db.scalars(select(Upload).where(Upload.case_id.is_not(None))).all() == []


def test_uploads_are_checked_by_content_and_size(client, files):
    oversize = client.post(
        f"{CHANGE}/uploads", data={"field": "residence_proof"},
        files={"file": ("big.jpg", files["oversize"].read_bytes())}, headers=JSON,
    )  # fmt: skip
    assert oversize.status_code == 422
    assert "租賃契約或水電繳費證明" in oversize.json()["message"]
    fake = client.post(
        f"{CHANGE}/uploads", data={"field": "residence_proof"},
        files={"file": ("lease.pdf", b"just text")}, headers=JSON,
    )  # fmt: skip
    assert fake.status_code == 422
    unknown = client.post(
        f"{CHANGE}/uploads", data={"field": "nope"},
        files={"file": ("x.pdf", files["pdf"].read_bytes())}, headers=JSON,
    )  # fmt: skip
    assert unknown.status_code == 422


def test_another_accounts_completion_page_is_not_shown(client, files):
    holder = add_holder(client, 37)
    data = {**form_values(open_form(client, holder)), "mobile": "0987654321"}
    location = submit(client, data).headers["location"]
    assert client.get(location).status_code == 200
    client.get("/coa-frontend/four-in-one/logout?system=gold-card")
    add_account(client, "mallory")
    log_in(client, "mallory")
    assert client.get(location).status_code == 404


# --- the rules alone ----------------------------------------------------------------------

N = data_change


@pytest.mark.parametrize(
    ("items", "nationality", "expected"),
    [
        ([N.RESIDENCE_ADDRESS], "日本", 0),
        ([N.PASSPORT_NUMBER], "日本", 0),
        ([N.EMAIL], "日本", 0),
        ([N.MOBILE_NUMBER], "香港", 0),
        ([N.EMAIL, N.MOBILE_NUMBER, N.COLLECT_OFFICE], "日本", 0),
        ([N.PASSPORT_NUMBER, N.RESIDENCE_ADDRESS], "澳門", 0),
        ([N.NAME_GENDER], "日本", 500),
        ([N.UINO], "美國", 500),
        ([N.NAME_GENDER, N.RESIDENCE_ADDRESS], "日本", 500),
        ([N.NAME_GENDER, N.UINO, N.PASSPORT_NUMBER], "日本", 500),
        ([N.NAME_GENDER], "香港", 2600),
        ([N.UINO], "澳門", 2600),
        ([], "日本", 0),
    ],
)
def test_fee_rule_of_consent_clause_9(items, nationality, expected):
    assert data_change.fee(items, nationality=nationality) == expected


def test_fee_notices():
    assert data_change.fee_notice(0) == "本次異動免繳規費。"
    assert (
        data_change.fee_notice(500) == "本次異動須繳納規費新臺幣 500 元，請至線上繳費區進行繳費。"
    )
    assert "新臺幣 2,600 元" in data_change.fee_notice(2600)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HUNT, ETHAN", ("HUNT", "ETHAN")),
        ("van der berg,  anna maria", ("VAN DER BERG", "ANNA MARIA")),
        ("G. GREENING", ("GREENING", "G.")),
        ("MADONNA", ("MADONNA", "")),
    ],
)
def test_split_english_name(name, expected):
    assert data_change.split_english_name(name) == expected


def test_changes_compare_names_and_email_without_case():
    card = {"english_surname": "HUNT", "email": "A@Example.com", "uino": "A800013146"}
    card.update({f"residence_{key}": "" for key, _ in ADDRESS_PARTS})
    layout = data_change.layout_for(frozenset())
    values = {**card, "english_surname": "hunt", "email": "a@example.COM"}
    assert data_change.changes_between(card, values, layout) == []


def test_layouts_open_only_what_the_boxes_allow():
    def opened(*options: str) -> set[str]:
        layout = data_change.layout_for(frozenset(options))
        return {spec.name for spec in layout.all_fields() if not spec.readonly}

    assert opened() == set(data_change.OPEN_BY_DEFAULT)
    assert opened(N.PASSPORT_CHANGE) == {*N.OPEN_BY_DEFAULT, "passport_number", "passport_expiry"}
    assert opened(N.CONTACT_ONLY) == {"email", "mobile"}
    assert opened(N.PERSONAL_UINO) == {*N.OPEN_BY_DEFAULT, "uino_reason"}
    assert "uino" not in opened(N.NEW_FORMAT_UINO)
    assert data_change.layout_for(frozenset({N.CONTACT_ONLY})).address_editable is False
