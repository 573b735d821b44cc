"""Every typed field and every id in an address, against hostile input, over HTTP.

The routes are the real ones, in-process (no browser). One app serves the module: a
refused form stores nothing, so each test opens its own visitor session on it and
compares what the form would store (through the control API, or the drafts table the
control API does not list) before and after. Refusals must name their field (the
message starts with its label, after the tab's 「…」 on the tabbed forms), show nothing
of the refused value back, and never be a 500.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fixtures import sample_files
from fixtures.uino import create_uino
from mock_platform.forms_io import UNREADABLE
from mock_platform.models import Draft
from mock_platform.routers.payment import NOT_A_CASE
from mock_platform.rules import expertise, gold_card
from tests.mock_client import BrowserClient, captcha_answer, make_client, officer_login

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
PASSWORD = "Secret123"
LOGIN = "/coa-frontend/four-in-one/login"
APPLY = "/coa-frontend/gold-card/apply"
CHANGE = "/coa-frontend/gold-card/change"
OTHER = "/coa-frontend/other-reason/apply"
SUPPLEMENTS = "/coa-frontend/gold-card/supplements"
STUDENT_LOGIN = "/coa-frontend/foreign-student/individual/login"
REGISTER = "/coa-frontend/foreign-student/individual/register"
RESEND = "/coa-frontend/foreign-student/individual/resend-verification"
FORGOT = "/coa-frontend/foreign-student/individual/forgot-password"
EXTENSION = "/coa-frontend/foreign-student/extension"
GATEWAY_CARD = {"card_number": "4111 1111 1111 1111", "expiry": "12/39", "cvc": "123"}
COMPANY = "22099131"  # a 統一編號 whose check digit is right


def _uino(seed: int) -> str:
    return create_uino(rng=random.Random(seed))


BIRTH = "1992/05/03"
GOLD_UINO = _uino(101)  # a card that expired: may re-apply
CHANGE_UINO = _uino(102)  # a valid card: may change its data
OTHER_UINO = _uino(103)  # a valid card: may ask for the other-reason permit
ACCEPT_UINO = _uino(104)  # the same, for the one test that files a case
STUDENT_UINO = _uino(105)
CARD_DATA = {
    "english_surname": "HUNT", "english_given_name": "ETHAN", "occupation": "軟體工程師",
    "education": "碩士", "marital_status": "未婚", "birth_country": "日本", "birth_city": "Tokyo",
    "home_address": "1 Main Street", "home_phone": "+1-555-0100", "collect_office": "臺北市服務站",
    "residence_city": "臺北市", "residence_district": "中正區", "residence_street": "忠孝東路一段",
    "residence_number": "10", "expertise_field": "經濟領域",
    "qualification": expertise.QUALIFICATIONS["經濟領域"][0], "job_title": "經理",
}  # fmt: skip
QUESTIONS = {
    "agree": "yes", "held": gold_card.HELD_EXPIRED, "has_uino": gold_card.YES, "uino": GOLD_UINO,
    "birth_date": BIRTH, "in_taiwan": gold_card.IN_TAIWAN, "entry_document": "visa_exempt",
    "roc_national": gold_card.NO,
}  # fmt: skip
GOLD_FORM = {
    "english_surname": "HUNT", "english_given_name": "JAMES", "gender": "男", "nationality": "日本",
    "occupation": "私校教職", "education": "專科", "marital_status": "離婚",
    "email": "james.hunt@example.com", "birth_country": "日本", "birth_city": "Tokyo",
    "home_address": "1-2-3 Chiyoda", "home_phone": "+81-3-1234-5678",
    "passport_kind": "普通護照", "passport_number": "TR1234567", "passport_issued": "2020/10/01",
    "passport_expiry": "2030/10/01", "passport_authority": "MINISTRY OF FOREIGN AFFAIRS",
    "entry_date": "2026/02/01", "years": "3年", "collect_office": "臺北市服務站",
    "mobile": "0911222333", "residence_city": "臺北市", "residence_district": "中正區",
    "residence_street": "忠孝東路一段", "residence_number": "10",
    "expertise_field": "經濟領域", "qualification": expertise.QUALIFICATIONS["經濟領域"][0],
    "job_title": "總監",
}  # fmt: skip
OTHER_FORM = {
    "english_name": "G. GREENING", "chinese_name": "", "nationality": "日本", "gender": "男",
    "passport_number": "TR1234567", "passport_expiry": "2030/08/08", "birth_country": "日本",
    "occupation": "軟體工程師", "marital_status": "未婚", "education": "碩士",
    "landline": "02-23889393", "mobile": "0912345678", "email": "greening@example.com",
    "collect_method": "自取(在臺灣領證)", "collect_office": "臺北市服務站",
    "residence_city": "臺北市", "residence_district": "中正區", "residence_street": "忠孝東路一段",
    "residence_number": "10",
}  # fmt: skip
REGISTRATION = {
    "chinese_name": "阮氏花", "surname": "NGUYEN", "given_name": "THI HOA", "nationality": "越南",
    "birth_date": "2002/03/04", "gender": "女", "passport_number": "C1234567",
    "phone": "0912-345-678", "extension": "", "email": "hoa@student.example.edu.tw",
    "username": "hoa2024", "password": "study123pw", "password_confirm": "study123pw",
}  # fmt: skip
STUDENT_FORM = {
    "permit_years": "1年", "english_name": "NGUYEN THI LAN", "gender": "女",
    "passport_number": "C1234567", "passport_expiry": "2030/01/01", "nationality": "越南",
    "education": "高中職", "grade": "二年級", "marital_status": "未婚",
    "residence_city": "高雄市", "residence_district": "鳥松區", "residence_street": "澄清路",
    "residence_number": "840", "email": "lan@student.example.edu.tw", "contact_name": "楊老師",
    "contact_phone": "07-7358800*2253", "contact_nationality": "中華民國",
    "collect_method": "本人臨櫃領取", "collect_office": "高雄市第一服務站(三多路)",
}  # fmt: skip
SUPPLEMENT_DATA = {
    **{key: value for key, value in GOLD_FORM.items() if key != "english_given_name"},
    "english_given_name": "ETHAN", "chinese_name": "杭特", "birth_date": BIRTH,
    "uino": GOLD_UINO, "english_name": "ETHAN HUNT",
    "answers": {key: value for key, value in QUESTIONS.items() if key != "agree"},
}  # fmt: skip

BAD_EMAILS = ["<svg/onload=alert(1)>@example.com", "a@example..com", ".a@example.com",
              "a@-example.com"]  # fmt: skip
EXTENSION_B_NAMES = ["𠀀𪚥", "陳𪚥"]  # U+20000 and U+2A6A5: real names' characters
FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


# ---------------------------------------------------------------- the app and its browsers


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> TestClient:
    """The module's app, through the control API: accounts, holders, a student on file."""
    with make_client(tmp_path_factory.mktemp("field-layer")) as client:
        client.app.state.clock.set(START)
        for body in (
            {"username": "alice", "password": PASSWORD},
            {"username": "acme", "password": PASSWORD, "role": "employer", "company_id": COMPANY},
            {"system": "student", "username": "lan2024", "password": PASSWORD},
        ):
            assert client.post("/__mock__/accounts", json=body).status_code == 201
        holders = (
            (GOLD_UINO, "2025-12-31", {"expertise_field": "經濟領域"}),
            (CHANGE_UINO, "2027-06-30", CARD_DATA),
            (OTHER_UINO, "2027-06-30", {}),
            (ACCEPT_UINO, "2027-06-30", {}),
        )
        for number, expiry, extra in holders:
            body = {"uino": number, "birth_date": BIRTH.replace("/", "-"), "card_expiry": expiry,
                    "english_name": "HUNT, ETHAN", "chinese_name": "杭特",
                    "passport_expiry": "2031-01-01", "email": "ethan@example.com",
                    "phone": "0912345678", "extra": extra}  # fmt: skip
            assert client.post("/__mock__/cardholders", json=body).status_code == 201
        student = {
            "uino": STUDENT_UINO, "passport_number": "C1234567", "english_name": "NGUYEN THI LAN",
            "birth_date": "2003-05-04", "gender": "女", "nationality": "越南",
            "passport_expiry": "2030-01-01", "permit_expiry": "2026-06-30",
            "school": "正修科技大學", "programme": "產學合作專班",
            "address": {"city": "高雄市", "district": "鳥松區", "street": "澄清路", "number": "840"},
            "contact": {"name": "楊老師", "phone": "07-7358800*2253", "nationality": "中華民國"},
        }  # fmt: skip
        assert client.post("/__mock__/students", json=student).status_code == 201
        yield client


