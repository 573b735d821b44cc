"""The concurrency inputs: requests released together on a live server (``LiveMock``).

Each scenario sets up what it needs over HTTP (accounts and holders through the control
API, forms through the pages), sends its requests from a barrier, and returns what was
wrong and what the server did; ``CONCURRENT`` is the table tests/test_hostile.py runs.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from fixtures.uino import create_uino
from harness.server import ControlApiError, LiveMock
from mock_platform.deps import SESSION_COOKIE
from tests.hostile import files
from tests.hostile.checks import ACCEPTED, REFUSED
from tests.hostile.live import Browser, at_once
from tests.hostile.mock import (
    APPLY,
    BIRTH,
    GOLD_FORM,
    GOOD_CARD,
    LOGIN,
    OFFICER,
    OFFICER_LOGIN,
    OTHER,
    OTHER_FORM,
    PASSWORD,
    QUESTIONS,
    REGISTER,
    REGISTRATION,
    SUPPLEMENT_DATA,
    SUPPLEMENTS,
    brief,
    input_values,
    messages,
)


@dataclass
class Live:
    """The live mock of the concurrency inputs, and fresh accounts and holders on it."""

    mock: LiveMock
    seeds: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def account(self, **body: Any) -> str:
        username = body.pop("username", None) or f"live{next(self.names):04d}"
        self.mock.create_account(username=username, password=PASSWORD,
                                 email=f"{username}@example.com", **body)  # fmt: skip
        return username

    def holder(self, card_expiry: str = "2027-06-30", **extra: Any) -> str:
        while True:
            number = create_uino(rng=random.Random(50_000 + next(self.seeds)))
            try:
                self.mock.create_card_holder(
                    {"uino": number, "birth_date": BIRTH.replace("/", "-"),
                     "card_expiry": card_expiry, "english_name": "HUNT, ETHAN", **extra}
                )  # fmt: skip
            except ControlApiError as error:
                if " 409:" not in str(error):
                    raise
                continue  # that number exists: draw another
            return number

    def browser(self) -> Browser:
        return Browser(self.mock)


def _or_form(live: Live, browser: Browser, uino: str | None = None) -> dict[str, Any]:
    """Open the other-reason form for a fresh holder (or ``uino``): a complete filling."""
    uino = uino or live.holder()
    assert browser.post(f"{OTHER}/consent", data={"agree": "yes"}).status_code == 303
    response = browser.post(f"{OTHER}/query", data={"uino": uino, "birth_date": BIRTH})
    assert response.status_code == 303, messages(response)
    token = input_values(browser.open(f"{OTHER}/form").text)["form_token"]
    staged = {}
    for slot, name, data in (("photo", "p.jpg", files.photo()), ("passport", "p.pdf", files.plain_pdf()),
                             ("residence_permit", "r.png", files.png())):  # fmt: skip
        answer = browser.stage(f"{OTHER}/uploads", slot, name, data)
        assert answer.status_code == 200, answer.text
        staged[f"{slot}_token"] = answer.json()["token"]
    return {**OTHER_FORM, **staged, "form_token": token}


def _submit_or(browser: Browser, data: dict[str, Any]) -> Callable[[], httpx.Response]:
    return lambda: browser.post(f"{OTHER}/submit", data=data)


def _receipt(response: Any) -> str:
    if isinstance(response, BaseException):
        return f"error {type(response).__name__}"
    location = response.headers.get("location", "")
    match = re.search(r"(?:receipt=|complete/)(\d{12})", location)
    return (
        match.group(1)
        if match
        else f"{response.status_code} {location or brief(messages(response), 60)}"
    )


def _statuses(responses: list[Any]) -> list[str]:
    return [
        type(r).__name__ if isinstance(r, BaseException) else str(r.status_code) for r in responses
    ]


def _gold_draft(live: Live, browser: Browser) -> tuple[str, str]:
    """A saved, complete Gold Card draft of the browser's account: its id and submit token."""
    uino = live.holder("2025-12-31", extra={"expertise_field": "經濟領域"})
    browser.open(f"{APPLY}/drafts")
    assert browser.post(f"{APPLY}/questions", data={**QUESTIONS, "uino": uino}).status_code == 303
    assert browser.post(f"{APPLY}/consent", data={"agree": "yes"}).status_code == 303
    staged = {}
    for slot, name, data in (("photo", "p.jpg", files.photo()), ("passport", "p.pdf", files.plain_pdf()),
                             ("qualification_proof", "q.pdf", files.plain_pdf()),
                             ("entry_proof", "e.pdf", files.plain_pdf())):  # fmt: skip
        staged[f"{slot}_token"] = browser.stage(f"{APPLY}/uploads", slot, name, data).json()[
            "token"
        ]
    saved = browser.post(f"{APPLY}/save", data={**GOLD_FORM, **staged})
    assert saved.status_code == 303, messages(saved)
    draft_id = re.search(r"/drafts/(\d+)/", saved.headers["location"]).group(1)
    preview = browser.open(f"{APPLY}/drafts/{draft_id}/preview").text
    return draft_id, re.search(r'name="submit_token" value="([^"]+)"', preview).group(1)


