"""補正(件) (T5) over HTTP in-process: the list, the detail, the seven tabs with their
審核意見, uploads (encrypted, too many), the deadlines, one 「送出」 per supplement, and
nobody else's case."""

from __future__ import annotations

import html as html_lib
import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from fixtures import sample_files
from fixtures.uino import create_uino
from mock_platform.models import Upload
from mock_platform.rules import expertise, gold_card, uploads
from mock_platform.rules import supplement as rules
from mock_platform.services.review import REVIEW_TABS
from tests.mock_client import LOGIN_PATH, BrowserClient, captcha_answer, make_client

SUPPLEMENTS = "/coa-frontend/gold-card/supplements"
JSON = {"Accept": "application/json"}
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
PASSWORD = "Secret123"
UINO = create_uino(rng=random.Random(5))
COMMENTS = {
    "基本資料": "英文名字與護照不符，請依護照更正。",
    "文件上傳": "請補附最近一年之薪資證明。",
}

APPLICATION: dict[str, Any] = {
    "english_surname": "HUNT",
    "english_given_name": "ETHANOOOO",
    "chinese_name": "杭特",
    "birth_date": "1992/05/03",
    "gender": "男",
    "nationality": "日本",
    "occupation": "軟體工程師",
    "education": "碩士",
    "marital_status": "未婚",
    "email": "ethan@example.com",
    "birth_country": "日本",
    "birth_city": "Tokyo",
    "home_address": "1 Main Street",
    "home_phone": "+1-555-0100",
    "passport_kind": "普通護照",
    "passport_number": "TR1234567",
    "passport_issued": "2021/01/04",
    "passport_expiry": "2031/01/03",
    "passport_authority": "MINISTRY OF FOREIGN AFFAIRS",
    "entry_date": "2026/02/01",
    "years": "3年",
    "collect_office": "彰化縣服務站",
    "mobile": "0912345678",
    "residence_city": "臺北市",
    "residence_district": "中正區",
    "residence_street": "忠孝東路一段",
    "residence_number": "10",
    "expertise_field": "經濟領域",
    "qualification": expertise.QUALIFICATIONS["經濟領域"][0],
    "employer_name": "TEST CORP.",
    "job_title": "經理",
    "uino": UINO,
    "english_name": "ETHANOOOO HUNT",
    "answers": {
        "held": gold_card.HELD_EXPIRED,
        "has_uino": gold_card.YES,
        "uino": UINO,
        "birth_date": "1992/05/03",
        "in_taiwan": gold_card.IN_TAIWAN,
        "entry_document": "visa_exempt",
        "roc_national": gold_card.NO,
    },
}


def add_account(client: TestClient, username: str) -> None:
    body = {"username": username, "password": PASSWORD, "role": "self", "display_name": "ETHAN"}
    assert client.post("/__mock__/accounts", json=body).status_code == 201


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


def returned_case(
    client: TestClient, username: str = "ethan", comments: dict[str, str] | None = None
) -> str:
    """A submitted Gold Card case the officer sent back with ``comments``."""
    body = {"username": username, "status": "已送件", "data": APPLICATION}
    created = client.post("/__mock__/cases", json=body)
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    review = client.post(
        f"/__mock__/cases/{number}/review",
        json={"action": "supplement", "comments": comments or COMMENTS},
    )
    assert review.status_code == 200, review.text
    assert review.json()["status"] == "初審資料補正"
    return str(number)


def case_of(client: TestClient, number: str) -> dict[str, Any]:
    cases = client.get("/__mock__/cases").json()["cases"]
    return next(case for case in cases if case["number"] == number)


def statuses(client: TestClient, number: str) -> list[str]:
    return [event["status"] for event in case_of(client, number)["history"]]


