"""其他事由居留證申請 over HTTP in-process: consent, holder query, uploads and submit."""

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
from mock_platform.rules import receipt
from mock_platform.rules.other_reason import APPLICANT_FIELDS, COLLECTION_FIELDS
from tests.mock_client import HOME_PATH, BrowserClient, login, make_client

APPLY = "/coa-frontend/other-reason/apply"
DEMO_UINO = "A800013146"
DEMO_BIRTH = "1999/09/09"
NO_HOLDER = "查無符合的就業金卡持卡人資料"
JSON = {"Accept": "application/json"}
# Server time for these tests (10:00 in Taipei), so card and passport expiry dates of the
# seeded holder stay in the future whatever the real date; the clock keeps running.
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        test_client.app.state.clock.set(START)
        login(test_client)
        yield test_client


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("uploads")
    return {
        "photo": sample_files.make_photo(folder / "photo.jpg"),
        "passport": sample_files.make_passport_pdf(
            folder / "passport.pdf", applicant_name="GREENING, G."
        ),
        "permit": sample_files.make_permit_png(folder / "residence_permit.png"),
        "oversize": sample_files.make_oversize_jpeg(folder / "big.jpg"),
        "text_pdf": sample_files.make_text_renamed_pdf(folder / "fake.pdf"),
    }


# --- helpers ------------------------------------------------------------------------------