def _logged_in(live: Live, system: str = "other-reason", username: str | None = None) -> Browser:
    browser = live.browser()
    response = browser.login_four(username or live.account(), system)
    assert response.status_code == 303, messages(response)
    return browser


def _cases(live: Live) -> list[dict[str, Any]]:
    return live.mock.cases()


def _events(case: dict[str, Any], status: str) -> int:
    return sum(1 for event in case["history"] if event["status"] == status)


def c_two_accounts_rounds(live: Live) -> tuple[list[str], str]:
    rounds = 8
    first, second = _logged_in(live), _logged_in(live)
    numbers: list[str] = []
    answers: list[str] = []
    for _ in range(rounds):
        responses = at_once(
            [_submit_or(first, _or_form(live, first)), _submit_or(second, _or_form(live, second))]
        )
        answers += _statuses(responses)
        numbers += [_receipt(r) for r in responses]
    problems = []
    if any(answer != "303" for answer in answers):
        problems.append(f"answers {answers}")
    if len(set(numbers)) != 2 * rounds:
        problems.append(f"{len(set(numbers))} distinct numbers for {2 * rounds} applications")
    return (
        problems,
        f"{rounds} rounds: answers {sorted(set(answers))}, {len(set(numbers))} distinct numbers",
    )


def c_six_accounts(live: Live) -> tuple[list[str], str]:
    browsers = [_logged_in(live) for _ in range(6)]
    forms = [_or_form(live, browser) for browser in browsers]
    responses = at_once([_submit_or(b, f) for b, f in zip(browsers, forms, strict=True)])
    numbers = [_receipt(r) for r in responses]
    problems = (
        []
        if _statuses(responses) == ["303"] * 6 and len(set(numbers)) == 6
        else [f"answers {_statuses(responses)}, numbers {numbers}"]
    )
    return problems, f"answers {_statuses(responses)}, {len(set(numbers))} distinct numbers"


def c_one_account_two_browsers(live: Live) -> tuple[list[str], str]:
    username = live.account()
    first, second = _logged_in(live, username=username), _logged_in(live, username=username)
    responses = at_once(
        [_submit_or(first, _or_form(live, first)), _submit_or(second, _or_form(live, second))]
    )
    numbers = [_receipt(r) for r in responses]
    problems = (
        []
        if _statuses(responses) == ["303", "303"] and len(set(numbers)) == 2
        else [f"answers {_statuses(responses)}, numbers {numbers}"]
    )
    return problems, f"answers {_statuses(responses)}, numbers {numbers}"


def c_double_click_other_reason(live: Live) -> tuple[list[str], str]:
    browser = _logged_in(live)
    data = _or_form(live, browser)
    before = len(_cases(live))
    responses = at_once([_submit_or(browser, data), _submit_or(browser.twin(), data)])
    numbers = [_receipt(r) for r in responses]
    made = len(_cases(live)) - before
    problems = (
        []
        if _statuses(responses) == ["303", "303"] and len(set(numbers)) == 1 and made == 1
        else [f"answers {_statuses(responses)}, numbers {numbers}, {made} cases made"]
    )
    return problems, f"answers {_statuses(responses)}, numbers {numbers}, {made} case(s) made"


def c_same_holder_two_accounts(live: Live) -> tuple[list[str], str]:
    uino = live.holder()
    first, second = _logged_in(live), _logged_in(live)
    forms = [_or_form(live, first, uino), _or_form(live, second, uino)]
    responses = at_once([_submit_or(first, forms[0]), _submit_or(second, forms[1])])
    made = [
        c
        for c in _cases(live)
        if c["kind"] == "other_reason_permit" and c["data"].get("uino") == uino
    ]
    numbers = [_receipt(r) for r in responses]
    problems = (
        []
        if len(made) <= 1 and not any(s.startswith("5") for s in _statuses(responses))
        else [f"{len(made)} open other-reason cases for one holder ({numbers})"]
    )
    return problems, f"answers {_statuses(responses)}, {len(made)} case(s) for the holder"