@pytest.fixture
def visitor(control) -> TestClient:
    """A visitor of its own (its own session cookie) on the module's app."""
    return BrowserClient(control.app)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("field-layer-files")
    return {
        "photo": sample_files.make_photo(folder / "photo.jpg"),
        "pdf": sample_files.make_passport_pdf(folder / "passport.pdf", applicant_name="HUNT"),
        "png": sample_files.make_permit_png(folder / "permit.png"),
    }


# ---------------------------------------------------------------- helpers


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def multipart(data: dict[str, Any]) -> tuple[bytes, str]:
    """``data`` as a multipart/form-data body (every value a text part) and its type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'
        for name, value in data.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    body = "".join(parts) + f"--{boundary}--\r\n"
    return body.encode(), f"multipart/form-data; boundary={boundary}"


def post(visitor: TestClient, url: str, data: dict[str, Any], *, encoding: str = "urlencoded"):
    if encoding == "multipart":
        body, content_type = multipart(data)
        return visitor.post(url, content=body, headers={"content-type": content_type})
    return visitor.post(url, data=data, follow_redirects=False)


def gold_card_login(visitor: TestClient, username: str = "alice") -> None:
    assert visitor.get(f"{LOGIN}?system=gold-card&role=self").status_code == 200
    response = visitor.post(
        LOGIN,
        data={"username": username, "password": PASSWORD, "captcha": captcha_answer(visitor),
              "system": "gold-card", "role": "self"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text


def other_reason_login(visitor: TestClient) -> None:
    assert visitor.get(f"{LOGIN}?system=other-reason").status_code == 200
    response = visitor.post(
        LOGIN,
        data={"username": "alice", "password": PASSWORD, "captcha": captcha_answer(visitor),
              "system": "other-reason"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text


def student_login(visitor: TestClient) -> None:
    assert visitor.get(STUDENT_LOGIN).status_code == 200
    response = visitor.post(
        STUDENT_LOGIN,
        data={"username": "lan2024", "password": PASSWORD, "captcha": captcha_answer(visitor)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def officer_browser(app: FastAPI) -> TestClient:
    officer = BrowserClient(app)
    response = officer_login(officer, username="officer", password="Officer1234")
    assert response.status_code == 303, response.text
    return officer


def cases(visitor: TestClient) -> str:
    """Every case as the control API shows it: number, status, review and data."""
    rows = visitor.get("/__mock__/cases").json()["cases"]
    return json.dumps(
        [(row["number"], row["status"], row["review"], row["data"]) for row in rows],
        ensure_ascii=False,
        sort_keys=True,
    )


def drafts(visitor: TestClient) -> int:
    with visitor.app.state.sessions() as db:  # type: ignore[attr-defined]
        return int(db.scalar(select(func.count(Draft.id))) or 0)


def account(visitor: TestClient, username: str) -> tuple[int, str]:
    response = visitor.get(f"/__mock__/accounts/{username}")
    return response.status_code, response.text


def mail_count(visitor: TestClient) -> int:
    return len(visitor.get("/__mock__/mail").json()["messages"])


def new_case(visitor: TestClient, **body: Any) -> str:
    response = visitor.post("/__mock__/cases", json={"username": "alice", **body})
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


def input_values(html: str) -> dict[str, str]:
    """What the visitor would send back: every named input and selected option."""
    values = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input id="[^"]+" name="([^"]+)"[^>]*?value="([^"]*)"', html
        )
    }
    for name, body in re.findall(
        r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = unescape(chosen.group(1)) if chosen else ""
    for name in ("form_token", "round"):
        hidden = re.search(rf'name="{name}" value="([^"]*)"', html)
        if hidden:
            values[name] = unescape(hidden.group(1))
    return values


def stage(visitor: TestClient, url: str, field: str, path: Path) -> str:
    response = visitor.post(
        url, data={"field": field}, files={"file": (path.name, path.read_bytes())},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


# ---------------------------------------------------------------- the forms


Opened = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Form:
    """One form, opened in a visitor: where it posts, a valid filling, the field abused
    by the tests, the label its messages start with, and what the form would store."""

    name: str
    open: Callable[[TestClient], Opened]
    field: str
    label: str
    limit: int
    stored: Callable[[TestClient], object]
    status: int = 422

    def __str__(self) -> str:
        return self.name


def _four_in_one_login(visitor: TestClient) -> Opened:
    assert visitor.get(f"{LOGIN}?system=gold-card&role=self").status_code == 200
    data = {"username": "alice", "password": PASSWORD, "captcha": captcha_answer(visitor),
            "system": "gold-card", "role": "self"}  # fmt: skip
    return LOGIN, data


def _employer_login(visitor: TestClient) -> Opened:
    assert visitor.get(f"{LOGIN}?system=gold-card&role=employer").status_code == 200
    data = {"username": "acme", "password": PASSWORD, "captcha": captcha_answer(visitor),
            "system": "gold-card", "role": "employer", "company_id": COMPANY}  # fmt: skip
    return LOGIN, data


def _logged_in(account_name: str, home: str) -> Callable[[TestClient], object]:
    def stored(visitor: TestClient) -> object:
        return account(visitor, account_name), visitor.get(home).status_code

    return stored


def _student_login(visitor: TestClient) -> Opened:
    assert visitor.get(STUDENT_LOGIN).status_code == 200
    data = {"username": "lan2024", "password": PASSWORD, "captcha": captcha_answer(visitor)}
    return STUDENT_LOGIN, data


def _registration(visitor: TestClient) -> Opened:
    return REGISTER, dict(REGISTRATION)


def _lookup(url: str) -> Callable[[TestClient], Opened]:
    def opened(visitor: TestClient) -> Opened:
        return url, {"username": "nobody24", "email": "nobody@example.com"}

    return opened


def _other_query(visitor: TestClient) -> Opened:
    other_reason_login(visitor)
    assert post(visitor, f"{OTHER}/consent", {"agree": "yes"}).status_code == 303
    return f"{OTHER}/query", {"uino": OTHER_UINO, "birth_date": BIRTH}


def _other_form(visitor: TestClient) -> Opened:
    url, data = _other_query(visitor)
    assert post(visitor, url, data).status_code == 303
    token = input_values(visitor.get(f"{OTHER}/form").text)["form_token"]
    return f"{OTHER}/submit", {**OTHER_FORM, "form_token": token}


def _questions(visitor: TestClient) -> Opened:
    gold_card_login(visitor)
    return f"{APPLY}/questions", dict(QUESTIONS)


def _eligibility(visitor: TestClient) -> Opened:
    gold_card_login(visitor)
    return f"{APPLY}/eligibility", {"uino": GOLD_UINO, "birth_date": BIRTH}


def _gold_form(visitor: TestClient) -> Opened:
    url, data = _questions(visitor)
    assert post(visitor, url, data).status_code == 303
    assert post(visitor, f"{APPLY}/consent", {"agree": "yes"}).status_code == 303
    return f"{APPLY}/save", dict(GOLD_FORM)


def _change_query(visitor: TestClient) -> Opened:
    gold_card_login(visitor)
    assert post(visitor, f"{CHANGE}/consent", {"agree": "yes"}).status_code == 303
    return f"{CHANGE}/query", {"uino": CHANGE_UINO, "birth_date": BIRTH}


def _change_form(visitor: TestClient) -> Opened:
    url, data = _change_query(visitor)
    assert post(visitor, url, data).status_code == 303
    return f"{CHANGE}/submit", input_values(visitor.get(f"{CHANGE}/form").text)


def _supplement(visitor: TestClient) -> Opened:
    gold_card_login(visitor)
    number = new_case(visitor, status="已送件", data=SUPPLEMENT_DATA)
    review = visitor.post(
        f"/__mock__/cases/{number}/review",
        json={"action": "supplement", "comments": {"基本資料": "請依護照更正英文名字。"}},
    )
    assert review.status_code == 200, review.text
    page = visitor.get(f"{SUPPLEMENTS}/{number}/form")
    assert page.status_code == 200, page.text
    return f"{SUPPLEMENTS}/{number}/form", {**input_values(page.text), "reply": "已依護照更正。"}


def _officer_action(action: str, data: dict[str, str]) -> Callable[[TestClient], Opened]:
    def opened(visitor: TestClient) -> Opened:
        number = new_case(visitor, status="已送件")
        officer = officer_browser(visitor.app)  # type: ignore[arg-type]
        # The officer's session cookie in this visitor: the test posts as the officer.
        visitor.cookies = officer.cookies
        return f"/officer/cases/{number}/{action}", dict(data)

    return opened


def _gateway(visitor: TestClient) -> Opened:
    gold_card_login(visitor)
    number = new_case(visitor, fee=5300)
    root = "/coa-frontend/gold-card/payment"
    chosen = post(visitor, root, {"cases": [number]})
    assert chosen.status_code == 303, chosen.text
    assert post(visitor, f"{root}/detail", {}).status_code == 303
    started = post(visitor, f"{root}/methods", {"method": "intl-card"})
    assert started.status_code == 303, started.text
    return f"{started.headers['location']}/pay", dict(GATEWAY_CARD)


def _extension_start(visitor: TestClient) -> Opened:
    student_login(visitor)
    return f"{EXTENSION}/new", {"arc": STUDENT_UINO, "programme": "產學合作專班",
                                "reason": "在學延期"}  # fmt: skip


def _extension_form(visitor: TestClient) -> Opened:
    url, data = _extension_start(visitor)
    assert post(visitor, url, data).status_code == 303
    token = input_values(visitor.get(f"{EXTENSION}/form").text)["form_token"]
    return f"{EXTENSION}/submit", {**STUDENT_FORM, "form_token": token}


def _page_status(path: str) -> Callable[[TestClient], object]:
    """A flow's next page: it stays closed (a redirect back) while nothing was accepted."""
    return lambda visitor: visitor.get(path, follow_redirects=False).status_code