def consent(client: TestClient) -> None:
    response = client.post(f"{APPLY}/consent", data={"agree": "yes"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def query(client: TestClient, uino: str = DEMO_UINO, birth_date: str = DEMO_BIRTH):
    return client.post(
        f"{APPLY}/query", data={"uino": uino, "birth_date": birth_date}, follow_redirects=False
    )


def open_form(client: TestClient) -> str:
    """Consent, query the demo holder, and return the form page's HTML."""
    consent(client)
    response = query(client)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{APPLY}/form"
    form = client.get(f"{APPLY}/form")
    assert form.status_code == 200
    return form.text


def form_token(html: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "no form_token in the form"
    return match.group(1)


def upload(client: TestClient, field: str, path: Path, filename: str | None = None):
    return client.post(
        f"{APPLY}/uploads",
        data={"field": field},
        files={"file": (filename or path.name, path.read_bytes())},
        headers=JSON,
    )


def upload_token(client: TestClient, field: str, path: Path) -> str:
    response = upload(client, field, path)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def add_holder(client: TestClient, seed: int, **overrides: object) -> dict:
    body = {
        "uino": create_uino(rng=random.Random(seed)),
        "birth_date": "1990-05-05",
        "card_expiry": "2027-03-01",
        "english_name": "TEST HOLDER",
        **overrides,
    }
    response = client.post("/__mock__/cardholders", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def complete_form(client: TestClient, files: dict[str, Path], token: str) -> dict[str, object]:
    """Every field of a valid submission, with freshly staged uploads."""
    values: dict[str, object] = {
        "form_token": token,
        "english_name": "G. GREENING",
        "chinese_name": "",
        "nationality": "日本",
        "gender": "男",
        "passport_number": "TR1234567",
        "passport_expiry": "2030/08/08",
        "birth_country": "日本",
        "occupation": "軟體工程師",
        "marital_status": "未婚",
        "education": "碩士",
        "landline": "02-23889393",
        "mobile": "0912345678",
        "email": "greening@example.com",
        "collect_method": "自取(在臺灣領證)",
        "collect_office": "臺北市服務站",
        "residence_city": "臺北市",
        "residence_district": "中正區",
        "residence_street": "忠孝東路一段",
        "residence_number": "10",
        "photo_token": upload_token(client, "photo", files["photo"]),
        "passport_token": upload_token(client, "passport", files["passport"]),
        "residence_permit_token": upload_token(client, "residence_permit", files["permit"]),
    }
    # Guard against the form growing a required field this helper does not know.
    readonly = {field.name for field in APPLICANT_FIELDS if field.readonly}
    for field in APPLICANT_FIELDS + COLLECTION_FIELDS:
        if field.required and field.name not in readonly:
            assert values.get(field.name), field.name
    return values


def submit(client: TestClient, data: dict[str, object]):
    return client.post(f"{APPLY}/submit", data=data, follow_redirects=False)


def cases(client: TestClient) -> list[dict]:
    response = client.get("/__mock__/cases")
    assert response.status_code == 200
    return response.json()["cases"]


def bound_uploads(client: TestClient) -> list[Upload]:
    with client.app.state.sessions() as db:
        return list(db.scalars(select(Upload).where(Upload.case_id.is_not(None))).all())


# --- consent and query --------------------------------------------------------------------


def test_new_application_shows_the_consent_first(client):
    page = client.get(f"{APPLY}/new")
    assert page.status_code == 200
    assert f'action="{APPLY}/consent"' in page.text


def test_consent_is_refused_without_the_tick(client):
    response = client.post(f"{APPLY}/consent", data={}, follow_redirects=False)
    assert response.status_code == 422
    assert "請先勾選「同意上述條款」" in response.text
    # The query does nothing before consent: it goes back to the dialog.
    refused = query(client)
    assert refused.status_code == 303
    assert refused.headers["location"] == f"{APPLY}/new"


def test_consent_with_a_wrong_value_is_refused(client):
    response = client.post(f"{APPLY}/consent", data={"agree": "no"}, follow_redirects=False)
    assert response.status_code == 422


def test_consent_with_the_tick_opens_the_query(client):
    response = client.post(f"{APPLY}/consent", data={"agree": "yes"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{APPLY}/new"
    page = client.get(f"{APPLY}/new")
    assert f'action="{APPLY}/consent"' not in page.text
    assert f'action="{APPLY}/query"' in page.text


def test_query_with_a_bad_check_digit_names_the_uino(client):
    consent(client)
    response = query(client, with_bad_check_digit(DEMO_UINO))
    assert response.status_code == 422
    assert "統一證號檢查碼錯誤" in response.text


def test_query_with_an_old_format_number_names_the_format(client):
    consent(client)
    response = query(client, "AB12345678")
    assert response.status_code == 422
    assert "統一證號格式錯誤" in response.text


def test_query_with_a_bad_birth_date_names_the_date(client):
    consent(client)
    response = query(client, DEMO_UINO, "1999-09-09")
    assert response.status_code == 422
    assert "出生日期(西元)：日期格式須為 YYYY/MM/DD" in response.text


def test_query_of_a_valid_number_without_a_holder_is_refused(client):
    consent(client)
    number = create_uino(rng=random.Random(4242))
    assert number != DEMO_UINO
    response = query(client, number)
    assert response.status_code == 422
    assert NO_HOLDER in response.text


def test_query_with_the_wrong_birth_date_is_refused_the_same_way(client):
    consent(client)
    response = query(client, DEMO_UINO, "1999/09/10")
    assert response.status_code == 422
    assert NO_HOLDER in response.text


def test_query_of_a_holder_with_an_expired_card_is_sent_to_the_gold_card_application(client):
    holder = add_holder(client, 7, card_expiry="2026-03-01")  # the day before START
    consent(client)
    response = query(client, holder["uino"], "1990/05/05")
    assert response.status_code == 422
    assert "就業金卡申請或重新申請" in response.text
    assert "2026/03/01 到期" in response.text


def test_query_of_a_holder_whose_card_expires_today_opens_the_form(client):
    holder = add_holder(client, 8, card_expiry="2026-03-02")
    consent(client)
    response = query(client, holder["uino"], "1990/05/05")
    assert response.status_code == 303
    assert holder["uino"] in client.get(f"{APPLY}/form").text


def test_matching_holder_opens_the_form_with_the_uino(client):
    consent(client)
    response = query(client, DEMO_UINO.lower(), DEMO_BIRTH)
    assert response.status_code == 303
    assert response.headers["location"] == f"{APPLY}/form"
    form = client.get(f"{APPLY}/form")
    assert form.status_code == 200
    assert f'value="{DEMO_UINO}"' in form.text
    assert 'value="1999/09/09"' in form.text
    assert form_token(form.text)


def test_form_without_a_query_goes_back_to_the_query(client):
    response = client.get(f"{APPLY}/form", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{APPLY}/new"


def test_apply_pages_need_a_login(tmp_path):
    with make_client(tmp_path) as anonymous:
        response = anonymous.get(f"{APPLY}/new", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/coa-frontend/four-in-one/login")
        staged = anonymous.post(
            f"{APPLY}/uploads",
            data={"field": "photo"},
            files={"file": ("a.jpg", b"x")},
            headers=JSON,
        )
        assert staged.status_code == 401


# --- uploads ------------------------------------------------------------------------------


def test_oversize_jpeg_is_refused_naming_the_field(client, files):
    response = upload(client, "passport", files["oversize"])
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "passport"
    assert body["message"].startswith("護照：")
    assert "超過上限" in body["message"]


def test_renamed_text_file_is_refused(client, files):
    response = upload(client, "passport", files["text_pdf"], "passport.pdf")
    assert response.status_code == 422
    message = response.json()["message"]
    assert message.startswith("護照：")
    assert "不是有效的 PDF 檔" in message


def test_photo_field_refuses_a_pdf(client, files):
    response = upload(client, "photo", files["passport"])
    assert response.status_code == 422
    assert response.json()["message"].startswith("照片上傳：")


def test_unknown_upload_field_is_refused(client, files):
    response = upload(client, "nonsense", files["photo"])
    assert response.status_code == 422
    assert response.json()["message"] == "未知的上傳欄位"


@pytest.mark.parametrize(
    ("field", "key", "kind"),
    [
        ("photo", "photo", "JPEG"),
        ("passport", "passport", "PDF"),
        ("residence_permit", "permit", "PNG"),
    ],
)
def test_valid_files_get_a_token(client, files, field, key, kind):
    response = upload(client, field, files[key])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token"]
    assert body["field"] == field
    assert body["kind"] == kind
    assert body["filename"] == files[key].name
    preview = client.get(body["preview_url"])
    assert preview.status_code == 200
    assert preview.content == files[key].read_bytes()


def test_a_staged_file_is_private_to_its_browser(client, files):
    token = upload_token(client, "photo", files["photo"])
    with BrowserClient(client.app) as stranger:
        login(stranger)
        response = stranger.get(f"{APPLY}/uploads/{token}", headers=JSON)
        assert response.status_code == 404


# --- submit -------------------------------------------------------------------------------


def test_missing_occupation_is_refused_and_nothing_is_created(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    data["occupation"] = ""
    response = submit(client, data)
    assert response.status_code == 422
    assert "現職：此欄位為必填" in response.text
    assert cases(client) == []
    assert bound_uploads(client) == []
    # The refused form keeps what was typed and the files already staged.
    assert 'value="0912345678"' in response.text
    assert "已上傳：photo.jpg" in response.text


def test_district_of_another_city_is_refused(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    data["residence_district"] = "板橋區"
    response = submit(client, data)
    assert response.status_code == 422
    assert "居留地址：板橋區 不屬於 臺北市" in response.text
    assert cases(client) == []


def test_same_as_work_address_is_accepted(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    for key in ("city", "district", "street", "number"):
        data[f"residence_{key}"] = ""
    data.update(
        same_as_work="on",
        work_city="新北市",
        work_district="板橋區",
        work_street="中山路一段",
        work_number="161",
    )
    response = submit(client, data)
    assert response.status_code == 303, response.text
    [case] = cases(client)
    assert case["data"]["residence_city"] == "新北市"
    assert case["data"]["residence_district"] == "板橋區"
    assert case["data"]["residence_number"] == "161"


def test_same_as_work_without_a_work_address_is_refused(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    data["same_as_work"] = "on"
    response = submit(client, data)
    assert response.status_code == 422
    assert "居留地址：請選擇縣市" in response.text


def test_mainland_email_is_refused(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    data["email"] = "x@qq.com"
    response = submit(client, data)
    assert response.status_code == 422
    assert "電子郵件：基於資安政策，請勿使用大陸地區電子郵件" in response.text
    assert cases(client) == []


def test_missing_required_upload_is_refused(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    data["passport_token"] = ""
    response = submit(client, data)
    assert response.status_code == 422
    assert "護照：此欄位為必填，請上傳檔案" in response.text
    assert cases(client) == []


def test_complete_submit_creates_one_numbered_case(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    response = submit(client, data)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    match = re.fullmatch(rf"{HOME_PATH}\?receipt=(\d{{12}})", location)
    assert match, location
    number = match.group(1)
    assert receipt.is_valid(number)
    assert number.startswith("11555")  # ROC 115 = 2026, system 55
    assert number[5:11] == "000001"

    home = client.get(location)
    assert home.status_code == 200
    assert number in home.text
    assert "送件成功" in home.text
    assert "其他事由居留證申請" in home.text

    [case] = cases(client)
    assert case["number"] == number
    assert case["account"] == "demo"
    assert case["files"] == {
        "photo": "photo.jpg",
        "passport": "passport.pdf",
        "residence_permit": "residence_permit.png",
    }
    assert case["data"]["uino"] == DEMO_UINO
    assert case["data"]["occupation"] == "軟體工程師"
    assert len(bound_uploads(client)) == 3


def test_submitting_the_same_form_again_gives_the_same_receipt(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    first = submit(client, data)
    second = submit(client, data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(cases(client)) == 1


def test_a_second_application_for_the_same_holder_is_refused(client, files):
    assert (
        submit(client, complete_form(client, files, form_token(open_form(client)))).status_code
        == 303
    )
    response = query(client)
    assert response.status_code == 422
    assert "已有申請中的其他事由居留證案件" in response.text


def test_a_refused_then_corrected_submit_binds_the_uploads_once(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    refused = submit(client, {**data, "occupation": ""})
    assert refused.status_code == 422
    assert bound_uploads(client) == []
    with client.app.state.sessions() as db:
        assert db.scalars(select(Case)).all() == []
    accepted = submit(client, data)
    assert accepted.status_code == 303
    assert len(bound_uploads(client)) == 3


def test_submit_with_a_stale_form_token_is_sent_back_to_the_query(client, files):
    data = complete_form(client, files, form_token(open_form(client)))
    data["form_token"] = "not-the-token"
    response = submit(client, data)
    assert response.status_code == 303
    assert response.headers["location"] == f"{APPLY}/new"
    assert cases(client) == []


# --- known bugs of the mock (strict: these start failing once the bug is fixed) ---------


def test_receipt_year_follows_taipei_time_at_new_year(tmp_path, files):
    with make_client(tmp_path) as fresh:
        # 2027-01-01 00:30 in Taipei is still 2026 in UTC.
        fresh.app.state.clock.set(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
        login(fresh)
        response = submit(fresh, complete_form(fresh, files, form_token(open_form(fresh))))
        assert response.status_code == 303
        assert response.headers["location"].split("receipt=")[1].startswith("11655")


def test_home_shows_the_taipei_submit_date_with_a_frozen_taipei_clock(tmp_path, files):
    with make_client(tmp_path) as fresh:
        moved = fresh.post(
            "/__mock__/clock", json={"set": "2026-03-10T23:00:00+08:00", "frozen": True}
        )
        assert moved.status_code == 200
        login(fresh)
        response = submit(fresh, complete_form(fresh, files, form_token(open_form(fresh))))
        home = fresh.get(response.headers["location"]).text
        assert "2026/03/10</td>" in home
