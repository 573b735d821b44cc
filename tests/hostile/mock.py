"""The mock in-process for the hostile suite: one app per worker, its browsers and flows,
what it has stored, and what a response said.

Every browser is a ``BrowserClient`` that returns a 500 as a response instead of raising
it (``raise_server_exceptions=False``): a 500 is a finding to report, not a crash of
the suite. ``snapshot`` reads what the app keeps (cases, mail, accounts, drafts,
uploads, payments, files) through the control API and its database, so "nothing
stored" is one comparison.
"""

from __future__ import annotations

import html
import itertools
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fixtures.uino import create_uino
from mock_platform.models import Account, Case, CaseEvent, Draft, Payment, Upload
from mock_platform.rules import expertise, gold_card
from tests.hostile import files
from tests.mock_client import BrowserClient, make_client

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Taipei; the clock runs on
PASSWORD = "Secret123"
BIRTH = "1992/05/03"
OFFICER = ("officer", "Officer1234")  # seeded by the mock
COMPANY = "22099131"  # a 統一編號 whose check digit is right
JSON = {"Accept": "application/json"}

LOGIN = "/coa-frontend/four-in-one/login"
OTHER = "/coa-frontend/other-reason/apply"
APPLY = "/coa-frontend/gold-card/apply"
CHANGE = "/coa-frontend/gold-card/change"
SUPPLEMENTS = "/coa-frontend/gold-card/supplements"
STUDENT_ROOT = "/coa-frontend/foreign-student"
STUDENT_LOGIN = f"{STUDENT_ROOT}/individual/login"
REGISTER = f"{STUDENT_ROOT}/individual/register"
RESEND = f"{STUDENT_ROOT}/individual/resend-verification"
FORGOT = f"{STUDENT_ROOT}/individual/forgot-password"
EXTENSION = f"{STUDENT_ROOT}/extension"
CROP = f"{EXTENSION}/photo-crop"
OFFICER_LOGIN = "/officer/login"
GOOD_CARD = {"card_number": "4111 1111 1111 1111", "expiry": "12/39", "cvc": "123"}

