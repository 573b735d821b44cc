"""「就業金卡申請」 re-application (T8): the question dialog, the five tabs, documents, fee.

The answers of 「新增申請人」 decide the rest: which fields the tabs require and which
documents 「文件上傳」 asks for. One list of specs drives the templates and the checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from mock_platform.rules import choices, dates, expertise, text
from mock_platform.rules.forms import (
    ADDRESS_PARTS,
    CHINESE_NAME_MAX,
    CJK_NAME,
    ENGLISH_NAME,
    LONG_ADDRESS,
    MOBILE,
    PASSPORT,
    SHORT,
    Checked,
    Field,
    FieldError,
    check_address,
    check_fields,
    check_pattern,
    is_international_phone,
)
from mock_platform.rules.other_reason import DocumentSlot

# ---------------------------------------------------------------- the question dialog

HELD_NEVER = "否(從未持有就業金卡)"
HELD_VALID = "是(目前持有有效就業金卡)"
HELD_EXPIRED = "是(曾經持有就業金卡但已過期)"
YES, NO = "是", "否"
IN_TAIWAN = "是(境內申請)"
ABROAD = "否(境外申請)"

ENTRY_DOCUMENTS: dict[str, str] = {
    "residence_permit": "目前已持有中華民國核發之有效居留證件",
    "visa_exempt": "以免簽證方式入國",
    "visa_long": "以60天以上未加註限制停留簽證方式入國",
    "visa_long_restricted": "以60天以上加註限制停留簽證方式入國",
    "visa_short": "以60天以下停留簽證方式入國",
    "landing_visa": "以落地簽證或電子簽證方式入國",
}
VISA_ENTRIES = frozenset({"visa_long", "visa_long_restricted", "visa_short"})

QUESTION_LABELS: dict[str, str] = {
    "held": "是否現在或曾經持有就業金卡",
    "has_uino": "是否可提供原持有就業金卡統一證號資料",
    "uino": "統一證號",
    "birth_date": "出生日期",
    "in_taiwan": "您現在是否在中華民國境內申請",
    "entry_document": "您入境中華民國或目前所持證件",
    "roc_national": "您是否具中華民國國籍",
    "household": "您是否在臺設有戶籍",
    "moved_out": "是否辦理戶籍遷出登記",
}
QUESTION_CHOICES: dict[str, tuple[str, ...]] = {
    "held": (HELD_NEVER, HELD_VALID, HELD_EXPIRED),
    "has_uino": (YES, NO),
    "in_taiwan": (IN_TAIWAN, ABROAD),
    "roc_national": (YES, NO),
    "household": (YES, NO),
    "moved_out": (YES, NO),
}

NEVER_HELD = "您從未持有就業金卡，不適用重新申請；請以新申請案提出就業金卡申請。"
STILL_VALID = (
    "您的就業金卡尚在有效期間，不適用重新申請；請於屆期前四個月內以「就業金卡延期申請」辦理。"
)
NO_UINO = "重新申請須提供原持有就業金卡之統一證號以確認資格；無法提供者，請以新申請案提出申請。"
NO_RECORD = "統一證號：查無此統一證號之就業金卡持有紀錄；從未持有就業金卡者，請以新申請案提出申請。"
HOUSEHOLD = (
    "在臺設有戶籍者，不適用本申請（系統使用聲明事項第11點）；請先辦理戶籍遷出登記後再提出申請。"
)


def still_valid(card_expiry: date) -> str:
    return (
        f"統一證號：您的就業金卡有效期限至 {dates.show(card_expiry)}，尚未屆期，不適用重新申請；"
        "請於屆期前四個月內以「就業金卡延期申請」辦理。"
    )


def birth_mismatch(uino: str) -> str:
    return f"出生日期：與統一證號 {uino} 的持卡資料不符，請確認後重新輸入。"


ELIGIBLE = "符合重新申請資格（曾持有就業金卡但證效已逾期），請繼續回答下列問題。"


# The two answers typed rather than chosen; every other answer is a choice of the dialog.
QUESTION_LIMITS: dict[str, int] = {"uino": SHORT, "birth_date": text.MAX_LENGTH["date"]}


def read_answers(form: Mapping[str, object]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The dialog's answers, each cleaned under its question (length, control characters);
    a refused answer is blank and its problem names the question."""
    answers: dict[str, str] = {}
    refused: list[tuple[str, str]] = []
    for key, label in QUESTION_LABELS.items():
        limit = QUESTION_LIMITS.get(key, text.MAX_LENGTH["text"])
        try:
            answers[key] = text.clean(label, str(form.get(key, "")), max_length=limit)
        except text.TextRejected as error:
            answers[key] = ""
            refused.append((key, str(error)))
    return answers, refused