def form_values(page: str) -> dict[str, str]:
    """What the browser would send back: named inputs, selected options, the reply."""
    values = {
        name: html_lib.unescape(value)
        for name, value in re.findall(
            r'<input id="[^"]+" name="([^"]+)"[^>]*?value="([^"]*)"', page
        )
    }
    for name, body in re.findall(
        r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = html_lib.unescape(chosen.group(1)) if chosen else ""
    round_ = re.search(r'name="round" value="([^"]*)"', page)
    assert round_, "no round in the form"
    values["round"] = html_lib.unescape(round_.group(1))
    return values


def open_form(client: TestClient, number: str) -> dict[str, str]:
    page = client.get(f"{SUPPLEMENTS}/{number}/form")
    assert page.status_code == 200, page.text
    return form_values(page.text)


def upload(client: TestClient, field: str, path: Path):
    return client.post(
        f"{SUPPLEMENTS}/uploads",
        data={"field": field},
        files={"file": (path.name, path.read_bytes())},
        headers=JSON,
    )


def upload_token(client: TestClient, field: str, path: Path) -> str:
    response = upload(client, field, path)
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def send(client: TestClient, number: str, data: dict[str, Any]):
    return client.post(f"{SUPPLEMENTS}/{number}/form", data=data, follow_redirects=False)


def error_summary(page: str) -> list[str]:
    block = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    assert block, "no error summary"
    return [
        html_lib.unescape(item)
        for item in re.findall(r'<a href="#[^"]+">([^<]+)</a>', block.group(0))
    ]


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        test_client.app.state.clock.set(START)
        add_account(test_client, "ethan")
        log_in(test_client, "ethan")
        yield test_client


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("supplement-files")
    salary = sample_files.make_document_pdf(
        folder / "salary_2025.pdf", title="Salary certificate", lines=["Employee: ETHAN HUNT"]
    )
    return {
        "salary": salary,
        "photo": sample_files.make_photo(folder / "photo.jpg"),
        "encrypted": sample_files.make_encrypted_pdf(folder / "locked.pdf"),
        "oversize": sample_files.make_oversize_jpeg(folder / "big.jpg"),
    }


# --- 列表 and 詳細 ------------------------------------------------------------------------


def test_the_list_shows_returned_cases_with_the_tutorials_columns(client):
    number = returned_case(client)
    paying = client.post("/__mock__/cases", json={"username": "ethan", "data": APPLICATION})
    page = client.get(SUPPLEMENTS)
    assert page.status_code == 200
    assert "補正(件) - 列表" in page.text
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page.text)
    assert headers == ["項次", "申請名稱", "申請人", "申辦項目", "申請事由", "申請日期", "操作"]
    row = re.search(rf'<tr data-case="{number}">(.*?)</tr>', page.text, re.S)
    assert row, "the returned case is not listed"
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    assert cells[:6] == [
        "1", "ETHANOOOO HUNT", "ETHANOOOO HUNT", "外國(特定)專業人才 - 就業金卡 (重新申請)",
        "就業金卡", "2026/03/02",
    ]  # fmt: skip
    assert "檢視" in cells[6]
    assert paying.json()["number"] not in page.text  # 待繳費: nothing to supplement


def test_the_list_is_empty_for_an_account_without_returned_cases(client):
    assert "目前沒有需要補正的案件。" in client.get(SUPPLEMENTS).text


def test_the_detail_shows_the_case_and_its_deadline(client):
    number = returned_case(client)
    page = client.get(f"{SUPPLEMENTS}/{number}")
    assert page.status_code == 200
    text = page.text
    for label in (
        "補正(件) - 詳細",
        "基本資料",
        "案件資料",
        "申請人",
        "統一證號",
        "領證方式",
        "補正期限",
    ):
        assert label in text, label
    assert UINO in text and number in text
    assert "<td>初審資料補正</td>" in text
    assert "請於 2026/04/01 前完成補正" in text  # 30 days
    assert "2026/09/02" in text  # six months for documents from abroad
    assert f'href="{SUPPLEMENTS}/{number}/form">補正</a>' in text


# --- the seven tabs ------------------------------------------------------------------------


def test_the_tabs_are_the_reviewed_ones_and_the_reply():
    assert [tab.label for tab in rules.TABS] == [*REVIEW_TABS, "完成送出"]


