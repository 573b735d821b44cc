"""Field specifications and the checks they share: one list drives the template and the rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from mock_platform.rules import dates, text
from mock_platform.rules.addresses import CITIES, is_valid_district
from mock_platform.rules.choices import MAINLAND_MAIL_DOMAINS

# re.ASCII: \d is 0–9 only, never full-width, Arabic-Indic or superscript digits.
MOBILE = re.compile(r"^09\d{8}$", re.ASCII)
LANDLINE = re.compile(r"^\(?0\d{1,2}\)?[- ]?\d{3,4}[- ]?\d{4}(#\d{1,5})?$", re.ASCII)
ENGLISH_NAME = re.compile(r"^[A-Z][A-Z .,'\-]*$")
PASSPORT = re.compile(r"^[A-Z0-9]{5,15}$")
DIGITS = re.compile(r"^\d{1,5}$", re.ASCII)
# A decimal digit of another width or script (「１」, 「١」): told to type 0–9 instead.
OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# A number abroad as people write it (+81-3-1234-5678, (02) 2388-9393): 0–9 with
# the usual marks, and enough digits to be a number at all.
INTERNATIONAL_PHONE = re.compile(r"^\+?[0-9()\- ]{6,24}$", re.ASCII)
PHONE_MIN_DIGITS = 7
# Any Han character, the CJK extensions beyond the BMP (𠀀, 𪚥) included.
CJK_NAME = text.is_chinese_name
CHINESE_NAME_MAX = 20  # characters; the longest transliterated names stay well under it
SHORT = text.MAX_LENGTH["short"]  # numbers the user types: passport, phone, 統一證號
LONG_ADDRESS = 200  # an address abroad, on one line: street, city, region, postcode, country
Rule = re.Pattern[str] | Callable[[str], bool]


@dataclass(frozen=True)
class Field:
    """One input of a form as the user sees it: its name, label, star and rule."""

    name: str
    label: str
    required: bool = False
    kind: str = "text"  # text | select | date | email | tel
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    readonly: bool = False
    sensitive: bool = False  # a personal number: blurred in regenerated tutorials
    max_length: int | None = None  # None: text.MAX_LENGTH of the field's kind
    multiline: bool = False

    @property
    def limit(self) -> int:
        """How many characters the field takes (also its ``maxlength`` on screen)."""
        if self.max_length is not None:
            return self.max_length
        if self.multiline:
            return text.MAX_LENGTH["multiline"]
        kind = {"email": "email", "date": "date", "tel": "short"}.get(self.kind, "text")
        return text.MAX_LENGTH[kind]


def is_international_phone(value: str) -> bool:
    """A telephone number with its country code or area code, digits 0–9 only."""
    digits = sum(char in "0123456789" for char in value)
    return INTERNATIONAL_PHONE.match(value) is not None and digits >= PHONE_MIN_DIGITS


@dataclass(frozen=True)
class FieldError:
    name: str
    message: str


@dataclass
class Checked:
    """Cleaned values and the errors found, in the order the fields are on screen."""

    values: dict[str, str] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)

    def fail(self, name: str, message: str) -> None:
        if not any(error.name == name for error in self.errors):
            self.errors.append(FieldError(name, message))

    def has_error(self, name: str) -> bool:
        return any(error.name == name for error in self.errors)


def check_fields(fields: list[Field], form: dict[str, str], checked: Checked, today: date) -> None:
    """Length and characters, required, closed choices, formats; each message starts
    with the field's label."""
    for spec in fields:
        try:
            value = text.clean(
                spec.label, form.get(spec.name, ""), max_length=spec.limit, multiline=spec.multiline
            )
        except text.TextRejected as error:
            # Nothing of a refused value is kept or shown back.
            checked.values[spec.name] = ""
            checked.fail(spec.name, str(error))
            continue
        checked.values[spec.name] = value
        if not value:
            if spec.required:
                verb = "請選擇" if spec.kind == "select" else "請填寫"
                checked.fail(spec.name, f"{spec.label}：此欄位為必填，{verb}{spec.label}")
            continue
        if spec.kind == "select" and spec.choices and value not in spec.choices:
            checked.fail(spec.name, f"{spec.label}：請從選單中選擇")
        elif spec.kind == "date":
            try:
                dates.parse(spec.label, value)
            except dates.DateError as error:
                checked.fail(spec.name, str(error))
        elif spec.kind == "email":
            check_email(spec, value, checked)


