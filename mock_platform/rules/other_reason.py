"""The 其他事由居留證申請 form (T9): its fields, documents and the rules they obey."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mock_platform.rules import choices, dates
from mock_platform.rules.forms import (
    ADDRESS_PARTS,
    CHINESE_NAME_MAX,
    CJK_NAME,
    ENGLISH_NAME,
    LANDLINE,
    MOBILE,
    PASSPORT,
    SHORT,
    Checked,
    Field,
    check_address,
    check_fields,
    check_pattern,
)

APPLICANT_FIELDS: list[Field] = [
    Field("english_name", "英文姓名", required=True, placeholder="例：G. GREENING"),
    Field("chinese_name", "中文姓名", max_length=CHINESE_NAME_MAX),
    Field("birth_date", "出生日期(西元)", required=True, kind="date", readonly=True),
    Field("nationality", "國籍", required=True, kind="select", choices=tuple(choices.COUNTRIES)),
    Field("uino", "統一證號", required=True, readonly=True, sensitive=True),
    Field("gender", "性別", required=True, kind="select", choices=tuple(choices.GENDERS)),
    Field("passport_number", "護照號碼", required=True, sensitive=True, max_length=SHORT),
    Field("passport_expiry", "護照效期(西元)", required=True, kind="date", placeholder="YYYY/MM/DD"),
    Field(
        "birth_country", "出生地點(國家)", required=True, kind="select",
        choices=tuple(choices.COUNTRIES),
    ),
    Field("occupation", "現職", required=True),
    Field(
        "marital_status", "婚姻狀況", kind="select", choices=tuple(choices.MARITAL_STATUSES)
    ),
    Field("education", "最高學歷", kind="select", choices=tuple(choices.EDUCATION_LEVELS)),
    Field("landline", "在臺市內電話", kind="tel", placeholder="例：02-23889393", sensitive=True),
    Field("mobile", "在臺聯絡手機號碼", required=True, kind="tel", placeholder="例：0912345678", sensitive=True),
    Field("email", "電子郵件", required=True, kind="email"),
]  # fmt: skip

COLLECTION_FIELDS: list[Field] = [
    Field(
        "collect_method", "領證方式", required=True, kind="select",
        choices=tuple(choices.COLLECT_METHODS),
    ),
    Field(
        "collect_office", "領證地點", required=True, kind="select",
        choices=tuple(choices.SERVICE_STATIONS),
    ),
]  # fmt: skip

RESIGNATION_FIELD = Field("resignation_date", "離職日", kind="date", placeholder="YYYY/MM/DD")


@dataclass(frozen=True)
class DocumentSlot:
    """One upload field of the form."""

    name: str
    label: str
    required: bool
    images_only: bool = False
    max_files: int = 5
    limit_kb: int | None = None  # None: the platform's limit (settings.upload_limit_kb)


PHOTO = DocumentSlot("photo", "照片上傳", required=True, images_only=True, max_files=1)
DOCUMENTS: list[DocumentSlot] = [
    DocumentSlot("passport", "護照", required=True),
    DocumentSlot("residence_permit", "居留證", required=True),
    DocumentSlot("other", "其他相關證明文件(無則免)", required=False),
]
SLOTS: dict[str, DocumentSlot] = {slot.name: slot for slot in [PHOTO, *DOCUMENTS]}


def validate(
    form: dict[str, str], uploads: dict[str, list[str]], *, today: date, holder: dict[str, str]
) -> Checked:
    """Every rule of the form; identity fields come from the holder lookup, not the form."""
    checked = Checked()
    merged = {**form, "uino": holder["uino"], "birth_date": holder["birth_date"]}
    check_fields(APPLICANT_FIELDS + COLLECTION_FIELDS + [RESIGNATION_FIELD], merged, checked, today)
    check_pattern(
        checked, "english_name", ENGLISH_NAME,
        "英文姓名：請以英文字母填寫，與護照相同（例如 G. GREENING）", upper=True,
    )  # fmt: skip
    check_pattern(checked, "chinese_name", CJK_NAME, "中文姓名：請以中文字填寫")
    check_pattern(
        checked, "passport_number", PASSPORT, "護照號碼：請填寫 5 至 15 碼英文字母或數字",
        upper=True,
    )  # fmt: skip
    check_pattern(
        checked, "mobile", MOBILE, "在臺聯絡手機號碼：請填寫 09 開頭的 10 位數字（例如 0912345678）"
    )
    check_pattern(checked, "landline", LANDLINE, "在臺市內電話：格式不正確（例如 02-23889393）")
    expiry = checked.values.get("passport_expiry", "")
    expiry_ok = expiry and not checked.has_error("passport_expiry")
    if expiry_ok and dates.parse("護照效期(西元)", expiry) <= today:
        checked.fail("passport_expiry", "護照效期(西元)：護照已過期，請先換發護照再提出申請")
    if form.get("same_as_work"):
        # 「同工作地址」: the residence is the work address, whatever the browser sent.
        form = {
            **form,
            **{f"residence_{key}": form.get(f"work_{key}", "") for key, _ in ADDRESS_PARTS},
        }
        checked.values["same_as_work"] = "on"
    check_address("work", "來臺工作地址", form, checked, required=False)
    check_address("residence", "居留地址", form, checked, required=True)
    for slot in [PHOTO, *DOCUMENTS]:
        count = len(uploads.get(slot.name, []))
        if slot.required and count == 0:
            checked.fail(slot.name, f"{slot.label}：此欄位為必填，請上傳檔案")
        elif count > slot.max_files:
            checked.fail(slot.name, f"{slot.label}：最多上傳 {slot.max_files} 個檔案")
    return checked