def test_each_tab_shows_its_own_comment_and_the_values_of_the_case(client):
    number = returned_case(client)
    page = client.get(f"{SUPPLEMENTS}/{number}/form").text
    assert "補正(件) - 申請人資料補正" in page
    for tab in rules.TABS:
        assert f">{tab.label}</button>" in page, tab.label
    panels = dict(
        re.findall(r'id="panel-(\w+)".*?<p class="comment-text"[^>]*>(.*?)</p>', page, re.S)
    )
    assert panels["basic"] == COMMENTS["基本資料"]
    assert panels["documents"] == COMMENTS["文件上傳"]
    for key in ("passport", "visa", "residence", "expertise"):
        assert panels[key] == "無", key
    assert COMMENTS["基本資料"] in panels["submit"] and COMMENTS["文件上傳"] in panels["submit"]
    values = form_values(page)
    assert values["english_given_name"] == "ETHANOOOO"
    assert values["passport_number"] == "TR1234567"
    assert values["residence_district"] == "中正區"
    assert values["visa_channel"] == rules.VISA_IN_TAIWAN  # in Taiwan: shown at a station
    assert "文件由國外寄送(補正期限為6個月)" in page
    assert "為加速審核時間，請以中文輸入回覆意見。" in page
    assert 'placeholder="請輸入給審核人員的意見"' in page
    assert "上傳的文件請勿加密" in page


# --- 送出 -----------------------------------------------------------------------------------


def test_a_supplement_is_kept_with_the_case_and_moves_it_once(client, files):
    number = returned_case(client)
    data = open_form(client, number)
    token = upload_token(client, "qualification_proof", files["salary"])
    data.update(english_given_name="ETHAN", reply="已依護照更正英文名字，並補附薪資證明。",
                qualification_proof_token=token)  # fmt: skip
    response = send(client, number, data)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{SUPPLEMENTS}/{number}/complete"
    done = client.get(response.headers["location"]).text
    assert "補正完成" in done and "提交後就不能再更改資料或補送文件" in done
    assert "salary_2025.pdf" in done and "ETHANOOOO" in done

    case = case_of(client, number)
    assert case["status"] == "補正完成"
    assert statuses(client, number) == ["已送件", "審核中", "初審資料補正", "補正完成"]
    assert case["history"][-1]["actor"] == "applicant"
    assert case["data"]["english_given_name"] == "ETHAN"
    assert case["data"]["english_name"] == "ETHAN HUNT"
    assert case["data"]["answers"] == APPLICATION["answers"]  # untouched by the form
    sent = case["review"]["supplement"]
    assert sent["before"] == {"english_given_name": "ETHANOOOO"}
    assert sent["after"] == {"english_given_name": "ETHAN"}
    assert sent["files"] == {"qualification_proof": ["salary_2025.pdf"]}
    assert sent["abroad"] is False and sent["deadline"] == "2026/04/01"
    assert case["review"]["reply"] == "已依護照更正英文名字，並補附薪資證明。"
    assert case["review"]["comments"] == COMMENTS  # the officer's words stay
    assert case["files"] == {"qualification_proof": "salary_2025.pdf"}
    mails = client.get("/__mock__/mail").json()["messages"]
    assert mails[-1]["subject"].endswith("案件狀態：補正完成")


def test_sending_the_same_supplement_again_lands_on_the_same_completion(client):
    number = returned_case(client)
    data = {**open_form(client, number), "reply": "已更正。"}
    assert send(client, number, data).status_code == 303
    again = send(client, number, {**data, "english_surname": "CHANGED"})
    assert again.status_code == 303
    assert again.headers["location"] == f"{SUPPLEMENTS}/{number}/complete?again=1"
    assert "本次送出未再更改任何資料" in client.get(again.headers["location"]).text
    assert statuses(client, number).count("補正完成") == 1
    assert case_of(client, number)["data"]["english_surname"] == "HUNT"


def test_after_sending_the_form_is_read_only_and_refuses_changes(client):
    number = returned_case(client)
    data = {**open_form(client, number), "reply": "已更正。"}
    send(client, number, data)
    page = client.get(f"{SUPPLEMENTS}/{number}/form").text
    assert '<fieldset class="questions" disabled>' in page
    assert "data-submit>送出</button>" not in page
    assert "提交後就不能再更改資料或補送文件" in page
    refused = send(client, number, {**data, "round": "another"})
    assert refused.status_code == 409
    assert "本案已送出補正（補正完成）" in refused.text
    detail = client.get(f"{SUPPLEMENTS}/{number}").text
    assert f'href="{SUPPLEMENTS}/{number}/form">檢視</a>' in detail
    listed = client.get(SUPPLEMENTS).text
    assert number in listed and "補正完成" in listed