def check_email(spec: Field, value: str, checked: Checked) -> None:
    try:
        text.email(spec.label, value)
    except text.TextRejected as error:
        checked.fail(spec.name, str(error))
        return
    if value.lower().endswith(MAINLAND_MAIL_DOMAINS):
        checked.fail(
            spec.name,
            f"{spec.label}：基於資安政策，請勿使用大陸地區電子郵件，以免無法收到本署重要通知",
        )


def check_pattern(
    checked: Checked, name: str, pattern: Rule, message: str, *, upper: bool = False
) -> None:
    value = checked.values.get(name, "")
    if upper:
        value = value.upper()
        checked.values[name] = value
    matches = pattern.match(value) if isinstance(pattern, re.Pattern) else pattern(value)
    if value and not checked.has_error(name) and not matches:
        checked.fail(name, message)


ADDRESS_PARTS: tuple[tuple[str, str], ...] = (
    ("city", "縣市"),
    ("district", "鄉鎮市區"),
    ("village", "村/里"),
    ("neighborhood", "鄰"),
    ("street", "街路段"),
    ("lane", "巷"),
    ("alley", "弄"),
    ("number", "號"),
    ("floor", "樓"),
)
NUMERIC_PARTS = frozenset({"neighborhood", "lane", "alley", "number", "floor"})
ADDRESS_PART_MAX = text.MAX_LENGTH["text"]  # each part; also its maxlength on screen


def check_address(
    prefix: str, label: str, form: dict[str, str], checked: Checked, *, required: bool
) -> dict[str, str]:
    """An address block: real city and district, numbers where numbers go."""
    parts: dict[str, str] = {}
    for key, part_label in ADDRESS_PARTS:
        try:
            parts[key] = text.clean(
                f"{label}{part_label}", form.get(f"{prefix}_{key}", ""),
                max_length=ADDRESS_PART_MAX,
            )  # fmt: skip
        except text.TextRejected as error:
            parts[key] = ""
            checked.fail(f"{prefix}_{key}", str(error))
        checked.values[f"{prefix}_{key}"] = parts[key]
    if not required and not any(parts.values()):
        return parts
    for key, part_label in (("city", "縣市"), ("district", "鄉鎮市區")):
        if not parts[key]:
            checked.fail(f"{prefix}_{key}", f"{label}：請選擇{part_label}")
    for key, part_label in (("street", "街路段"), ("number", "號")):
        if not parts[key]:
            checked.fail(f"{prefix}_{key}", f"{label}：請填寫{part_label}")
    if parts["city"] and parts["city"] not in CITIES:
        checked.fail(f"{prefix}_city", f"{label}：請從選單中選擇縣市")
    elif parts["district"] and not is_valid_district(parts["city"], parts["district"]):
        checked.fail(
            f"{prefix}_district", f"{label}：{parts['district']} 不屬於 {parts['city']}，請重新選擇"
        )
    for key, part_label in ADDRESS_PARTS:
        if key in NUMERIC_PARTS and OTHER_DIGIT.search(parts[key]):
            # Full-width 「１０」 or another script's digits: the width, not a word, is wrong.
            checked.fail(f"{prefix}_{key}", text.digits_message(f"{label}{part_label}"))
        elif key in NUMERIC_PARTS and parts[key] and not DIGITS.match(parts[key]):
            checked.fail(
                f"{prefix}_{key}",
                f"{label}：{part_label}請輸入數字即可，無須再額外填入文字「{part_label}」",
            )
    return parts