def question_problems(answers: dict[str, str]) -> list[tuple[str, str]]:
    """What is missing or impossible in the answers, before any holder lookup."""
    problems: list[tuple[str, str]] = []

    def need(key: str) -> str:
        value = answers.get(key, "")
        if value not in QUESTION_CHOICES.get(key, (value,)) or not value:
            problems.append((key, f"{QUESTION_LABELS[key]}：請選擇"))
            return ""
        return value

    held = need("held")
    if held == HELD_NEVER:
        return [("held", NEVER_HELD)]
    if held == HELD_VALID:
        return [("held", STILL_VALID)]
    if not held:
        return problems
    has_uino = need("has_uino")
    if has_uino == NO:
        return [("has_uino", NO_UINO)]
    for key in ("uino", "birth_date"):
        if not answers.get(key, "").strip():
            problems.append((key, f"{QUESTION_LABELS[key]}：請輸入{QUESTION_LABELS[key]}"))
    if need("in_taiwan") == IN_TAIWAN and answers.get("entry_document") not in ENTRY_DOCUMENTS:
        problems.append(("entry_document", f"{QUESTION_LABELS['entry_document']}：請選擇一項"))
    if need("roc_national") == YES and need("household") == YES and need("moved_out") == NO:
        problems.append(("moved_out", HOUSEHOLD))
    return problems


def relevant_answers(answers: dict[str, str]) -> dict[str, str]:
    """Only the answers the dialog actually asked, given the earlier ones."""
    keep = ["held", "has_uino", "uino", "birth_date", "in_taiwan", "roc_national"]
    if answers.get("in_taiwan") == IN_TAIWAN:
        keep.append("entry_document")
    if answers.get("roc_national") == YES:
        keep.append("household")
        if answers.get("household") == YES:
            keep.append("moved_out")
    return {key: answers.get(key, "").strip() for key in keep}


def answer_summary(answers: dict[str, str]) -> list[tuple[str, str]]:
    """The answers as the preview prints them: question, answer."""
    shown = []
    for key, value in answers.items():
        text = ENTRY_DOCUMENTS.get(value, value) if key == "entry_document" else value
        shown.append((QUESTION_LABELS[key], text))
    return shown


# ---------------------------------------------------------------- the five tabs

PASSPORT_KINDS = ["普通護照", "外交護照", "公務護照", "其他旅行證件"]
YEARS = ["1年", "2年", "3年"]


@dataclass(frozen=True)
class Tab:
    key: str
    label: str


TABS: list[Tab] = [
    Tab("basic", "基本資料"),
    Tab("passport", "護照資料"),
    Tab("residence", "居留申請"),
    Tab("expertise", "領域專長"),
    Tab("documents", "文件上傳"),
]
TAB_LABELS = {tab.key: tab.label for tab in TABS}