FORMS: list[Form] = [
    Form("login", _four_in_one_login, "username", "帳號", 64,
         _logged_in("alice", "/coa-frontend/gold-card/home")),
    Form("employer-login", _employer_login, "company_id", "統一編號", 30,
         _logged_in("acme", "/coa-frontend/gold-card/home")),
    Form("student-login", _student_login, "password", "密碼", 64,
         _logged_in("lan2024", "/coa-frontend/foreign-student/home")),
    Form("registration", _registration, "surname", "英文姓氏", 40,
         lambda visitor: account(visitor, "hoa2024")),
    Form("registration-password", _registration, "password", "登入密碼", 64,
         lambda visitor: account(visitor, "hoa2024")),
    Form("resend-verification", _lookup(RESEND), "email", "電子郵件", 100, mail_count),
    Form("forgot-password", _lookup(FORGOT), "username", "登入帳號", 30, mail_count),
    Form("other-reason-query", _other_query, "birth_date", "出生日期(西元)", 10,
         _page_status(f"{OTHER}/form")),
    Form("other-reason-form", _other_form, "occupation", "現職", 100, cases),
    Form("gold-card-questions", _questions, "uino", "統一證號", 30, _page_status(f"{APPLY}/new")),
    Form("gold-card-eligibility", _eligibility, "birth_date", "出生日期", 10,
         lambda visitor: None, status=200),
    Form("gold-card-form", _gold_form, "home_address", "申請人母國地址", 200, drafts),
    Form("data-change-query", _change_query, "uino", "統一證號", 30, _page_status(f"{CHANGE}/form")),
    Form("data-change-form", _change_form, "email", "電子郵件", 254, cases),
    Form("supplement", _supplement, "reply", "審核意見回覆", 1000, cases),
    Form("officer-comments", _officer_action("supplement", {"comment-1": "請補件。"}),
         "comment-2", "審核意見「護照資料」", 1000, cases),
    Form("officer-reject", _officer_action("reject", {"reason": "資格不符。"}), "reason",
         "不予核准理由", 1000, cases),
    Form("gateway-card", _gateway, "card_number", "卡號", 30, cases),
    Form("student-extension-start", _extension_start, "arc", "居留證號", 30,
         _page_status(f"{EXTENSION}/form")),
    Form("student-extension-form", _extension_form, "grade", "就讀年級", 100, cases),
]  # fmt: skip
FORMS_BY_NAME = {form.name: form for form in FORMS}