def test_a_missing_reply_is_named_and_nothing_is_saved(client, files):
    number = returned_case(client)
    token = upload_token(client, "other", files["salary"])
    data = {**open_form(client, number), "english_given_name": "ETHAN", "other_token": token}
    response = send(client, number, data)
    assert response.status_code == 422
    assert error_summary(response.text) == [
        "「完成送出」審核意見回覆：此欄位為必填，請填寫審核意見回覆"
    ]
    assert 'data-initial-tab="submit"' in response.text
    assert 'value="ETHAN"' in response.text  # the input is kept on the page
    assert f'value="{token}"' in response.text  # and so is the chosen file
    case = case_of(client, number)
    assert case["status"] == "初審資料補正"
    assert case["data"]["english_given_name"] == "ETHANOOOO"
    assert "supplement" not in case["review"] and case["files"] == {}


def test_field_errors_name_their_tab_and_field(client):
    number = returned_case(client)
    data = {**open_form(client, number), "english_surname": "", "mobile": "12345",
            "visa_channel": rules.VISA_ABROAD, "visa_mission": "", "reply": "ok"}  # fmt: skip
    response = send(client, number, data)
    assert response.status_code == 422
    assert error_summary(response.text) == [
        "「基本資料」英文姓氏：此欄位為必填，請填寫英文姓氏",
        "「居留申請」在臺聯絡手機號碼：請填寫 09 開頭的 10 位數字（例如 0912345678）",
        "「簽證申請(繳驗護照)」駐外館處(國外繳驗者填寫)：選擇國外繳驗護照者，請填寫駐外館處",
    ]
    assert statuses(client, number)[-1] == "初審資料補正"


def test_a_sixth_file_in_one_field_is_refused_by_name(client, files):
    number = returned_case(client)
    tokens = [upload_token(client, "other", files["salary"]) for _ in range(6)]
    data = {**open_form(client, number), "reply": "補附文件。", "other_token": tokens}
    response = send(client, number, data)
    assert response.status_code == 422
    assert error_summary(response.text) == [
        "「文件上傳」其他相關證明文件(無則免)：最多上傳 5 個檔案"
    ]
    assert case_of(client, number)["files"] == {}
    data["other_token"] = tokens[:5]
    assert send(client, number, data).status_code == 303
    with client.app.state.sessions() as db:
        kept = db.scalars(select(Upload).where(Upload.case_id.is_not(None))).all()
        assert len(kept) == 5


def test_someone_elses_upload_token_is_ignored(client, files):
    number = returned_case(client)
    other = BrowserClient(client.app)
    add_account(client, "mallory")
    log_in(other, "mallory")
    theirs = other.post(
        f"{SUPPLEMENTS}/uploads", data={"field": "other"},
        files={"file": ("x.pdf", files["salary"].read_bytes())}, headers=JSON,
    ).json()["token"]  # fmt: skip
    data = {**open_form(client, number), "reply": "ok", "other_token": theirs}
    assert send(client, number, data).status_code == 303
    assert case_of(client, number)["files"] == {}


# --- uploads --------------------------------------------------------------------------------


def test_an_encrypted_pdf_is_refused_naming_the_field(client, files):
    response = upload(client, "qualification_proof", files["encrypted"])
    assert response.status_code == 422
    assert response.json()["message"] == (
        "資格證明文件：檔案已加密（設有密碼保護），審核人員無法開啟，請上傳未加密的檔案"
    )
    with client.app.state.sessions() as db:
        assert db.scalars(select(Upload)).all() == []


def test_the_upload_rule_refuses_encryption_but_keeps_plain_pdfs(files):
    with pytest.raises(uploads.UploadRejected, match="^護照：檔案已加密"):
        uploads.validate("護照", "locked.pdf", files["encrypted"].read_bytes(), limit_kb=1024)
    assert uploads.validate("護照", "a.pdf", files["salary"].read_bytes(), limit_kb=1024) == "PDF"
    assert not uploads.is_encrypted_pdf(files["salary"].read_bytes())


def test_an_oversize_file_is_refused_naming_the_field(client, files):
    response = upload(client, "other", files["oversize"])
    assert response.status_code == 422
    assert response.json()["message"].startswith("其他相關證明文件(無則免)：檔案大小為")


# --- deadlines ------------------------------------------------------------------------------


