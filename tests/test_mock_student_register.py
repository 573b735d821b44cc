"""學生註冊, the verification link, 重發認證信, 忘記密碼 and the mailbox, over HTTP in-process."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tests.mock_client import captcha_answer, make_client

REGISTER = "/coa-frontend/foreign-student/individual/register"
LOGIN = "/coa-frontend/foreign-student/individual/login"
RESEND = "/coa-frontend/foreign-student/individual/resend-verification"
FORGOT = "/coa-frontend/foreign-student/individual/forgot-password"
HOME = "/coa-frontend/foreign-student/home"
SENDER = "niasys@immigration.gov.tw"
DEAD_LINK = "此認證連結已使用過或已失效"
NOT_VERIFIED = "帳號尚未完成Email認證"
_VERIFY_LINK = re.compile(r'href="(http://testserver(/coa-frontend/register/verify/[^"]+))"')
_RESET_LINK = re.compile(r'href="(http://testserver(/coa-frontend/register/reset/[^"]+))"')

FORM = {
    "chinese_name": "阮氏花",
    "surname": "NGUYEN",
    "given_name": "THI HOA",
    "nationality": "越南",
    "birth_date": "2002/03/04",
    "gender": "女",
    "passport_number": "C1234567",
    "phone": "0912-345-678",
    "extension": "",
    "email": "hoa@student.example.edu.tw",
    "username": "hoa2024",
    "password": "study123pw",
    "password_confirm": "study123pw",
}
REQUIRED = {
    "surname": "英文姓氏",
    "given_name": "英文名字",
    "nationality": "國籍",
    "birth_date": "出生日期(西元)",
    "gender": "性別",
    "passport_number": "護照號碼",
    "phone": "聯絡電話",
    "email": "電子郵件",
    "username": "登入帳號",
    "password": "登入密碼",
    "password_confirm": "登入密碼確認",
}


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        yield test_client


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def register(client: TestClient, **changes: str):
    return client.post(REGISTER, data={**FORM, **changes}, follow_redirects=True)


def mails(client: TestClient, to: str = FORM["email"]) -> list[dict]:
    response = client.get("/__mock__/mail", params={"to": to})
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def account_state(client: TestClient, username: str = FORM["username"]):
    return client.get(f"/__mock__/accounts/{username}")


def link_in(mail: dict, pattern: re.Pattern[str] = _VERIFY_LINK) -> str:
    """The path of the mail's link (both languages carry the same one)."""
    found = {match.group(2) for match in pattern.finditer(mail["html"])}
    assert len(found) == 1, mail["html"]
    assert found.pop().rsplit("/", 1)[0] in mail["text"]
    return pattern.search(mail["html"]).group(2)  # type: ignore[union-attr]


def log_in(client: TestClient, username: str, password: str):
    assert client.get(LOGIN).status_code == 200
    return client.post(
        LOGIN,
        data={"username": username, "password": password, "captcha": captcha_answer(client)},
        follow_redirects=False,
    )


def advance(client: TestClient, seconds: int) -> None:
    assert client.post("/__mock__/clock", json={"advance_seconds": seconds}).status_code == 200


# --- the form and its page ----------------------------------------------------------------


def test_the_registration_page_has_the_tutorial_texts_and_labels(client):
    page = client.get(REGISTER)
    assert page.status_code == 200
    text = text_of(page.text)
    assert "外生、外僑生居留證申請 - 學生註冊" in text
    assert "例如：JOHN TERRY LEWIS" in text and "全部大寫" in text
    assert "請務必記住您填寫的帳號" in text
    assert "密碼長度最少8個字，且至少1個英文小寫字母及1個阿拉伯數字" in text
    assert "Students Online Application System" in text  # the student banner
    for label in ("中文姓名", "分機號碼", *REQUIRED.values()):
        assert f">{label}</label>" in page.text, label
    # The star is outside the label, so the label reads as the field's name.
    assert '<span class="star" aria-hidden="true">*</span><label for="surname">' in page.text
    assert 'type="reset"' in page.text and ">註冊</button>" in page.text
    assert "越南" in page.text and "印尼" in page.text and 'placeholder="YYYY/MM/DD"' in page.text