BASIC_FIELDS: list[Field] = [
    Field("english_surname", "英文姓氏", required=True, placeholder="例：HUNT"),
    Field("english_given_name", "英文名字", required=True, placeholder="例：JAMES"),
    Field("chinese_name", "中文姓名", max_length=CHINESE_NAME_MAX),
    Field("birth_date", "出生日期(西元)", required=True, kind="date", readonly=True),
    Field("gender", "性別", required=True, kind="select", choices=tuple(choices.GENDERS)),
    Field("nationality", "國籍", required=True, kind="select", choices=tuple(choices.COUNTRIES)),
    Field("occupation", "現職", required=True),
    Field("education", "最高學歷", required=True, kind="select", choices=tuple(choices.EDUCATION_LEVELS)),
    Field("marital_status", "婚姻狀況", required=True, kind="select", choices=tuple(choices.MARITAL_STATUSES)),
    Field("email", "電子郵件", required=True, kind="email"),
    Field("birth_country", "出生地點(國家)", required=True, kind="select", choices=tuple(choices.COUNTRIES)),
    Field("birth_city", "出生地點(市/州)", required=True),
    Field("home_address", "申請人母國地址", required=True, max_length=LONG_ADDRESS),
    Field("home_phone", "申請人母國電話號碼", required=True, kind="tel", sensitive=True),
    Field("other_nationality", "舊有或其他國籍(如有)", kind="select", choices=tuple(choices.COUNTRIES)),
]  # fmt: skip

PASSPORT_FIELDS: list[Field] = [
    Field("passport_kind", "護照種類", required=True, kind="select", choices=tuple(PASSPORT_KINDS)),
    Field("passport_number", "護照號碼", required=True, sensitive=True, max_length=SHORT),
    Field("passport_issued", "護照發照日期(西元)", required=True, kind="date", placeholder="YYYY/MM/DD"),
    Field("passport_expiry", "護照效期(西元)", required=True, kind="date", placeholder="YYYY/MM/DD"),
    Field("passport_authority", "發照機關", required=True),
]  # fmt: skip
ENTRY_DATE = Field(
    "entry_date", "最近一次入境日期(西元)", required=True, kind="date", placeholder="YYYY/MM/DD"
)
VISA_NUMBER = Field("visa_number", "停留簽證號碼", required=True, sensitive=True, max_length=SHORT)

RESIDENCE_FIELDS: list[Field] = [
    Field("years", "申請年限", required=True, kind="select", choices=tuple(YEARS)),
    Field(
        "collect_office", "領證地點", required=True, kind="select",
        choices=tuple(choices.SERVICE_STATIONS),
    ),
]  # fmt: skip
MOBILE_FIELD = Field(
    "mobile", "在臺聯絡手機號碼", required=True, kind="tel", placeholder="例：0912345678",
    sensitive=True,
)  # fmt: skip
OVERSEAS_FIELDS: list[Field] = [
    Field("overseas_address", "國外聯絡地址", required=True, max_length=LONG_ADDRESS),
    Field("arrival_date", "預定入境日期(西元)", required=True, kind="date", placeholder="YYYY/MM/DD"),
]  # fmt: skip

EXPERTISE_FIELDS: list[Field] = [
    Field(
        "expertise_field", "專長領域", required=True, kind="select",
        choices=tuple(expertise.FIELDS),
    ),
    Field(
        "qualification", "資格條件", required=True, kind="select",
        choices=tuple(q for qs in expertise.QUALIFICATIONS.values() for q in qs),
    ),
    Field("employer_name", "服務單位(雇主)名稱"),
    Field("job_title", "職稱", required=True),
]  # fmt: skip

