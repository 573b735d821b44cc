"""The officer login's inputs: the lock after repeated wrong passwords, and the captcha.

Each scenario runs against an in-process ``World`` with officer accounts of its own (the
seeded officer stays usable) and returns what was wrong and what the mock did;
``OFFICER_LOGINS`` is the table tests/test_hostile.py parametrizes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.hostile.checks import ACCEPTED, FULL_WIDTH_LETTERS, REFUSED, SQL, refusal
from tests.hostile.mock import (
    LOGIN,
    OFFICER,
    OFFICER_LOGIN,
    PASSWORD,
    World,
    brief,
    captcha_of,
    messages,
)


def _officer_attempt(
    world: World, browser: Any, username: str, password: str, captcha: str | None = None
) -> Any:
    assert browser.get(OFFICER_LOGIN).status_code == 200
    answer = captcha_of(browser) if captcha is None else captcha
    return browser.post(
        OFFICER_LOGIN, data={"username": username, "password": password, "captcha": answer}
    )


def o_lock(world: World) -> tuple[list[str], str]:
    username = world.new_username("off")
    world.add_account(system="officer", username=username)
    browser = world.browser()
    said = [
        _officer_attempt(world, browser, username, f"Wrong{i}999").status_code for i in range(5)
    ]
    state = world.account_state(username)
    fresh = world.browser()
    response = _officer_attempt(world, fresh, username, PASSWORD)
    problems = []
    if not state["locked"]:
        problems.append(f"not locked after 5 wrong passwords ({state['wrong_passwords']})")
    if response.status_code != 422 or "鎖定" not in messages(response):
        problems.append(f"right password: {response.status_code} «{brief(messages(response))}»")
    if fresh.get("/officer/cases", follow_redirects=False).status_code != 303:
        problems.append("the console opened")
    return (
        problems,
        f"answers {said}; then the right password: {response.status_code} «{brief(messages(response))}»",
    )


def o_captcha(world: World, how: str) -> tuple[list[str], str]:
    username = world.new_username("off")
    world.add_account(system="officer", username=username)
    browser = world.browser()
    assert browser.get(OFFICER_LOGIN).status_code == 200
    right = captcha_of(browser)
    if how == "wrong":
        answer = "ZZZZZ" if right != "ZZZZZ" else "YYYYY"
    elif how == "empty":
        answer = ""
    elif how == "stale":
        assert browser.get(OFFICER_LOGIN).status_code == 200  # a new page draws a new captcha
        answer = right if captcha_of(browser) != right else "ZZZZZ"
    elif how == "another browser's":
        other = world.browser()
        assert other.get(OFFICER_LOGIN).status_code == 200
        answer = captcha_of(other)
        if answer == right:
            answer = "ZZZZZ"
    elif how == "full-width":
        answer = right.translate(FULL_WIDTH_LETTERS)
    elif how == "NUL":
        answer = right[:2] + "\x00" + right[2:]
    elif how == "right answer + SQL":
        answer = right + SQL
    else:
        answer = "A" * 100_000
    before = world.snapshot()
    response = browser.post(
        OFFICER_LOGIN, data={"username": username, "password": PASSWORD, "captcha": answer}
    )
    after = world.snapshot()
    opened = browser.get("/officer/cases", follow_redirects=False).status_code
    return refusal(response, before, after, labels=("驗證碼",), statuses=(422,),
                   more=(f"the console opened ({opened})" if opened != 303 else "",))  # fmt: skip


def o_wrong_captcha_is_no_attempt(world: World) -> tuple[list[str], str]:
    username = world.new_username("off")
    world.add_account(system="officer", username=username)
    browser = world.browser()
    for _ in range(6):
        _officer_attempt(world, browser, username, "Wrong9999", captcha="ZZZZZ")
    state = world.account_state(username)
    problems = [] if not state["locked"] and state["wrong_passwords"] == 0 else [f"state {state}"]
    return problems, f"after 6 wrong captchas with a wrong password: {state}"


def o_reset_counter(world: World) -> tuple[list[str], str]:
    username = world.new_username("off")
    world.add_account(system="officer", username=username)
    browser = world.browser()
    for i in range(4):
        _officer_attempt(world, browser, username, f"Wrong{i}999")
    right = _officer_attempt(world, world.browser(), username, PASSWORD)
    for i in range(4):
        _officer_attempt(world, world.browser(), username, f"Again{i}99")
    state = world.account_state(username)
    problems = (
        []
        if right.status_code == 303 and not state["locked"]
        else [f"right password {right.status_code}, state {state}"]
    )
    return problems, f"4 wrong, right ({right.status_code}), 4 wrong: {state}"


def o_applicant_on_officer_login(world: World) -> tuple[list[str], str]:
    browser = world.browser()
    before = world.snapshot()
    response = _officer_attempt(world, browser, "alice", PASSWORD)
    after = world.snapshot()
    return refusal(response, before, after, labels=("帳號",), statuses=(422,))


def o_officer_on_applicant_login(world: World) -> tuple[list[str], str]:
    browser = world.browser()
    assert browser.get(f"{LOGIN}?system=gold-card").status_code == 200
    before = world.snapshot()
    response = browser.post(LOGIN, data={"username": OFFICER[0], "password": OFFICER[1],
                                         "captcha": captcha_of(browser), "system": "gold-card"})  # fmt: skip
    after = world.snapshot()
    return refusal(response, before, after, labels=("帳號",), statuses=(422,))


def o_case_variant(world: World) -> tuple[list[str], str]:
    username = world.new_username("off")
    world.add_account(system="officer", username=username)
    browser = world.browser()
    before = world.snapshot()
    response = _officer_attempt(world, browser, username.upper(), PASSWORD)
    after = world.snapshot()
    return refusal(response, before, after, labels=("帳號",), statuses=(422,))


def o_lock_is_per_account(world: World) -> tuple[list[str], str]:
    first, second = world.new_username("off"), world.new_username("off")
    for username in (first, second):
        world.add_account(system="officer", username=username)
    for i in range(5):
        _officer_attempt(world, world.browser(), first, f"Wrong{i}999")
    response = _officer_attempt(world, world.browser(), second, PASSWORD)
    problems = [] if response.status_code == 303 else [f"the other officer: {response.status_code}"]
    return problems, f"{first} locked; {second} logs in: {response.status_code}"


def o_locked_in_new_browser(world: World) -> tuple[list[str], str]:
    username = world.new_username("off")
    world.add_account(system="officer", username=username)
    for i in range(5):
        _officer_attempt(world, world.browser(), username, f"Wrong{i}999")
    before = world.snapshot()
    response = _officer_attempt(world, world.browser(), username, PASSWORD)
    after = world.snapshot()
    return refusal(response, before, after, labels=("鎖定",), says=("系統管理者",), statuses=(422,))


OFFICER_LOGINS: list[tuple[str, str, Callable[[World], tuple[list[str], str]]]] = [
    ("5 wrong passwords lock; then the right one fails", REFUSED, o_lock),
    ("locked: the right password in a new browser names the administrator", REFUSED, o_locked_in_new_browser),
    ("wrong captcha", REFUSED, lambda world: o_captcha(world, "wrong")),
    ("empty captcha", REFUSED, lambda world: o_captcha(world, "empty")),
    ("the previous page's captcha", REFUSED, lambda world: o_captcha(world, "stale")),
    ("another browser's captcha", REFUSED, lambda world: o_captcha(world, "another browser's")),
    ("the captcha in full-width letters", REFUSED, lambda world: o_captcha(world, "full-width")),
    ("NUL inside the captcha", REFUSED, lambda world: o_captcha(world, "NUL")),
    ("the right captcha with SQL after it", REFUSED, lambda world: o_captcha(world, "right answer + SQL")),
    ("a captcha of 100,000 characters", REFUSED, lambda world: o_captcha(world, "long")),
    ("wrong captchas do not count as password attempts", REFUSED, o_wrong_captcha_is_no_attempt),
    ("an applicant's account on the officer login", REFUSED, o_applicant_on_officer_login),
    ("the officer's account on the applicant login", REFUSED, o_officer_on_applicant_login),
    ("the officer name in capitals", REFUSED, o_case_variant),
    ("4 wrong, then the right password, then 4 wrong: not locked", ACCEPTED, o_reset_counter),
    ("one officer's lock leaves another officer alone", ACCEPTED, o_lock_is_per_account),
]  # fmt: skip