STUDENT_UINO = create_uino(rng=random.Random(4242))
CARD_DATA = {
    "english_surname": "HUNT", "english_given_name": "ETHAN", "occupation": "軟體工程師",
    "education": "碩士", "marital_status": "未婚", "birth_country": "日本", "birth_city": "Tokyo",
    "home_address": "1 Main Street", "home_phone": "+1-555-0100", "collect_office": "臺北市服務站",
    "residence_city": "臺北市", "residence_district": "中正區", "residence_street": "忠孝東路一段",
    "residence_number": "10", "expertise_field": "經濟領域",
    "qualification": expertise.QUALIFICATIONS["經濟領域"][0], "job_title": "經理",
}  # fmt: skip
QUESTIONS = {
    "agree": "yes", "held": gold_card.HELD_EXPIRED, "has_uino": gold_card.YES,
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

_META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


# ---------------------------------------------------------------------------- the world


class World:
    """One app of the mock (its database and uploads under ``folder``) and its set-up."""

    def __init__(self, folder: Path, **settings: object) -> None:
        self.app = make_client(folder, **settings).app
        self.app.state.clock.set(START)
        self.upload_dir = Path(self.app.state.settings.upload_dir)
        self.control = self.browser()
        self._seeds = itertools.count(1)
        self._names = itertools.count(1)
        self._sessions: dict[str, BrowserClient] = {}
        # Forms a refused input left as they were, ready for the next input (test_field).
        self.forms: dict[str, tuple[Any, Opened]] = {}
        if settings.get("control_api", True):
            for body in (
                {"username": "alice", "email": "alice@example.com"},
                {"username": "bob", "email": "bob@example.com"},
                {"username": "acme", "role": "employer", "company_id": COMPANY},
                {"system": "student", "username": "lan2024", "email": "lan@student.example.edu.tw"},
                {"system": "student", "username": "mai2024", "email": "mai@student.example.edu.tw"},
            ):
                self.add_account(**body)
            self.add_student_record()

    # -- browsers

    def browser(self) -> BrowserClient:
        """A new browser (its own cookies) that sends its session's form token."""
        return BrowserClient(self.app, raise_server_exceptions=False, follow_redirects=False)

    def plain(self, cookies: Mapping[str, str] | None = None) -> TestClient:
        """A client that sends no form token unless told to (forged requests)."""
        client = TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)
        for name, value in (cookies or {}).items():
            client.cookies.set(name, value)
        return client

    def session(self, kind: str) -> BrowserClient:
        """A logged-in browser kept for the module: gold-card, other-reason (alice), victim
        (bob, gold-card), student (lan2024), student-victim (mai2024), officer."""
        if kind not in self._sessions:
            browser = self.browser()
            if kind == "gold-card":
                login_four(browser, "alice", "gold-card")
            elif kind == "other-reason":
                login_four(browser, "alice", "other-reason")
            elif kind == "victim":
                login_four(browser, "bob", "gold-card")
            elif kind == "victim-other-reason":
                login_four(browser, "bob", "other-reason")
            elif kind == "student":
                login_student(browser, "lan2024")
            elif kind == "student-victim":
                login_student(browser, "mai2024")
            elif kind == "officer":
                login_officer(browser, *OFFICER)
            else:
                raise ValueError(kind)
            self._sessions[kind] = browser
        return self._sessions[kind]

    # -- the control API

    def add_account(self, **body: object) -> dict[str, Any]:
        body = {"password": PASSWORD, **body}
        response = self.control.post("/__mock__/accounts", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def new_username(self, prefix: str = "user") -> str:
        return f"{prefix}{next(self._names):04d}"

    def new_holder(self, card_expiry: str = "2027-06-30", **overrides: object) -> str:
        """A Gold Card holder of a 統一證號 nobody used yet, born on ``BIRTH``."""
        while True:
            number = create_uino(rng=random.Random(90_000 + next(self._seeds)))
            body = {
                "uino": number, "birth_date": BIRTH.replace("/", "-"), "card_expiry": card_expiry,
                "english_name": "HUNT, ETHAN", "chinese_name": "杭特", "passport_number": "TR1234567",
                "passport_expiry": "2031-01-01", "email": "ethan@example.com", "phone": "0912345678",
                **overrides,
            }  # fmt: skip
            response = self.control.post("/__mock__/cardholders", json=body)
            if response.status_code == 409:
                continue
            assert response.status_code == 201, response.text
            return number

    def add_student_record(self) -> None:
        body = {
            "uino": STUDENT_UINO, "passport_number": "C1234567", "english_name": "NGUYEN THI LAN",
            "birth_date": "2003-05-04", "gender": "女", "nationality": "越南",
            "passport_expiry": "2030-01-01", "permit_expiry": "2026-06-30",
            "school": "正修科技大學", "programme": "產學合作專班",
            "address": {"city": "高雄市", "district": "鳥松區", "street": "澄清路", "number": "840"},
            "contact": {"name": "楊老師", "phone": "07-7358800*2253", "nationality": "中華民國"},
        }  # fmt: skip
        response = self.control.post("/__mock__/students", json=body)
        assert response.status_code == 201, response.text

    def new_case(self, username: str = "alice", **body: object) -> str:
        response = self.control.post("/__mock__/cases", json={"username": username, **body})
        assert response.status_code == 201, response.text
        return str(response.json()["number"])

    def review(self, number: str, action: str, **body: object) -> None:
        response = self.control.post(
            f"/__mock__/cases/{number}/review", json={"action": action, **body}
        )
        assert response.status_code == 200, response.text

    def new_draft(self, username: str = "alice") -> int:
        response = self.control.post(
            "/__mock__/drafts", json={"username": username, "name": "ETHAN HUNT"}
        )
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def case(self, number: str) -> dict[str, Any]:
        for row in self.control.get("/__mock__/cases").json()["cases"]:
            if row["number"] == number:
                return row
        raise KeyError(number)

    def account_state(self, username: str) -> dict[str, Any]:
        response = self.control.get(f"/__mock__/accounts/{username}")
        assert response.status_code == 200, response.text
        return response.json()

    # -- what the app keeps

    def snapshot(self) -> dict[str, Any]:
        """Everything a request could have stored, in a comparable form.

        The tables the control API lists are read straight from the database (its
        ``/__mock__/cases`` answers one query per case, too slow to call twice per
        input); the mail through ``/__mock__/mail``; the files from the upload folder.
        """
        mail = [
            (m["to"], m["subject"]) for m in self.control.get("/__mock__/mail").json()["messages"]
        ]
        with self.app.state.sessions() as db:
            events = {
                case_id: count
                for case_id, count in db.execute(
                    select(CaseEvent.case_id, func.count()).group_by(CaseEvent.case_id)
                )
            }
            cases = {
                row.number: json.dumps(
                    [row.status, row.review, row.data, row.fee, str(row.paid_at), events.get(row.id)],
                    ensure_ascii=False, sort_keys=True,
                )
                for row in db.execute(select(Case.id, Case.number, Case.status, Case.review,
                                             Case.data, Case.fee, Case.paid_at))
            }  # fmt: skip
            accounts = {
                row.username: (row.wrong_passwords, row.locked_at is not None, row.verified,
                               row.password_hash)
                for row in db.execute(select(Account.username, Account.wrong_passwords,
                                             Account.locked_at, Account.verified,
                                             Account.password_hash))
            }  # fmt: skip
            drafts = {
                row.id: json.dumps([row.name, row.data], ensure_ascii=False, sort_keys=True)
                for row in db.execute(select(Draft.id, Draft.name, Draft.data))
            }
            uploads = {
                row.id: (row.field, row.filename, row.case_id, row.draft_id)
                for row in db.execute(select(Upload.id, Upload.field, Upload.filename,
                                             Upload.case_id, Upload.draft_id))
            }  # fmt: skip
            payments = {
                token: status for token, status in db.execute(select(Payment.token, Payment.status))
            }
        stored_files = sorted(
            str(path.relative_to(self.upload_dir))
            for path in self.upload_dir.rglob("*")
            if path.is_file()
        )
        return {
            "cases": cases,
            "mail": mail,
            "accounts": accounts,
            "drafts": drafts,
            "uploads": uploads,
            "payments": payments,
            "files": stored_files,
        }


def changes(
    before: dict[str, Any], after: dict[str, Any], *, ignore: frozenset[str] = frozenset()
) -> list[str]:
    """What differs between two snapshots, said briefly ("cases +1: 115…", "mail +1")."""
    found: list[str] = []
    for key in before:
        if key in ignore or before[key] == after[key]:
            continue
        old, new = before[key], after[key]
        if isinstance(old, dict):
            added = sorted(set(new) - set(old))
            gone = sorted(set(old) - set(new))
            changed = sorted(k for k in set(old) & set(new) if old[k] != new[k])
            parts = [f"+{len(added)} {added[:3]}" if added else "",
                     f"-{len(gone)} {gone[:3]}" if gone else "",
                     f"changed {changed[:3]}" if changed else ""]  # fmt: skip
            found.append(f"{key} " + " ".join(part for part in parts if part))
        else:
            found.append(f"{key} {len(old)}→{len(new)}")
    return found


# ---------------------------------------------------------------------------- logins


def page_token(html_text: str) -> str:
    match = _META_TOKEN.search(html_text)
    return match.group(1) if match else ""


def captcha_of(browser: TestClient) -> str:
    response = browser.get("/__mock__/captcha")
    assert response.status_code == 200, response.text
    return str(response.json()["answer"])


def login_four(
    browser: TestClient, username: str, system: str = "gold-card", *, role: str = "self",
    company_id: str = "", password: str = PASSWORD,
) -> None:  # fmt: skip
    assert browser.get(f"{LOGIN}?system={system}&role={role}").status_code == 200
    data = {"username": username, "password": password, "captcha": captcha_of(browser),
            "system": system, "role": role, "company_id": company_id}  # fmt: skip
    response = browser.post(LOGIN, data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]


def login_student(browser: TestClient, username: str, password: str = PASSWORD) -> None:
    assert browser.get(STUDENT_LOGIN).status_code == 200
    data = {"username": username, "password": password, "captcha": captcha_of(browser)}
    response = browser.post(STUDENT_LOGIN, data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]


def login_officer(browser: TestClient, username: str, password: str) -> None:
    assert browser.get(OFFICER_LOGIN).status_code == 200
    data = {"username": username, "password": password, "captcha": captcha_of(browser)}
    response = browser.post(OFFICER_LOGIN, data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]


# ---------------------------------------------------------------------------- forms


def input_values(page: str) -> dict[str, str]:
    """What a browser would send back from a form page: named inputs, chosen options."""
    values = {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<input id="[^"]+" name="([^"]+)"[^>]*?value="([^"]*)"', page
        )
    }
    for name, body in re.findall(
        r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = html.unescape(chosen.group(1)) if chosen else ""
    for name in ("form_token", "round"):
        hidden = re.search(rf'name="{name}" value="([^"]*)"', page)
        if hidden:
            values[name] = html.unescape(hidden.group(1))
    values.pop("csrftoken", None)
    return values


def stage(browser: TestClient, url: str, field_name: str, filename: str, data: bytes) -> str:
    response = browser.post(
        url, data={"field": field_name}, files={"file": (filename, data)}, headers=JSON
    )
    assert response.status_code == 200, response.text[:500]
    return str(response.json()["token"])


@dataclass
class Opened:
    """A form opened in a browser: where it posts and a filling it would accept."""

    url: str
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def open_other_reason(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "other-reason")
    uino = world.new_holder()
    assert browser.post(f"{OTHER}/consent", data={"agree": "yes"}).status_code in (200, 303)
    response = browser.post(
        f"{OTHER}/query", data={"uino": uino, "birth_date": BIRTH}, follow_redirects=False
    )
    assert response.status_code == 303, response.text[:500]
    token = input_values(browser.get(f"{OTHER}/form").text)["form_token"]
    staged = {
        "photo_token": stage(browser, f"{OTHER}/uploads", "photo", "photo.jpg", files.photo()),
        "passport_token": stage(browser, f"{OTHER}/uploads", "passport", "passport.pdf",
                                files.plain_pdf()),
        "residence_permit_token": stage(browser, f"{OTHER}/uploads", "residence_permit",
                                        "permit.png", files.png()),
    }  # fmt: skip
    return Opened(f"{OTHER}/submit", {**OTHER_FORM, **staged, "form_token": token}, {"uino": uino})


def open_gold_card(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "gold-card")
    uino = world.new_holder("2025-12-31", extra={"expertise_field": "經濟領域"})
    response = browser.post(f"{APPLY}/questions", data={**QUESTIONS, "uino": uino},
                            follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text[:500]
    response = browser.post(f"{APPLY}/consent", data={"agree": "yes"}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    pdf = files.plain_pdf()
    staged = {
        "photo_token": stage(browser, f"{APPLY}/uploads", "photo", "photo.jpg", files.photo()),
        "passport_token": stage(browser, f"{APPLY}/uploads", "passport", "passport.pdf", pdf),
        "qualification_proof_token": stage(browser, f"{APPLY}/uploads", "qualification_proof",
                                           "proof.pdf", pdf),
        "entry_proof_token": stage(browser, f"{APPLY}/uploads", "entry_proof", "entry.pdf", pdf),
    }  # fmt: skip
    return Opened(f"{APPLY}/save", {**GOLD_FORM, **staged}, {"uino": uino})


def open_data_change(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "gold-card")
    uino = world.new_holder(extra=CARD_DATA)
    assert browser.post(f"{CHANGE}/consent", data={"agree": "yes"}).status_code in (200, 303)
    response = browser.post(
        f"{CHANGE}/query", data={"uino": uino, "birth_date": BIRTH}, follow_redirects=False
    )
    assert response.status_code == 303, response.text[:500]
    values = input_values(browser.get(f"{CHANGE}/form").text)
    # Something must change for a change of data to be filed: the e-mail address.
    return Opened(f"{CHANGE}/submit", {**values, "email": "ethan.new@example.com"}, {"uino": uino})


def open_data_change_with_proof(world: World, browser: TestClient) -> Opened:
    """The data change form with a 姓名或性別變更證明文件 staged: a name may change."""
    opened = open_data_change(world, browser)
    token = stage(browser, f"{CHANGE}/uploads", "name_proof", "proof.pdf", files.plain_pdf())
    opened.data["name_proof_token"] = token
    return opened


def open_student(world: World, browser: TestClient, username: str = "lan2024") -> Opened:
    login_student(browser, username)
    start = {"arc": STUDENT_UINO, "programme": "產學合作專班", "reason": "在學延期"}
    response = browser.post(f"{EXTENSION}/new", data=start, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    token = input_values(browser.get(f"{EXTENSION}/form").text)["form_token"]
    url = f"{EXTENSION}/uploads"
    staged = {
        f"{slot}_token": stage(browser, url, slot, f"{slot}.jpg", files.photo())
        for slot in ("photo", "permit", "passport", "enrolment")
    }
    return Opened(f"{EXTENSION}/submit", {**STUDENT_FORM, **staged, "form_token": token})


SUPPLEMENT_DATA = {
    **{key: value for key, value in GOLD_FORM.items() if key != "english_given_name"},
    "english_given_name": "ETHAN", "chinese_name": "杭特", "birth_date": BIRTH,
    "english_name": "ETHAN HUNT",
}  # fmt: skip


def returned_case(world: World, username: str = "alice") -> str:
    """A Gold Card case of ``username`` an officer sent back for a supplement."""
    uino = world.new_holder("2025-12-31")
    answers = {key: value for key, value in QUESTIONS.items() if key != "agree"}
    data = {**SUPPLEMENT_DATA, "uino": uino, "answers": {**answers, "uino": uino}}
    number = world.new_case(username, status="已送件", data=data)
    world.review(number, "supplement", comments={"基本資料": "請依護照更正英文名字。"})
    return number


def open_supplement(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "gold-card")
    number = returned_case(world)
    page = browser.get(f"{SUPPLEMENTS}/{number}/form")
    assert page.status_code == 200, page.text[:500]
    data = {**input_values(page.text), "reply": "已依護照更正。"}
    return Opened(f"{SUPPLEMENTS}/{number}/form", data, {"number": number})


def open_officer(world: World, browser: TestClient, action: str) -> Opened:
    number = world.new_case("alice", status="已送件")
    login_officer(browser, *OFFICER)
    data = {"reason": "資格不符。"} if action == "reject" else {"comment-1": "請補件。"}
    return Opened(f"/officer/cases/{number}/{action}", data, {"number": number})


def open_gateway(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "gold-card")
    number = world.new_case("alice", fee=5300)
    root = "/coa-frontend/gold-card/payment"
    response = browser.post(root, data={"cases": [number]}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    assert browser.post(f"{root}/detail", follow_redirects=False).status_code == 303
    response = browser.post(f"{root}/methods", data={"method": "intl-card"}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return Opened(f"{response.headers['location']}/pay", dict(GOOD_CARD), {"number": number})


def open_payment_methods(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "gold-card")
    number = world.new_case("alice", fee=5300)
    root = "/coa-frontend/gold-card/payment"
    response = browser.post(root, data={"cases": [number]}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    assert browser.post(f"{root}/detail", follow_redirects=False).status_code == 303
    return Opened(f"{root}/methods", {"method": "intl-card"}, {"number": number})


def open_registration(world: World, browser: TestClient) -> Opened:
    username = world.new_username("hoa")
    data = {**REGISTRATION, "username": username, "email": f"{username}@student.example.edu.tw"}
    return Opened(REGISTER, data, {"username": username})


def open_forgot(world: World, browser: TestClient) -> Opened:
    return Opened(FORGOT, {"username": "lan2024", "email": "lan@student.example.edu.tw"})


def open_resend(world: World, browser: TestClient) -> Opened:
    username = world.new_username("new")
    world.add_account(system="student", username=username, verified=False,
                      email=f"{username}@student.example.edu.tw")  # fmt: skip
    return Opened(RESEND, {"username": username, "email": f"{username}@student.example.edu.tw"})


def open_login(world: World, browser: TestClient) -> Opened:
    username = world.new_username("log")
    world.add_account(username=username)
    assert browser.get(f"{LOGIN}?system=gold-card&role=self").status_code == 200
    data = {"username": username, "password": PASSWORD, "captcha": captcha_of(browser),
            "system": "gold-card", "role": "self"}  # fmt: skip
    return Opened(LOGIN, data, {"username": username})


def open_employer_login(world: World, browser: TestClient) -> Opened:
    assert browser.get(f"{LOGIN}?system=gold-card&role=employer").status_code == 200
    data = {"username": "acme", "password": PASSWORD, "captcha": captcha_of(browser),
            "system": "gold-card", "role": "employer", "company_id": COMPANY}  # fmt: skip
    return Opened(LOGIN, data, {"username": "acme"})


def open_student_login(world: World, browser: TestClient) -> Opened:
    username = world.new_username("stu")
    world.add_account(system="student", username=username)
    assert browser.get(STUDENT_LOGIN).status_code == 200
    data = {"username": username, "password": PASSWORD, "captcha": captcha_of(browser)}
    return Opened(STUDENT_LOGIN, data, {"username": username})


def open_officer_login(world: World, browser: TestClient) -> Opened:
    username = world.new_username("off")
    world.add_account(system="officer", username=username)
    assert browser.get(OFFICER_LOGIN).status_code == 200
    data = {"username": username, "password": PASSWORD, "captcha": captcha_of(browser)}
    return Opened(OFFICER_LOGIN, data, {"username": username})


def open_other_reason_query(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "other-reason")
    uino = world.new_holder()
    assert browser.post(f"{OTHER}/consent", data={"agree": "yes"}).status_code in (200, 303)
    return Opened(f"{OTHER}/query", {"uino": uino, "birth_date": BIRTH})


def open_questions(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "gold-card")
    uino = world.new_holder("2025-12-31")
    return Opened(f"{APPLY}/questions", {**QUESTIONS, "uino": uino})


def open_eligibility(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "gold-card")
    uino = world.new_holder("2025-12-31")
    return Opened(f"{APPLY}/eligibility", {"uino": uino, "birth_date": BIRTH})


def open_change_query(world: World, browser: TestClient) -> Opened:
    login_four(browser, "alice", "gold-card")
    uino = world.new_holder(extra=CARD_DATA)
    assert browser.post(f"{CHANGE}/consent", data={"agree": "yes"}).status_code in (200, 303)
    return Opened(f"{CHANGE}/query", {"uino": uino, "birth_date": BIRTH})


def open_student_start(world: World, browser: TestClient) -> Opened:
    login_student(browser, "lan2024")
    return Opened(
        f"{EXTENSION}/new", {"arc": STUDENT_UINO, "programme": "產學合作專班", "reason": "在學延期"}
    )


# ---------------------------------------------------------------------------- responses


_MESSAGE_PATTERNS = [
    re.compile(r'<div[^>]*class="error-summary"[^>]*>(.*?)</div>', re.S),
    re.compile(r'<p class="field-error"(?![^>]*data-show-when)[^>]*>(.*?)</p>', re.S),
    re.compile(r'<p[^>]*role="alert"(?![^>]*data-show-when)[^>]*>(.*?)</p>', re.S),
]


def plain_text(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def messages(response: Any) -> str:
    """What the response told the user: the JSON message, the page's error texts, or the
    text of a plain answer; " | " between several."""
    kind = response.headers.get("content-type", "")
    if "json" in kind:
        try:
            body = response.json()
        except ValueError:
            return response.text[:300]
        if isinstance(body, dict):
            said = body.get("message") or body.get("detail") or ""
            return said if isinstance(said, str) else json.dumps(said, ensure_ascii=False)[:300]
        return json.dumps(body, ensure_ascii=False)[:300]
    if "html" in kind:
        found = []
        for pattern in _MESSAGE_PATTERNS:
            found += [plain_text(chunk) for chunk in pattern.findall(response.text)]
        found = [text for text in dict.fromkeys(found) if text]
        return " | ".join(found)
    if kind.startswith("text/"):
        return response.text[:300]
    return ""


def brief(text: str, limit: int = 160) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_text(response: Any) -> bool:
    kind = response.headers.get("content-type", "")
    return any(part in kind for part in ("html", "json", "text/"))