def refused(visitor: TestClient, form: Form, value: str, *, encoding: str = "urlencoded") -> str:
    """Post ``value`` into the form's field: refused, nothing stored; the page's text."""
    url, data = form.open(visitor)
    before = form.stored(visitor)
    response = post(visitor, url, {**data, form.field: value}, encoding=encoding)
    assert response.status_code == form.status, response.text[:2000]
    assert form.stored(visitor) == before
    return text_of(response.text)


# ---------------------------------------------------------------- length


@pytest.mark.parametrize(
    ("size", "char", "encoding"),
    # Characters, not bytes, are counted: 字 is three bytes in UTF-8 (nine urlencoded).
    [(10_000, "字", "urlencoded"), (100_000, "x", "urlencoded"), (100_000, "字", "multipart")],
)
@pytest.mark.parametrize("form", FORMS, ids=str)
def test_a_value_far_over_its_limit_gets_its_fields_message(visitor, form, size, char, encoding):
    page = refused(visitor, form, char * size, encoding=encoding)
    assert f"{form.label}：最多 {form.limit} 個字，您輸入了 {size} 個字" in page
    assert char * 100 not in page  # nothing of it is shown back


def test_a_field_over_starlettes_1_mb_still_gets_its_fields_message(visitor):
    """Between Starlette's own limit per field (1 MB) and the mock's (2 MB)."""
    url, data = _four_in_one_login(visitor)
    body, content_type = multipart({**data, "username": "x" * 1_500_000})
    response = visitor.post(url, content=body, headers={"content-type": content_type})
    assert response.status_code == 422
    assert "帳號：最多 64 個字，您輸入了 1500000 個字" in text_of(response.text)