def test_registering_makes_an_unverified_account_and_sends_one_mail(client):
    done = register(client)
    assert done.status_code == 200
    assert done.url.path == f"{REGISTER}/done"
    assert FORM["email"] in done.text and "帳號啟用後才能登入" in done.text
    assert f'href="{LOGIN}"' in done.text
    state = account_state(client).json()
    assert state["verified"] is False
    [mail] = mails(client)
    assert mail["subject"] == "會員信箱認證通知函 Please Verify your e-mail address"
    path = link_in(mail)
    assert path.startswith(f"/coa-frontend/register/verify/{FORM['username']}/")
    assert len(path.rsplit("/", 1)[1]) >= 32  # an unguessable token
    for line in (
        "您好：",
        f"您申請註冊的帳號：{FORM['username']}",
        "請點擊下方連結即可啟用您的帳號：",
        "並請妥善保存您的申請帳號。",
        "內政部移民署 敬啟",
        "Dear NGUYEN THI HOA:",
        f"Your registration account number: {FORM['username']}",
        "please click the link below to complete process:",
        "Please keep your account number in a secure manner.",
        "National Immigration Agency, ROC(Taiwan)",
    ):
        assert line in mail["text"], line
        assert line in unescape(mail["html"]), line
    assert "data-dynamic" in mail["html"]


def test_login_before_verification_is_refused_then_the_link_activates(client):
    register(client)
    refused = log_in(client, FORM["username"], FORM["password"])
    assert refused.status_code == 422
    assert NOT_VERIFIED in refused.text

    path = link_in(mails(client)[0])
    landing = client.get(path)
    assert landing.status_code == 200
    assert "帳號啟用成功" in landing.text and FORM["username"] in landing.text
    assert "前往登入" in landing.text
    assert account_state(client).json()["verified"] is True

    again = client.get(path)
    assert again.status_code == 410
    assert DEAD_LINK in again.text
    assert "請直接登入" in again.text  # already activated: the way forward is the login

    welcome = log_in(client, FORM["username"], FORM["password"])
    assert welcome.status_code == 303
    assert welcome.headers["location"] == HOME


def test_unknown_or_tampered_links_are_refused_without_an_error(client):
    register(client)
    path = link_in(mails(client)[0])
    for bad in (path[:-3] + "xyz", "/coa-frontend/register/verify/nobody/abc", path + "/more"):
        response = client.get(bad)
        assert response.status_code in (404, 410), bad
        assert "系統忙碌中" not in response.text
    assert DEAD_LINK in client.get(path[:-3] + "xyz").text
    assert account_state(client).json()["verified"] is False


def test_resend_kills_the_old_link_and_the_new_one_works(client):
    register(client)
    old = link_in(mails(client)[0])
    sent = client.post(RESEND, data={"username": FORM["username"], "email": FORM["email"]})
    assert sent.status_code == 200
    assert "新的認證信已寄至" in sent.text and FORM["email"] in sent.text
    assert len(mails(client)) == 2
    new = link_in(mails(client)[-1])
    assert new != old

    dead = client.get(old)
    assert dead.status_code == 410 and DEAD_LINK in dead.text and "重發認證信" in dead.text
    assert account_state(client).json()["verified"] is False
    assert client.get(new).status_code == 200
    assert account_state(client).json()["verified"] is True

    already = client.post(RESEND, data={"username": FORM["username"], "email": FORM["email"]})
    assert already.status_code == 409 and "已完成Email認證" in already.text
    assert f'href="{LOGIN}"' in already.text
    assert len(mails(client)) == 2


def test_resend_refuses_an_unknown_pair_without_saying_which_part(client):
    register(client)
    for data in (
        {"username": FORM["username"], "email": "someone@example.com"},
        {"username": "nobody99", "email": FORM["email"]},
    ):
        response = client.post(RESEND, data=data)
        assert response.status_code == 422
        assert "登入帳號或電子郵件不正確" in response.text
    empty = client.post(RESEND, data={"username": "", "email": ""})
    assert "登入帳號：此欄位為必填" in empty.text and "電子郵件：此欄位為必填" in empty.text
    assert len(mails(client)) == 1


def test_a_verification_link_expires_after_24_hours(client):
    register(client)
    path = link_in(mails(client)[0])
    advance(client, 90_000)
    expired = client.get(path)
    assert expired.status_code == 410
    assert DEAD_LINK in expired.text and "24 小時" in expired.text
    assert account_state(client).json()["verified"] is False


# --- refusals of the form -----------------------------------------------------------------