def test_after_thirty_days_only_documents_from_abroad_are_accepted(client):
    number = returned_case(client)
    client.app.state.clock.advance(timedelta(days=31))
    log_in(client, "ethan")  # a login lasts 30 minutes
    detail = client.get(f"{SUPPLEMENTS}/{number}").text
    assert "30日補正期限已於 2026/04/01 屆滿" in detail
    data = {**open_form(client, number), "reply": "文件由國外寄送。"}
    refused = send(client, number, data)
    assert refused.status_code == 422
    assert error_summary(refused.text) == [
        "「文件上傳」補正期限：30日補正期限已於 2026/04/01 屆滿；所需文件由國外寄送者，"
        "請於「文件上傳」頁籤勾選「文件由國外寄送(補正期限為6個月)」，期限至 2026/09/02。"
    ]
    assert statuses(client, number)[-1] == "初審資料補正"
    assert send(client, number, {**data, "abroad": "yes"}).status_code == 303
    sent = case_of(client, number)["review"]["supplement"]
    assert sent["abroad"] is True and sent["deadline"] == "2026/09/02"


def test_after_six_months_nothing_can_be_sent(client):
    number = returned_case(client)
    data = {**open_form(client, number), "reply": "太晚了。", "abroad": "yes"}
    client.app.state.clock.advance(timedelta(days=185))
    log_in(client, "ethan")
    detail = client.get(f"{SUPPLEMENTS}/{number}").text
    assert "補正期限已於 2026/09/02 屆滿" in detail
    assert ">補正</a>" not in detail
    page = client.get(f"{SUPPLEMENTS}/{number}/form").text
    assert '<fieldset class="questions" disabled>' in page
    refused = send(client, number, data)
    assert refused.status_code == 409
    assert (
        "補正期限已於 2026/09/02 屆滿（收到通知後6個月），已無法再補正資料或補送文件。"
        in refused.text
    )
    assert statuses(client, number)[-1] == "初審資料補正"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(date(2026, 3, 2), 6, date(2026, 9, 2)), (date(2025, 8, 31), 6, date(2026, 2, 28)),
     (date(2026, 10, 15), 6, date(2027, 4, 15))],
)  # fmt: skip
def test_six_months_end_on_the_same_day_or_the_months_last(day, months, expected):
    assert rules.add_months(day, months) == expected


# --- whose case -----------------------------------------------------------------------------


def test_another_accounts_case_is_not_found(client):
    add_account(client, "mallory")
    theirs = returned_case(client, "mallory")
    for path in ("", "/form", "/complete"):
        response = client.get(f"{SUPPLEMENTS}/{theirs}{path}")
        assert response.status_code == 404, path
        assert "找不到需要補正的案件" in response.text
    assert send(client, theirs, {"round": "x", "reply": "x"}).status_code == 404
    assert theirs not in client.get(SUPPLEMENTS).text
    assert statuses(client, theirs)[-1] == "初審資料補正"


def test_a_case_that_was_not_returned_is_not_found(client):
    created = client.post(
        "/__mock__/cases", json={"username": "ethan", "status": "已送件", "data": APPLICATION}
    )
    number = created.json()["number"]
    assert client.get(f"{SUPPLEMENTS}/{number}").status_code == 404


def test_a_form_from_before_a_new_request_is_refused(client):
    number = returned_case(client)
    data = {**open_form(client, number), "reply": "已更正。"}
    assert send(client, number, data).status_code == 303
    client.app.state.clock.advance(timedelta(minutes=1))
    again = client.post(f"/__mock__/cases/{number}/review",
                        json={"action": "supplement", "comments": {"護照資料": "護照效期請更正"}})  # fmt: skip
    assert again.status_code == 200, again.text
    stale = send(client, number, data)
    assert stale.status_code == 409
    assert "審核人員已更新補正事項" in stale.text
    fresh = open_form(client, number)
    assert send(client, number, {**fresh, "reply": "已更正護照效期。"}).status_code == 303
    assert statuses(client, number).count("補正完成") == 2


def test_the_pages_need_a_gold_card_login(tmp_path):
    with make_client(tmp_path) as anonymous:
        response = anonymous.get(SUPPLEMENTS, follow_redirects=False)
        assert response.status_code == 303
        assert "system=gold-card" in response.headers["location"]