@pytest.mark.parametrize(
    "body",
    [
        lambda: multipart({"uino": "x" * 2_200_000}),  # a part over forms_io.MAX_PART_BYTES
        lambda: (b"--nothing-here\r\n", "multipart/form-data"),  # no boundary
    ],
    ids=["part-over-2-mb", "no-boundary"],
)
def test_a_body_that_cannot_be_read_is_refused_in_chinese(visitor, body):
    url, _ = _other_query(visitor)
    content, content_type = body()
    response = visitor.post(url, content=content, headers={"content-type": content_type})
    assert response.status_code == 400
    assert UNREADABLE in text_of(response.text)
    assert _page_status(f"{OTHER}/form")(visitor) == 303


# ---------------------------------------------------------------- invisible characters

SINGLE_LINE = ["login", "registration", "other-reason-form", "gold-card-questions",
               "gold-card-form", "gateway-card", "student-extension-form"]  # fmt: skip


@pytest.mark.parametrize(
    "char", ["\x00", "\x1b", "\r\n", "\u202e"], ids=["NUL", "ESC", "CRLF", "RLO"]
)
@pytest.mark.parametrize("name", SINGLE_LINE)
def test_an_invisible_character_in_a_single_line_field_is_refused(visitor, name, char):
    form = FORMS_BY_NAME[name]
    page = refused(visitor, form, f"A{char}B")
    assert f"{form.label}：含有無法顯示的控制字元，請重新輸入" in page


@pytest.mark.parametrize("name", ["supplement", "officer-comments", "officer-reject"])
def test_a_control_character_in_a_multi_line_field_is_refused(visitor, name):
    form = FORMS_BY_NAME[name]
    page = refused(visitor, form, "第一行\r\n第二\x00行")
    assert f"{form.label}：含有無法顯示的控制字元，請重新輸入" in page