def test_every_missing_required_field_is_named_and_nothing_is_saved(client):
    response = client.post(REGISTER, data={"extension": "12"})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "資料有誤，請修正以下欄位" in text
    for label in REQUIRED.values():
        assert f"{label}：此欄位為必填" in text, label
    assert "中文姓名：" not in text and "分機號碼：" not in text
    assert account_state(client).status_code == 404


def test_values_are_kept_except_the_passwords(client):
    response = register(client, surname="nguyen")
    assert response.status_code == 422
    assert "英文姓氏：請全部以大寫英文字母填寫" in response.text
    assert 'value="nguyen"' in response.text and 'value="THI HOA"' in response.text
    assert 'value="hoa@student.example.edu.tw"' in response.text
    assert FORM["password"] not in response.text
    assert '<option value="越南" selected>' in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"given_name": "Thi Hoa"}, "英文名字：請全部以大寫英文字母填寫"),
        ({"surname": "NGUYỄN"}, "英文姓氏：只能填寫大寫英文字母、空白及連字號(-)"),
        ({"chinese_name": "Hoa"}, "中文姓名：請以中文填寫"),
        ({"nationality": "火星"}, "國籍：請從選單中選擇"),
        ({"birth_date": "2002-03-04"}, "出生日期(西元)：請依 YYYY/MM/DD 格式填寫"),
        ({"birth_date": "2002/02/30"}, "出生日期(西元)：2002/02/30 不是有效的日期"),
        ({"birth_date": "2999/01/01"}, "出生日期(西元)：2999/01/01 不是過去的日期"),
        ({"passport_number": "C12"}, "護照號碼：請填寫5至12個英文字母或數字"),
        ({"phone": "call me"}, "聯絡電話：請填寫7至20個字的電話號碼"),
        ({"extension": "12a"}, "分機號碼：只能填寫數字"),
        ({"email": "hoa@"}, "電子郵件：格式不正確"),
        ({"username": "ab"}, "登入帳號：請填寫4至20個英文字母或數字"),
        ({"username": "hoa 2024"}, "登入帳號：請填寫4至20個英文字母或數字"),
    ],
)
def test_malformed_fields_are_refused_with_their_label(client, changes, message):
    response = register(client, **changes)
    assert response.status_code == 422
    assert message in response.text
    assert account_state(client).status_code == 404
    assert mails(client) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("study12", "登入密碼：長度只有7個字，最少需8個字"),
        ("studypass", "登入密碼：缺少阿拉伯數字（至少1個）"),
        ("STUDY1234", "登入密碼：缺少英文小寫字母（至少1個）"),
        ("12345678", "登入密碼：缺少英文小寫字母（至少1個）"),
    ],
)
def test_weak_passwords_are_refused_naming_what_is_missing(client, password, message):
    response = register(client, password=password, password_confirm=password)
    assert response.status_code == 422
    assert message in response.text
    assert account_state(client).status_code == 404


def test_a_password_lacking_two_things_names_both(client):
    response = register(client, password="Short", password_confirm="Short")
    assert "長度只有5個字，最少需8個字；缺少阿拉伯數字（至少1個）" in response.text


def test_a_mismatched_confirmation_is_refused(client):
    response = register(client, password_confirm="study123px")
    assert response.status_code == 422
    assert "登入密碼確認：與登入密碼不一致，請重新輸入" in response.text
    assert account_state(client).status_code == 404


def test_a_taken_account_or_email_is_refused_and_nothing_is_saved(client):
    register(client)
    same_name = register(client, username="HOA2024", email="other@example.com")
    assert same_name.status_code == 422
    assert "登入帳號：此帳號已被註冊，請改用其他帳號" in same_name.text
    same_mail = register(client, username="hoa2025", email="HOA@student.example.edu.tw")
    assert same_mail.status_code == 422
    assert "電子郵件：此電子郵件已註冊" in same_mail.text and "重發認證信" in same_mail.text
    assert account_state(client, "HOA2024").status_code == 404
    assert account_state(client, "hoa2025").status_code == 404
    assert mails(client, "other@example.com") == []
    assert len(mails(client)) == 1


# --- 忘記密碼 ------------------------------------------------------------------------------