PHOTO = DocumentSlot("photo", "照片", required=True, images_only=True, max_files=1)
PASSPORT_SCAN = DocumentSlot("passport", "護照", required=True)
QUALIFICATION_PROOF = DocumentSlot("qualification_proof", "資格證明文件", required=True)
OTHER = DocumentSlot("other", "其他相關證明文件(無則免)", required=False)
ENTRY_SLOTS: dict[str, DocumentSlot] = {
    "residence_permit": DocumentSlot("residence_permit", "居留證", required=True),
    "visa_exempt": DocumentSlot("entry_proof", "入境證明(入境章戳頁或登機證)", required=True),
    "visa_long": DocumentSlot("visa", "停留簽證", required=True),
    "visa_long_restricted": DocumentSlot("visa", "停留簽證", required=True),
    "visa_short": DocumentSlot("visa", "停留簽證", required=True),
    "landing_visa": DocumentSlot("landing_visa", "落地簽證或電子簽證", required=True),
}
NATIONAL_PROOF = DocumentSlot(
    "national_proof", "無戶籍國民身分證明(中華民國護照或國籍證明)", required=True
)
HOUSEHOLD_REMOVAL = DocumentSlot("household_removal", "戶籍遷出證明(戶籍謄本)", required=True)
ALL_SLOTS: dict[str, DocumentSlot] = {
    slot.name: slot
    for slot in [PHOTO, PASSPORT_SCAN, QUALIFICATION_PROOF, OTHER, NATIONAL_PROOF,
                 HOUSEHOLD_REMOVAL, *ENTRY_SLOTS.values()]
}  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """What the form asks of this applicant, decided by the dialog's answers."""

    basic: list[Field]
    passport: list[Field]
    residence: list[Field]
    in_taiwan: bool
    documents: list[DocumentSlot]

    def fields_of(self, tab: str) -> list[Field]:
        return {"basic": self.basic, "passport": self.passport, "residence": self.residence,
                "expertise": EXPERTISE_FIELDS}.get(tab, [])  # fmt: skip


def layout_for(answers: dict[str, str]) -> Layout:
    in_taiwan = answers.get("in_taiwan") == IN_TAIWAN
    entry = answers.get("entry_document", "")
    passport = list(PASSPORT_FIELDS)
    if in_taiwan:
        passport.append(ENTRY_DATE)
        if entry in VISA_ENTRIES:
            passport.append(VISA_NUMBER)
    residence = (
        [*RESIDENCE_FIELDS, MOBILE_FIELD] if in_taiwan else [*RESIDENCE_FIELDS, *OVERSEAS_FIELDS]
    )
    documents = [PHOTO, PASSPORT_SCAN, QUALIFICATION_PROOF]
    if in_taiwan and entry in ENTRY_SLOTS:
        documents.append(ENTRY_SLOTS[entry])
    if answers.get("roc_national") == YES:
        documents.append(NATIONAL_PROOF)
        if answers.get("household") == YES:
            documents.append(HOUSEHOLD_REMOVAL)
    documents.append(OTHER)
    return Layout(BASIC_FIELDS, passport, residence, in_taiwan, documents)  # fmt: skip


def carried_over(values: dict[str, str], previous: dict[str, object]) -> bool:
    """註2: same field and qualification as last time: the platform brings the old proofs."""
    return bool(previous.get("qualification")) and (
        values.get("expertise_field") == previous.get("expertise_field")
        and values.get("qualification") == previous.get("qualification")
    )


def _tab_of(layout: Layout, name: str) -> str:
    for tab in TABS[:4]:
        names = {spec.name for spec in layout.fields_of(tab.key)}
        if name in names or (tab.key == "residence" and name.startswith("residence_")):
            return tab.label
    return TAB_LABELS["documents"]