def test_a_reply_keeps_its_line_breaks(visitor):
    url, data = _supplement(visitor)
    number = url.split("/")[-2]
    response = post(visitor, url, {**data, "reply": "已更正英文名字。\r\n薪資證明另寄。"})
    assert response.status_code == 303, text_of(response.text)
    [case] = [
        row for row in visitor.get("/__mock__/cases").json()["cases"] if row["number"] == number
    ]
    assert case["status"] == "補正完成"
    assert case["review"]["reply"] == "已更正英文名字。\n薪資證明另寄。"


@pytest.mark.parametrize(
    ("name", "field", "key"),
    [("officer-comments", "comment-2", "comments"), ("officer-reject", "reason", "rejection")],
)
def test_an_officers_text_keeps_its_line_breaks(visitor, name, field, key):
    url, data = FORMS_BY_NAME[name].open(visitor)
    number = url.split("/")[-2]
    response = post(visitor, url, {**data, field: "第一點。\r\n第二點。"})
    assert response.status_code == 303, text_of(response.text)
    [case] = [
        row for row in visitor.get("/__mock__/cases").json()["cases"] if row["number"] == number
    ]
    kept = case["review"][key]
    assert (kept["護照資料"] if key == "comments" else kept) == "第一點。\n第二點。"


# ---------------------------------------------------------------- digits


DIGIT_CASES = [
    ("registration", "phone", "0912345678".translate(FULL_WIDTH), "聯絡電話：請填寫7至20個字的電話號碼"),
    ("registration", "phone", "0912345678".translate(ARABIC_INDIC), "聯絡電話：請填寫7至20個字的電話號碼"),
    ("registration", "extension", "123".translate(FULL_WIDTH), "分機號碼：只能填寫數字"),
    ("registration", "birth_date", "2002/03/04".translate(FULL_WIDTH), "出生日期(西元)：請依 YYYY/MM/DD 格式"),
    ("other-reason-form", "mobile", "0912345678".translate(FULL_WIDTH), "在臺聯絡手機號碼：請填寫 09 開頭"),
    ("other-reason-form", "landline", "02-23889393".translate(ARABIC_INDIC), "在臺市內電話：格式不正確"),
    ("other-reason-form", "residence_number", "10".translate(FULL_WIDTH), "居留地址號：請輸入半形數字（0-9）"),
    ("other-reason-form", "residence_number", "10".translate(ARABIC_INDIC), "居留地址號：請輸入半形數字（0-9）"),
    ("other-reason-form", "residence_floor", "5".translate(SUPERSCRIPT), "居留地址：樓請輸入數字即可"),
    ("gold-card-form", "home_phone", "+81-3-1234-5678".translate(FULL_WIDTH), "申請人母國電話號碼：請填寫含國碼"),
    ("gold-card-form", "home_phone", "call me maybe", "申請人母國電話號碼：請填寫含國碼"),
    ("gold-card-form", "mobile", "0911222333".translate(SUPERSCRIPT), "在臺聯絡手機號碼：請填寫 09 開頭"),
    ("other-reason-query", "uino", OTHER_UINO.translate(FULL_WIDTH), "統一證號格式錯誤：請使用半形英數字"),
    ("other-reason-query", "birth_date", BIRTH.translate(FULL_WIDTH), "出生日期(西元)：日期格式須為 YYYY/MM/DD"),
    ("gold-card-questions", "uino", GOLD_UINO[0] + GOLD_UINO[1:].translate(FULL_WIDTH), "統一證號格式錯誤：請使用半形英數字"),
    ("gold-card-eligibility", "uino", GOLD_UINO.translate(ARABIC_INDIC), "統一證號格式錯誤：請使用半形英數字"),
    ("data-change-query", "uino", CHANGE_UINO.translate(FULL_WIDTH), "統一證號格式錯誤：請使用半形英數字"),
    ("student-extension-start", "arc", STUDENT_UINO.translate(FULL_WIDTH), "居留證號：統一證號格式錯誤：請使用半形英數字"),
    ("employer-login", "company_id", COMPANY.translate(FULL_WIDTH), "統一編號：應為 8 位數字"),
    ("gateway-card", "card_number", "4111 1111 1111 1111".translate(FULL_WIDTH), "卡號：請輸入半形數字（0-9）"),
    ("gateway-card", "card_number", "4111 1111 1111 1111".translate(SUPERSCRIPT), "卡號：請輸入半形數字（0-9）"),
    ("gateway-card", "card_number", "4111 1111 1111 1111".translate(ARABIC_INDIC), "卡號：請輸入半形數字（0-9）"),
    ("gateway-card", "cvc", "123".translate(FULL_WIDTH), "安全碼：請輸入半形數字（0-9）"),
    ("gateway-card", "cvc", "123".translate(SUPERSCRIPT), "安全碼：請輸入半形數字（0-9）"),
    ("gateway-card", "expiry", "12/39".translate(FULL_WIDTH), "有效期限：請輸入半形數字（0-9）"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "field", "value", "message"), DIGIT_CASES)
