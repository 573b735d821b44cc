"""「外生、外僑生居留證申請 - 學生註冊」 (S.3) and the account pages around it, as pure rules.

The tutorial states the password rule (「密碼長度最少8個字，且至少1個英文小寫字母及1個阿拉伯
數字」) and that English names are written 「全部大寫」; the formats of 護照號碼, 聯絡電話 and
登入帳號 are the mock's own (synthetic, documented here). Every message starts with the
field's label and says what is wrong. Uniqueness needs the database: services.registration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from mock_platform.rules import dates, text
from mock_platform.rules.forms import CHINESE_NAME_MAX, CJK_NAME, Checked, Field

NATIONALITIES: tuple[str, ...] = (
    "越南", "印尼", "泰國", "菲律賓", "馬來西亞", "日本", "印度", "美國", "韓國", "蒙古",
    "緬甸", "新加坡", "大陸地區", "香港", "澳門", "加拿大", "英國", "法國", "德國", "澳大利亞",
    "史瓦帝尼", "巴拉圭",
)  # fmt: skip
GENDERS: tuple[str, ...] = ("男", "女")

# The note above the form, word for word (its 「英文姓名」 means the 英文名字 field).
NAME_NOTE = (
    "備註：如果護照上面沒有分姓跟名，護照上第一個字就寫在「英文姓氏」，剩下的寫在「英文姓名」。"
    "例如：JOHN TERRY LEWIS"
)
ACCOUNT_HINT = "請務必記住您填寫的帳號"
PASSWORD_RULE = "密碼長度最少8個字，且至少1個英文小寫字母及1個阿拉伯數字"
PASSWORD_MIN = 8
PASSWORD_MAX = text.MAX_LENGTH["password"]  # keeps a pasted essay out of the hash
NAME_MAX = 40
EMAIL_MAX = 100
SHORT = text.MAX_LENGTH["short"]  # numbers and ids the user types; the formats say the rest

FIELDS: tuple[Field, ...] = (
    Field("chinese_name", "中文姓名", max_length=CHINESE_NAME_MAX),
    Field("surname", "英文姓氏", required=True, max_length=NAME_MAX),
    Field("given_name", "英文名字", required=True, max_length=NAME_MAX),
    Field("nationality", "國籍", required=True, kind="select", choices=NATIONALITIES),
    Field("birth_date", "出生日期(西元)", required=True, kind="date", placeholder="YYYY/MM/DD"),
    Field("gender", "性別", required=True, kind="select", choices=GENDERS),
    Field("passport_number", "護照號碼", required=True, sensitive=True, max_length=SHORT),
    Field("phone", "聯絡電話", required=True, kind="tel"),
    Field("extension", "分機號碼", max_length=SHORT),
    Field("email", "電子郵件", required=True, kind="email", max_length=EMAIL_MAX),
    Field("username", "登入帳號", required=True, max_length=SHORT),
)
LABELS: dict[str, str] = {spec.name: spec.label for spec in FIELDS}
PASSWORD = Field("password", "登入密碼", required=True, max_length=PASSWORD_MAX)
PASSWORD_CONFIRM = Field("password_confirm", "登入密碼確認", required=True, max_length=PASSWORD_MAX)
NEW_PASSWORD = Field("password", "新密碼", required=True, max_length=PASSWORD_MAX)
NEW_PASSWORD_CONFIRM = Field(
    "password_confirm", "新密碼確認", required=True, max_length=PASSWORD_MAX
)
# 「重發認證信」 and 「忘記密碼」 ask for the pair an account was registered with.
LOOKUP_FIELDS: tuple[Field, ...] = (
    Field("username", "登入帳號", required=True, max_length=SHORT),
    Field("email", "電子郵件", required=True, kind="email", max_length=EMAIL_MAX),
)

UPPER_NAME = re.compile(r"^[A-Z]+(?:[ -][A-Z]+)*$")
LATIN_NAME = re.compile(r"^[A-Za-z]+(?:[ -][A-Za-z]+)*$")
PASSPORT = re.compile(r"^[A-Z0-9]{5,12}$")
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
PHONE_MIN_DIGITS = 7
EXTENSION = re.compile(r"^[0-9]{1,6}$")
USERNAME = re.compile(r"^[A-Za-z0-9]{4,20}$")
EARLIEST_BIRTH = date(1900, 1, 1)


def _required(fields: tuple[Field, ...], form: Mapping[str, str], checked: Checked) -> None:
    """Each field cleaned (length, control characters), then required and closed choices.

    Not ``forms.check_fields``: dates and e-mail have this form's own messages below."""
    for spec in fields:
        try:
            value = text.clean(spec.label, str(form.get(spec.name, "")), max_length=spec.limit)
        except text.TextRejected as error:
            checked.values[spec.name] = ""  # nothing of a refused value is shown back
            checked.fail(spec.name, str(error))
            continue
        checked.values[spec.name] = value
        if not value and spec.required:
            verb = "請選擇" if spec.kind == "select" else "請填寫"
            checked.fail(spec.name, f"{spec.label}：此欄位為必填，{verb}{spec.label}")
        elif value and spec.choices and value not in spec.choices:
            checked.fail(spec.name, f"{spec.label}：請從選單中選擇")