def validate(
    form: dict[str, str],
    uploads: dict[str, list[str]],
    *,
    answers: dict[str, str],
    birth_date: str,
    previous: dict[str, object],
    today: date,
) -> Checked:
    """Every red-star field of every tab; each message names its tab and its field."""
    layout = layout_for(answers)
    checked = Checked()
    merged = {**form, "birth_date": birth_date}
    all_fields = layout.basic + layout.passport + layout.residence + EXPERTISE_FIELDS
    check_fields(all_fields, merged, checked, today)
    for name, label in (("english_surname", "英文姓氏"), ("english_given_name", "英文名字")):
        check_pattern(
            checked, name, ENGLISH_NAME, f"{label}：請以英文字母填寫，與護照相同", upper=True
        )
    check_pattern(checked, "chinese_name", CJK_NAME, "中文姓名：請以中文字填寫")
    check_pattern(
        checked,
        "passport_number",
        PASSPORT,
        "護照號碼：請填寫 5 至 15 碼英文字母或數字",
        upper=True,
    )
    check_pattern(
        checked,
        "home_phone",
        is_international_phone,
        "申請人母國電話號碼：請填寫含國碼或區碼的電話號碼，例如 +81-3-1234-5678"
        "（半形數字 0-9，可含 + - ( ) 及空白）",
    )
    if layout.in_taiwan:
        check_pattern(
            checked,
            "mobile",
            MOBILE,
            "在臺聯絡手機號碼：請填寫 09 開頭的 10 位數字（例如 0912345678）",
        )
    _check_dates(checked, today, in_taiwan=layout.in_taiwan)
    qualification = checked.values.get("qualification", "")
    field = checked.values.get("expertise_field", "")
    if qualification and field and qualification not in expertise.QUALIFICATIONS.get(field, []):
        checked.fail("qualification", f"資格條件：「{qualification}」不屬於{field}，請重新選擇")
    check_address("residence", "居留地址", form, checked, required=layout.in_taiwan)
    reuse = carried_over(checked.values, previous)
    for slot in layout.documents:
        count = len(uploads.get(slot.name, []))
        needed = slot.required and not (slot is QUALIFICATION_PROOF and reuse)
        if needed and count == 0:
            checked.fail(slot.name, f"{slot.label}：此欄位為必填，請上傳檔案")
        elif count > slot.max_files:
            checked.fail(slot.name, f"{slot.label}：最多上傳 {slot.max_files} 個檔案")
    checked.errors = [
        FieldError(error.name, f"「{_tab_of(layout, error.name)}」{error.message}")
        for error in checked.errors
    ]
    return checked


def _check_dates(checked: Checked, today: date, *, in_taiwan: bool) -> None:
    def parsed(name: str) -> date | None:
        value = checked.values.get(name, "")
        if not value or checked.has_error(name):
            return None
        return dates.parse(name, value)

    expiry = parsed("passport_expiry")
    # Clause 6 of the consent: a passport valid 6 months or more is needed to enter.
    if expiry is not None and expiry < today + timedelta(days=183):
        checked.fail("passport_expiry", "護照效期(西元)：護照效期須在 6 個月以上，請先換發護照")
    issued = parsed("passport_issued")
    if issued is not None and issued > today:
        checked.fail("passport_issued", "護照發照日期(西元)：不可晚於今天")
    if in_taiwan:
        entry = parsed("entry_date")
        if entry is not None and entry > today:
            checked.fail("entry_date", "最近一次入境日期(西元)：不可晚於今天")
    else:
        arrival = parsed("arrival_date")
        if arrival is not None and arrival <= today:
            checked.fail("arrival_date", "預定入境日期(西元)：須晚於今天")


def english_name(values: dict[str, str]) -> str:
    """申請名稱 of the draft list: the name as in the passport, given name first."""
    return f"{values.get('english_given_name', '')} {values.get('english_surname', '')}".strip()


def address_text(values: dict[str, str], prefix: str) -> str:
    parts = [values.get(f"{prefix}_{key}", "") for key, _ in ADDRESS_PARTS]
    suffixes = {"neighborhood": "鄰", "lane": "巷", "alley": "弄", "number": "號", "floor": "樓"}
    text = ""
    for (key, _), part in zip(ADDRESS_PARTS, parts, strict=True):
        if part:
            text += part + suffixes.get(key, "")
    return text


# ---------------------------------------------------------------- fee

WORK_PERMIT_FEE = 100
RESIDENT_VISA_FEE = 2200
PERMIT_FEE_PER_YEAR = 1000


def fee(values: dict[str, str]) -> int:
    """NT$ due for a Gold Card: work permit + resident visa + residence permit per year.

    A synthetic but documented rule modelled on the published fee items; re-entry
    permits are included free.
    """
    years = int(values.get("years", "1年").removesuffix("年") or 1)
    return WORK_PERMIT_FEE + RESIDENT_VISA_FEE + PERMIT_FEE_PER_YEAR * years