def c_double_submit_gold_card(live: Live) -> tuple[list[str], str]:
    problems: list[str] = []
    seen = []
    for _ in range(3):
        browser = _logged_in(live, "gold-card")
        draft_id, submit_token = _gold_draft(live, browser)
        url = f"{APPLY}/drafts/{draft_id}/submit"
        twin = browser.twin()
        body = {"submit_token": submit_token}
        responses = at_once([lambda b=browser, u=url, d=body: b.post(u, data=d),
                             lambda b=twin, u=url, d=body: b.post(u, data=d)])  # fmt: skip
        numbers = [_receipt(r) for r in responses]
        seen.append((_statuses(responses), numbers))
        if (
            _statuses(responses) != ["303", "303"]
            or len(set(numbers)) != 1
            or not numbers[0].isdigit()
        ):
            problems.append(f"draft {draft_id}: answers {_statuses(responses)}, {numbers}")
    return problems, f"{seen}"


def c_gold_card_two_browsers(live: Live) -> tuple[list[str], str]:
    username = live.account()
    first = _logged_in(live, "gold-card", username)
    second = _logged_in(live, "gold-card", username)
    draft_id, submit_token = _gold_draft(live, first)
    second.open(f"{APPLY}/drafts/{draft_id}/preview")
    url = f"{APPLY}/drafts/{draft_id}/submit"
    responses = at_once([lambda: first.post(url, data={"submit_token": submit_token}),
                         lambda: second.post(url, data={"submit_token": submit_token})])  # fmt: skip
    numbers = [_receipt(r) for r in responses]
    made = [c for c in _cases(live) if c["account"] == username]
    problems = (
        []
        if all(n == numbers[0] and n.isdigit() for n in numbers) and len(made) == 1
        else [f"answers {_statuses(responses)}, {numbers}, {len(made)} cases"]
    )
    return problems, f"answers {_statuses(responses)}, {numbers}, {len(made)} case(s)"


def c_ten_logins(live: Live, same: bool) -> tuple[list[str], str]:
    username = live.account() if same else None
    names = [username or live.account() for _ in range(10)]
    browsers = [live.browser() for _ in names]
    for browser in browsers:
        browser.open(f"{LOGIN}?system=gold-card")
    answers = [browser.captcha() for browser in browsers]

    def log_in(browser: Browser, name: str, answer: str) -> httpx.Response:
        return browser.post(LOGIN, data={"username": name, "password": PASSWORD, "captcha": answer,
                                         "system": "gold-card", "role": "self"})  # fmt: skip

    responses = at_once(
        [
            lambda b=b, n=n, a=a: log_in(b, n, a)
            for b, n, a in zip(browsers, names, answers, strict=True)
        ]
    )
    homes = [b.open("/coa-frontend/gold-card/home").status_code for b in browsers]
    sessions = {b.client.cookies[SESSION_COOKIE] for b in browsers}
    problems = (
        []
        if _statuses(responses) == ["303"] * 10 and homes == [200] * 10 and len(sessions) == 10
        else [f"answers {_statuses(responses)}, homes {homes}, {len(sessions)} sessions"]
    )
    return (
        problems,
        f"answers {sorted(set(_statuses(responses)))}, homes {sorted(set(homes))}, {len(sessions)} sessions",
    )


def c_ten_uploads(live: Live, same: bool) -> tuple[list[str], str]:
    if same:
        first = _logged_in(live)
        browsers = [first] + [first.twin() for _ in range(9)]
    else:
        browsers = [_logged_in(live) for _ in range(10)]
    before = {p for p in live.mock.uploads_dir.rglob("*") if p.is_file()}
    calls = [lambda b=b, i=i: b.stage(f"{OTHER}/uploads", "passport", f"p{i}.png", files.png())
             for i, b in enumerate(browsers)]  # fmt: skip
    responses = at_once(calls)
    tokens = {
        r.json().get("token")
        for r in responses
        if not isinstance(r, BaseException) and r.status_code == 200
    }
    after = {p for p in live.mock.uploads_dir.rglob("*") if p.is_file()}
    problems = (
        []
        if _statuses(responses) == ["200"] * 10 and len(tokens) == 10 and len(after - before) == 10
        else [f"answers {_statuses(responses)}, {len(tokens)} tokens, {len(after - before)} files"]
    )
    return (
        problems,
        f"answers {sorted(set(_statuses(responses)))}, {len(tokens)} tokens, {len(after - before)} files",
    )