def validate_registration(form: Mapping[str, str], *, today: date) -> Checked:
    """The whole form: required fields, formats, the password rule and its confirmation."""
    checked = Checked()
    _required(FIELDS, form, checked)
    values = checked.values
    for name in ("surname", "given_name"):
        _check_english_name(checked, name)
    chinese = values["chinese_name"]
    if chinese and not checked.has_error("chinese_name") and not CJK_NAME(chinese):
        checked.fail(
            "chinese_name",
            f"中文姓名：請以中文填寫，最多{CHINESE_NAME_MAX}個字（沒有中文姓名可留空）",
        )
    _check_birth_date(checked, today)
    passport = values["passport_number"].upper()
    values["passport_number"] = passport
    if passport and not checked.has_error("passport_number") and not PASSPORT.match(passport):
        checked.fail("passport_number", "護照號碼：請填寫5至12個英文字母或數字（不含空白及符號）")
    phone = values["phone"]
    if phone and (not PHONE.match(phone) or len(re.sub("[^0-9]", "", phone)) < PHONE_MIN_DIGITS):
        checked.fail("phone", "聯絡電話：請填寫7至20個字的電話號碼（數字，可含 - + ( ) 及空白）")
    extension = values["extension"]
    if extension and not EXTENSION.match(extension):
        checked.fail("extension", "分機號碼：只能填寫數字，最多6位")
    check_email(checked, values["email"])
    check_username(checked, values["username"])
    check_new_password(checked, form, field=PASSWORD, confirm_field=PASSWORD_CONFIRM)
    return checked


def _check_english_name(checked: Checked, name: str) -> None:
    label = LABELS[name]
    value = re.sub(r"\s+", " ", checked.values[name])
    checked.values[name] = value
    if not value or checked.has_error(name):
        return
    if LATIN_NAME.match(value) and not UPPER_NAME.match(value):
        checked.fail(name, f"{label}：請全部以大寫英文字母填寫")
    elif not UPPER_NAME.match(value):
        checked.fail(name, f"{label}：只能填寫大寫英文字母、空白及連字號(-)")


def _check_birth_date(checked: Checked, today: date) -> None:
    label = LABELS["birth_date"]
    value = checked.values["birth_date"]
    if not value or checked.has_error("birth_date"):
        return
    if not dates.PATTERN.match(value):
        checked.fail("birth_date", f"{label}：請依 YYYY/MM/DD 格式填寫西元日期（例如 2001/05/20）")
        return
    try:
        born = dates.parse(label, value)
    except dates.DateError as error:
        checked.fail("birth_date", str(error))
        return
    if born >= today:
        checked.fail("birth_date", f"{label}：{value} 不是過去的日期，請填寫您的出生日期")
    elif born < EARLIEST_BIRTH:
        checked.fail("birth_date", f"{label}：{value} 早於 1900/01/01，請確認年份")


def check_email(checked: Checked, value: str) -> None:
    if value and not checked.has_error("email"):
        try:
            text.email(LABELS["email"], value)
        except text.TextRejected as error:
            checked.fail("email", str(error))


def check_username(checked: Checked, value: str) -> None:
    if value and not checked.has_error("username") and not USERNAME.match(value):
        checked.fail("username", "登入帳號：請填寫4至20個英文字母或數字（不含空白及符號）")


def password_problems(password: str) -> list[str]:
    """What the password lacks under the rule, each part named; empty when it passes."""
    problems: list[str] = []
    if len(password) < PASSWORD_MIN:  # the most: the field's limit (check_new_password)
        problems.append(f"長度只有{len(password)}個字，最少需{PASSWORD_MIN}個字")
    if not re.search(r"[a-z]", password):
        problems.append("缺少英文小寫字母（至少1個）")
    if not re.search("[0-9]", password):  # Arabic numerals: not full-width ones
        problems.append("缺少阿拉伯數字（至少1個）")
    return problems


def check_new_password(
    checked: Checked, form: Mapping[str, str], *, field: Field, confirm_field: Field
) -> None:
    """The password rule, then the confirmation; the values are never kept in ``checked``.

    Checked as typed, not stripped (a space may be part of a password); control
    characters and the length limit are refused as in every other field."""
    password, confirm = (str(form.get(spec.name, "")) for spec in (field, confirm_field))
    for spec, value in ((field, password), (confirm_field, confirm)):
        try:
            text.clean(spec.label, value, max_length=spec.limit)
        except text.TextRejected as error:
            checked.fail(spec.name, str(error))
    if not password:
        checked.fail(field.name, f"{field.label}：此欄位為必填，請填寫{field.label}")
    elif problems := password_problems(password):
        checked.fail(field.name, f"{field.label}：{'；'.join(problems)}")
    if not confirm:
        checked.fail(
            confirm_field.name, f"{confirm_field.label}：此欄位為必填，請再輸入一次{field.label}"
        )
    elif password and confirm != password:
        checked.fail(
            confirm_field.name, f"{confirm_field.label}：與{field.label}不一致，請重新輸入"
        )


def validate_lookup(form: Mapping[str, str]) -> Checked:
    """登入帳號 + 電子郵件 of 「重發認證信」 and 「忘記密碼」: present and well-formed."""
    checked = Checked()
    _required(LOOKUP_FIELDS, form, checked)
    check_email(checked, checked.values["email"])
    return checked


def validate_new_password(form: Mapping[str, str]) -> Checked:
    """新密碼 + 新密碼確認 of the reset page, under the registration's rule."""
    checked = Checked()
    check_new_password(checked, form, field=NEW_PASSWORD, confirm_field=NEW_PASSWORD_CONFIRM)
    return checked


def display_name(values: Mapping[str, str]) -> str:
    """「<SURNAME> <GIVEN>」, as the account and the mails' 「Dear …」 show it."""
    return f"{values['surname']} {values['given_name']}"