def test_digits_other_than_0_to_9_are_refused_naming_the_field(
    visitor, name, field, value, message
):
    form = FORMS_BY_NAME[name]
    url, data = form.open(visitor)
    before = form.stored(visitor)
    response = post(visitor, url, {**data, field: value})
    assert response.status_code == form.status, response.text[:2000]
    assert message in text_of(response.text)
    assert "查無" not in text_of(response.text)  # a number of another width is not looked up
    assert form.stored(visitor) == before


# ---------------------------------------------------------------- Chinese names


@pytest.mark.parametrize(
    ("name", "username"), [(EXTENSION_B_NAMES[0], "extb1"), (EXTENSION_B_NAMES[1], "extb2")]
)
def test_a_name_with_extension_b_characters_registers(visitor, name, username):
    data = {**REGISTRATION, "chinese_name": name, "username": username,
            "email": f"{username}@student.example.edu.tw"}  # fmt: skip
    response = post(visitor, REGISTER, data)
    assert response.status_code == 303, text_of(response.text)
    assert account(visitor, username)[0] == 200


def test_an_extension_b_name_is_kept_on_the_other_reason_case(visitor, files):
    other_reason_login(visitor)
    assert post(visitor, f"{OTHER}/consent", {"agree": "yes"}).status_code == 303
    assert (
        post(visitor, f"{OTHER}/query", {"uino": ACCEPT_UINO, "birth_date": BIRTH}).status_code
        == 303
    )
    token = input_values(visitor.get(f"{OTHER}/form").text)["form_token"]
    staged = {
        f"{slot}_token": stage(visitor, f"{OTHER}/uploads", slot, path)
        for slot, path in (("photo", files["photo"]), ("passport", files["pdf"]),
                           ("residence_permit", files["png"]))
    }  # fmt: skip
    data = {**OTHER_FORM, **staged, "form_token": token, "chinese_name": "陳𪚥"}
    response = post(visitor, f"{OTHER}/submit", data)
    assert response.status_code == 303, text_of(response.text)
    number = response.headers["location"].rsplit("=", 1)[1]
    [case] = [
        row for row in visitor.get("/__mock__/cases").json()["cases"] if row["number"] == number
    ]
    assert case["data"]["chinese_name"] == "陳𪚥"


def test_an_extension_b_name_is_kept_in_the_gold_card_draft(visitor, files):
    url, data = _gold_form(visitor)
    staged = {
        f"{slot}_token": stage(visitor, f"{APPLY}/uploads", slot, path)
        for slot, path in (("photo", files["photo"]), ("passport", files["pdf"]),
                           ("qualification_proof", files["pdf"]), ("entry_proof", files["pdf"]))
    }  # fmt: skip
    response = post(visitor, url, {**data, **staged, "chinese_name": "𠀀𪚥"})
    assert response.status_code == 303, text_of(response.text)
    draft_id = int(re.search(r"/drafts/(\d+)/preview", response.headers["location"]).group(1))
    with visitor.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.get(Draft, draft_id).data["chinese_name"] == "𠀀𪚥"


@pytest.mark.parametrize("name", ["other-reason-form", "gold-card-form", "student-extension-form"])
def test_a_latin_name_in_the_chinese_name_field_is_still_refused(visitor, name):
    form = FORMS_BY_NAME[name]
    url, data = form.open(visitor)
    before = form.stored(visitor)
    response = post(visitor, url, {**data, "chinese_name": "Hoa"})
    assert response.status_code == 422
    assert "中文姓名：請以" in text_of(response.text)
    assert form.stored(visitor) == before


# ---------------------------------------------------------------- e-mail


@pytest.mark.parametrize("email", BAD_EMAILS)
@pytest.mark.parametrize(
    ("name", "label"),
    [("registration", "電子郵件"), ("resend-verification", "電子郵件"),
     ("other-reason-form", "電子郵件"), ("gold-card-form", "電子郵件"),
     ("data-change-form", "電子郵件"), ("student-extension-form", "Email")],
)  # fmt: skip
def test_a_malformed_email_is_refused_naming_the_field(visitor, name, label, email):
    form = FORMS_BY_NAME[name]
    url, data = form.open(visitor)
    before = form.stored(visitor)
    response = post(visitor, url, {**data, "email": email})
    assert response.status_code == 422
    # Markup is refused as markup by the text layer before the address is judged.
    wrong = "請勿輸入 HTML 標籤" if email.startswith("<") else "格式不正確"
    assert f"{label}：{wrong}" in text_of(response.text)
    assert "<svg" not in response.text
    assert form.stored(visitor) == before