def test_forgot_password_resets_it_once_and_unlocks_the_account(client):
    register(client)
    client.get(link_in(mails(client)[0]))
    for _ in range(5):
        log_in(client, FORM["username"], "wrong-pass1")
    assert account_state(client).json()["locked"] is True

    sent = client.post(FORGOT, data={"username": FORM["username"], "email": FORM["email"]})
    assert sent.status_code == 200 and "密碼重設信已寄至" in sent.text
    mail = mails(client)[-1]
    assert mail["subject"] == "會員密碼重設通知函 Password Reset"
    assert "您好：" in mail["text"] and "Dear NGUYEN THI HOA:" in mail["text"]
    path = link_in(mail, _RESET_LINK)

    form = client.get(path)
    assert form.status_code == 200 and ">新密碼</label>" in form.text
    weak = client.post(path, data={"password": "newpass", "password_confirm": "newpass"})
    assert weak.status_code == 422
    assert "新密碼：長度只有7個字，最少需8個字" in weak.text
    mismatch = client.post(path, data={"password": "newpass99", "password_confirm": "newpass98"})
    assert "新密碼確認：與新密碼不一致" in mismatch.text

    done = client.post(path, data={"password": "newpass99", "password_confirm": "newpass99"})
    assert done.status_code == 200 and "密碼重設成功" in done.text
    state = account_state(client).json()
    assert state["locked"] is False and state["wrong_passwords"] == 0
    assert client.get(path).status_code == 410
    reused = client.post(path, data={"password": "other999x", "password_confirm": "other999x"})
    assert reused.status_code == 410

    assert log_in(client, FORM["username"], FORM["password"]).status_code == 422
    assert log_in(client, FORM["username"], "newpass99").status_code == 303


def test_forgot_password_names_an_unknown_pair_and_an_unverified_account(client):
    register(client)
    unknown = client.post(FORGOT, data={"username": "nobody99", "email": FORM["email"]})
    assert unknown.status_code == 422 and "登入帳號或電子郵件不正確" in unknown.text
    unverified = client.post(FORGOT, data={"username": FORM["username"], "email": FORM["email"]})
    assert unverified.status_code == 409 and "尚未完成Email認證" in unverified.text
    assert len(mails(client)) == 1


def test_a_reset_link_expires_after_24_hours(client):
    register(client)
    client.get(link_in(mails(client)[0]))
    client.post(FORGOT, data={"username": FORM["username"], "email": FORM["email"]})
    path = link_in(mails(client)[-1], _RESET_LINK)
    advance(client, 90_000)
    expired = client.post(path, data={"password": "newpass99", "password_confirm": "newpass99"})
    assert expired.status_code == 410 and "24 小時" in expired.text
    assert log_in(client, FORM["username"], FORM["password"]).status_code == 303


# --- the mailbox --------------------------------------------------------------------------


def test_the_inbox_lists_mails_newest_first_and_shows_one(client):
    empty = client.get(f"/mailbox/{FORM['email']}")
    assert empty.status_code == 200 and "收件匣中沒有郵件" in empty.text
    register(client)
    advance(client, 60)
    client.post(RESEND, data={"username": FORM["username"], "email": FORM["email"]})

    inbox = client.get(f"/mailbox/{FORM['email']}")
    assert inbox.status_code == 200
    assert "coa-e2e 模擬信箱 Mock Mailbox" in inbox.text
    assert SENDER in inbox.text
    links = re.findall(r'<a href="(/mailbox/[^"]+/(\d+))">([^<]+)</a>', inbox.text)
    assert [int(mail_id) for _, mail_id, _ in links] == [2, 1]  # newest first
    assert {subject for _, _, subject in links} == {
        "會員信箱認證通知函 Please Verify your e-mail address"
    }
    assert re.search(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", inbox.text)

    message = client.get(links[0][0])
    assert message.status_code == 200
    text = text_of(message.text)
    assert "會員信箱認證通知函 Please Verify your e-mail address 收件匣" in text
    assert SENDER in text and "寄給我" in text and "< 返回收件匣" in text
    assert "您申請註冊的帳號：hoa2024" in text and "Your registration account number" in text
    newest_link = _VERIFY_LINK.search(mails(client)[-1]["html"]).group(1)  # type: ignore[union-attr]
    assert f'<p data-dynamic><a href="{newest_link}">' in message.text
    assert "data-dynamic" in message.text


def test_a_mail_of_another_address_is_not_found(client):
    register(client)
    assert client.get(f"/mailbox/{FORM['email']}/1").status_code == 200
    other = client.get("/mailbox/someone@example.com/1")
    assert other.status_code == 404 and "找不到郵件" in other.text
    assert client.get("/mailbox/someone@example.com/999").status_code == 404
    assert client.get("/mailbox/someone@example.com/abc").status_code in (400, 404, 422)