def c_parallel_wrong_passwords(live: Live, officer: bool) -> tuple[list[str], str]:
    system = {"system": "officer"} if officer else {}
    username = live.account(**system)
    page, target = (
        (OFFICER_LOGIN, OFFICER_LOGIN) if officer else (f"{LOGIN}?system=gold-card", LOGIN)
    )
    browsers = [live.browser() for _ in range(10)]
    for browser in browsers:
        browser.open(page)
    answers = [browser.captcha() for browser in browsers]
    extra = {} if officer else {"system": "gold-card", "role": "self"}
    responses = at_once([
        lambda b=b, a=a: b.post(target, data={"username": username, "password": "Wrong9999", "captcha": a, **extra})
        for b, a in zip(browsers, answers, strict=True)
    ])  # fmt: skip
    state = live.mock.account_state(username)
    right = live.browser()
    response = (
        right.login_officer(username, PASSWORD)
        if officer
        else right.login_four(username, "gold-card")
    )
    problems = []
    if any(s.startswith("5") or not s[0].isdigit() for s in _statuses(responses)):
        problems.append(f"answers {_statuses(responses)}")
    if not state["locked"]:
        problems.append(f"not locked after 10 wrong passwords ({state['wrong_passwords']} counted)")
    if response.status_code != 422 or "鎖定" not in messages(response):
        problems.append(
            f"the right password then: {response.status_code} «{brief(messages(response))}»"
        )
    return problems, (
        f"answers {sorted(set(_statuses(responses)))}, counted {state['wrong_passwords']}, "
        f"locked {state['locked']}; right password: {response.status_code}"
    )


def c_same_registration(live: Live) -> tuple[list[str], str]:
    username = f"race{next(live.names):04d}"
    browsers = [live.browser() for _ in range(5)]
    for browser in browsers:
        browser.open(REGISTER)
    calls = [lambda b=b, i=i: b.post(REGISTER, data={**REGISTRATION, "username": username,
                                                     "email": f"{username}{i}@student.example.edu.tw"})
             for i, b in enumerate(browsers)]  # fmt: skip
    responses = at_once(calls)
    made = sum(1 for r in responses if not isinstance(r, BaseException) and r.status_code == 303)
    exists = live.mock.control.get(f"accounts/{username}").status_code == 200
    problems = (
        []
        if made == 1 and exists and not any(s.startswith("5") for s in _statuses(responses))
        else [f"answers {_statuses(responses)}, account exists {exists}"]
    )
    return problems, f"answers {_statuses(responses)}, {made} accepted"


def c_double_pay(live: Live) -> tuple[list[str], str]:
    username = live.account()
    browser = _logged_in(live, "gold-card", username)
    number = live.mock.create_case(username=username, fee=5300)["number"]
    root = "/coa-frontend/gold-card/payment"
    browser.open(root)
    assert browser.post(root, data={"cases": [number]}).status_code == 303
    browser.open(f"{root}/detail")
    assert browser.post(f"{root}/detail").status_code == 303
    browser.open(f"{root}/methods")
    gateway = browser.post(f"{root}/methods", data={"method": "intl-card"}).headers["location"]
    browser.open(gateway)
    twin = browser.twin()
    card = dict(GOOD_CARD)
    responses = at_once([lambda: browser.post(f"{gateway}/pay", data=card),
                         lambda: twin.post(f"{gateway}/pay", data=card)])  # fmt: skip
    [case] = [c for c in _cases(live) if c["number"] == number]
    paid = _events(case, "已繳費")
    problems = (
        []
        if paid == 1 and not any(s.startswith("5") for s in _statuses(responses))
        else [f"answers {_statuses(responses)}, paid {paid} times"]
    )
    return problems, f"answers {_statuses(responses)}, 已繳費 {paid} time(s)"