def test_a_mainland_china_address_is_still_refused(visitor):
    url, data = _other_form(visitor)
    response = post(visitor, url, {**data, "email": "someone@qq.com"})
    assert response.status_code == 422
    assert "電子郵件：基於資安政策，請勿使用大陸地區電子郵件" in text_of(response.text)


# ---------------------------------------------------------------- ids in addresses

BAD_IDS = ["99999999999999999999", "-1", "abc"]
GOLD_CARD_ROUTES = [
    ("GET", f"{APPLY}/drafts/{{id}}"),
    ("GET", f"{APPLY}/drafts/{{id}}/edit"),
    ("GET", f"{APPLY}/drafts/{{id}}/preview"),
    ("POST", f"{APPLY}/drafts/{{id}}/save"),
    ("POST", f"{APPLY}/drafts/{{id}}/delete"),
    ("POST", f"{APPLY}/drafts/{{id}}/submit"),
    ("GET", f"{APPLY}/complete/{{id}}"),
    ("GET", f"{CHANGE}/complete/{{id}}"),
    ("GET", f"{SUPPLEMENTS}/{{id}}"),
    ("GET", f"{SUPPLEMENTS}/{{id}}/form"),
    ("POST", f"{SUPPLEMENTS}/{{id}}/form"),
    ("GET", f"{SUPPLEMENTS}/{{id}}/complete"),
    ("GET", "/coa-frontend/gold-card/cases/{id}"),
    ("POST", "/coa-frontend/gold-card/progress/{id}/withdraw"),
    ("GET", "/coa-frontend/gold-card/payment/slips/{id}"),
    ("GET", "/coa-frontend/gold-card/payment/results/{id}"),
    ("GET", "/coa-frontend/gold-card/downloads/receipts/{id}"),
]
OFFICER_ROUTES = [
    ("GET", "/officer/cases/{id}"),
    ("POST", "/officer/cases/{id}/supplement"),
    ("POST", "/officer/cases/{id}/approve"),
    ("POST", "/officer/cases/{id}/reject"),
    ("POST", "/officer/cases/{id}/card-ready"),
    ("GET", "/officer/files/{id}"),
]
PUBLIC_ROUTES = [
    ("GET", "/mock-gateway/intl-card/{id}"),
    ("POST", "/mock-gateway/intl-card/{id}/pay"),
    ("POST", "/mock-gateway/intl-card/{id}/cancel"),
]


@pytest.fixture(scope="module")
def gold_card_browser(control) -> TestClient:
    visitor = BrowserClient(control.app)
    gold_card_login(visitor)
    return visitor


@pytest.fixture(scope="module")
def officer(control) -> TestClient:
    return officer_browser(control.app)


def _not_found(visitor: TestClient, method: str, path: str) -> None:
    response = visitor.request(method, path, follow_redirects=False)
    assert response.status_code == 404, (path, response.status_code, response.text[:500])
    assert "系統忙碌中" not in response.text


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(("method", "path"), GOLD_CARD_ROUTES)
def test_a_malformed_id_in_a_gold_card_address_is_not_found(gold_card_browser, method, path, bad):
    _not_found(gold_card_browser, method, path.format(id=bad))


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(("method", "path"), OFFICER_ROUTES)
def test_a_malformed_id_in_an_officer_address_is_not_found(officer, method, path, bad):
    _not_found(officer, method, path.format(id=bad))


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(("method", "path"), PUBLIC_ROUTES)
def test_a_malformed_id_in_a_public_address_is_not_found(visitor, method, path, bad):
    _not_found(visitor, method, path.format(id=bad))


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_malformed_mail_id_is_not_found(visitor, bad):
    _not_found(visitor, "GET", f"/mailbox/someone@example.com/{bad}")


@pytest.mark.parametrize(
    "path",
    [
        "/coa-frontend/register/verify/hoa2024/" + "x" * 65,
        "/coa-frontend/register/reset/hoa2024/" + "x" * 65,
        "/coa-frontend/register/verify/" + "u" * 65 + "/token",
        "/coa-frontend/register/reset/hoa2024/a.b",
    ],
    ids=["verify-token", "reset-token", "verify-username", "reset-token-dot"],
)
def test_a_malformed_mailed_link_is_not_found(visitor, path):
    _not_found(visitor, "GET", path)


@pytest.mark.parametrize("bad", [*BAD_IDS, "1" * 5000])
def test_a_malformed_draft_to_delete_asks_nothing(gold_card_browser, bad):
    page = gold_card_browser.get(f"{APPLY}/drafts", params={"delete": bad})
    assert page.status_code == 200
    assert "確定刪除" not in page.text


def test_a_case_number_the_list_never_offered_is_not_found_and_not_echoed(visitor):
    gold_card_login(visitor)
    hostile = "<b>" + "9" * 10_000
    response = post(visitor, "/coa-frontend/gold-card/payment", {"cases": [hostile]})
    assert response.status_code == 404
    assert NOT_A_CASE in text_of(response.text)
    assert "9" * 100 not in response.text