def c_double_withdraw(live: Live) -> tuple[list[str], str]:
    username = live.account()
    browser = _logged_in(live, "gold-card", username)
    number = live.mock.create_case(username=username, status="已送件")["number"]
    browser.open("/coa-frontend/gold-card/progress")
    url = f"/coa-frontend/gold-card/progress/{number}/withdraw"
    twin = browser.twin()
    responses = at_once([lambda: browser.post(url), lambda: twin.post(url)])
    [case] = [c for c in _cases(live) if c["number"] == number]
    count = _events(case, "已撤銷")
    problems = (
        []
        if count == 1 and not any(s.startswith("5") for s in _statuses(responses))
        else [f"answers {_statuses(responses)}, withdrawn {count} times"]
    )
    return problems, f"answers {_statuses(responses)}, 已撤銷 {count} time(s)"


def c_double_approve(live: Live) -> tuple[list[str], str]:
    username = live.account()
    number = live.mock.create_case(username=username, status="已送件")["number"]
    officer = live.browser()
    assert officer.login_officer(*OFFICER).status_code == 303
    officer.open(f"/officer/cases/{number}")
    twin = officer.twin()
    url = f"/officer/cases/{number}/approve"
    responses = at_once([lambda: officer.post(url), lambda: twin.post(url)])
    [case] = [c for c in _cases(live) if c["number"] == number]
    count = _events(case, "審核通過")
    problems = (
        []
        if count == 1 and not any(s.startswith("5") for s in _statuses(responses))
        else [f"answers {_statuses(responses)}, approved {count} times"]
    )
    return problems, f"answers {_statuses(responses)}, 審核通過 {count} time(s)"


def c_double_supplement(live: Live) -> tuple[list[str], str]:
    username = live.account()
    browser = _logged_in(live, "gold-card", username)
    uino = live.holder("2025-12-31")
    answers = {key: value for key, value in QUESTIONS.items() if key != "agree"}
    data = {**SUPPLEMENT_DATA, "uino": uino, "answers": {**answers, "uino": uino}}
    number = live.mock.create_case(username=username, status="已送件", data=data)["number"]
    live.mock.review(number, "supplement", comments={"基本資料": "請更正。"})
    page = browser.open(f"{SUPPLEMENTS}/{number}/form")
    form = {**input_values(page.text), "reply": "已更正。"}
    twin = browser.twin()
    url = f"{SUPPLEMENTS}/{number}/form"
    responses = at_once([lambda: browser.post(url, data=form), lambda: twin.post(url, data=form)])
    [case] = [c for c in _cases(live) if c["number"] == number]
    count = _events(case, "補正完成")
    problems = (
        []
        if count == 1 and not any(s.startswith("5") for s in _statuses(responses))
        else [f"answers {_statuses(responses)}, sent {count} times"]
    )
    return problems, f"answers {_statuses(responses)}, 補正完成 {count} time(s)"


CONCURRENT: list[tuple[str, str, Callable[[Live], tuple[list[str], str]]]] = [
    ("two accounts submit other-reason applications at once, 8 rounds", ACCEPTED, c_two_accounts_rounds),
    ("six accounts submit other-reason applications at once", ACCEPTED, c_six_accounts),
    ("one account submits from two browsers at once", ACCEPTED, c_one_account_two_browsers),
    ("the same other-reason form submitted twice at once", ACCEPTED, c_double_click_other_reason),
    ("two accounts file for the same holder at once", REFUSED, c_same_holder_two_accounts),
    ("the same Gold Card draft submitted twice at once, 3 drafts", ACCEPTED, c_double_submit_gold_card),
    ("the same Gold Card draft from two browsers at once", ACCEPTED, c_gold_card_two_browsers),
    ("10 accounts log in at once", ACCEPTED, lambda live: c_ten_logins(live, same=False)),
    ("one account logs in from 10 browsers at once", ACCEPTED, lambda live: c_ten_logins(live, same=True)),
    ("10 uploads at once in one browser", ACCEPTED, lambda live: c_ten_uploads(live, same=True)),
    ("10 uploads at once from 10 browsers", ACCEPTED, lambda live: c_ten_uploads(live, same=False)),
    ("10 wrong passwords at once lock an applicant", REFUSED, lambda live: c_parallel_wrong_passwords(live, officer=False)),
    ("10 wrong passwords at once lock an officer", REFUSED, lambda live: c_parallel_wrong_passwords(live, officer=True)),
    ("the same registration 5 times at once", REFUSED, c_same_registration),
    ("the same payment confirmed twice at once", ACCEPTED, c_double_pay),
    ("the same case withdrawn twice at once", ACCEPTED, c_double_withdraw),
    ("an officer approves the same case twice at once", ACCEPTED, c_double_approve),
    ("the same supplement sent twice at once", ACCEPTED, c_double_supplement),
]  # fmt: skip
