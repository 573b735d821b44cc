"""The Students Online Application System's extension request (S.8–S.15) as data and rules.

Labels in 「」 are the system's own, as tutorial S prints them. Synthetic rules (the mock's
own, documented here because the tutorial does not state them) are marked so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from mock_platform.clock import TAIPEI
from mock_platform.rules import choices, dates
from mock_platform.rules.forms import (
    CHINESE_NAME_MAX,
    CJK_NAME,
    ENGLISH_NAME,
    PASSPORT,
    SHORT,
    Checked,
    Field,
    check_address,
    check_fields,
    check_pattern,
)
from mock_platform.rules.other_reason import DocumentSlot

CASE_SYSTEM = "student"
CASE_KIND = "student_extension"
CASE_TITLE = "外(僑)生就學(延期)"  # 「申辦項目」 of 「線上繳費 - 列表」 (S.19)
QUALIFICATION = "外國及外僑學生進入臺灣地區就學"  # 「申請資格」 (S.9)

# 「申請來臺就學學制」: the twelve options, in the order of the tutorial's drop-down.
PROGRAMMES: tuple[str, ...] = (
    "學士", "小學", "碩士", "國中", "博士", "高中職", "僑大先修班", "海外青年技術訓練班",
    "交換生", "短期語言學習", "外國青年技術訓練班", "產學合作專班",
)  # fmt: skip
EXCHANGE = "交換生"
REASONS: tuple[str, ...] = ("在學延期", "畢業實習延期")  # 「延期事由」
# Printed under the form as the tutorial prints it.
EXCHANGE_NOTE = "若為交換生應上傳學校核發之『公文或職研月文換別狀之證明書』"

# 「居留證效期」 asked for; synthetic fee: NT$500 a year (the tutorial's 1 year is NT 500).
PERMIT_YEARS: tuple[str, ...] = ("1年", "2年", "3年")
FEE_PER_YEAR = 500


def fee_for(years_label: str) -> int:
    return FEE_PER_YEAR * (PERMIT_YEARS.index(years_label) + 1)


# 應檢附文件 (S.14): each file under 512K, JPG|JPEG|PNG|BMP|PDF, 「+」 for more pages.
UPLOAD_LIMIT_KB = 512
PHOTO = DocumentSlot(
    "photo", "照片上傳", required=True, images_only=True, max_files=1, limit_kb=UPLOAD_LIMIT_KB
)
DOCUMENTS: tuple[DocumentSlot, ...] = (
    DocumentSlot("permit", "1. 居留證", required=True, limit_kb=UPLOAD_LIMIT_KB),
    DocumentSlot("passport", "2. 護照", required=True, limit_kb=UPLOAD_LIMIT_KB),
    DocumentSlot(
        "residence",
        "3. 居住證明(房屋契約、戶口名簿或其他相關證明。如未更換住宿地址，可免上傳此檢附文件)",
        required=False,
        limit_kb=UPLOAD_LIMIT_KB,
    ),
    DocumentSlot(
        "enrolment",
        "4. 在學或註冊證明(蓋有目前學期註冊章之學生證或最近一學期學校開立的在學證明書"
        "(學生初次申請需繳入學分發通知書))",
        required=True,
        limit_kb=UPLOAD_LIMIT_KB,
    ),
    DocumentSlot("other", "5. 其他相關證明文件(無則免)", required=False, limit_kb=UPLOAD_LIMIT_KB),
)
SLOTS: dict[str, DocumentSlot] = {slot.name: slot for slot in (PHOTO, *DOCUMENTS)}
UPLOAD_NOTES: tuple[str, ...] = (
    "檔案格式為JPG|JPEG|PNG|BMP|PDF，上傳的文件須清晰，身分證及護照上不能加上任何字句或圖樣，如：影印本/COPY等",
    "檔案請小於512K",
    "上傳文件如為中文及英文以外之文件，請再上傳中譯本",
    "應檢附文件請依原證件大小掃描後上傳",
    "如證件雙面均載有資料，正、反面均需掃描後上傳",
)


# 申請人資料 (S.15) drop-downs.
EDUCATION: tuple[str, ...] = ("博士", "碩士", "學士", "專科", "高中職", "國中", "小學")
COLLECT_METHODS: tuple[str, ...] = ("本人臨櫃領取", "委託他人臨櫃領取")
NATIONALITIES: tuple[str, ...] = ("中華民國", *choices.COUNTRIES)


@dataclass(frozen=True)
class Office:
    """A 服務站 where the card is collected; the mail names it in both languages (S.23)."""

    name: str
    name_en: str


OFFICES: tuple[Office, ...] = (
    Office("臺北市服務站", "TAIPEI CITY SERVICE CENTER"),
    Office("新北市服務站", "NEW TAIPEI CITY SERVICE CENTER"),
    Office("桃園市服務站", "TAOYUAN CITY SERVICE CENTER"),
    Office("新竹市服務站", "HSINCHU CITY SERVICE CENTER"),
    Office("臺中市服務站", "TAICHUNG CITY SERVICE CENTER"),
    Office("臺南市服務站", "TAINAN CITY SERVICE CENTER"),
    Office("高雄市第一服務站(三多路)", "KAOHSIUNG CITY 1st SERVICE CENTER"),
    Office("高雄市第二服務站(岡山)", "KAOHSIUNG CITY 2nd SERVICE CENTER"),
    Office("花蓮縣服務站", "HUALIEN COUNTY SERVICE CENTER"),
)
OFFICES_BY_NAME: dict[str, Office] = {office.name: office for office in OFFICES}


# ---------------------------------------------------------------- overstay (the 注意 table)

MUST_LEAVE_FROM_DAY = 30  # 「逾期居留第30日 … 需於7日內離臺」


def overstay_fine(days_overdue: int) -> int:
    """NT$ fine for a permit ``days_overdue`` days past its expiry (0 when not overdue)."""
    if days_overdue <= 0:
        return 0
    if days_overdue <= 10:
        return 2000
    if days_overdue <= 30:
        return 4000
    if days_overdue <= 60:
        return 6000
    if days_overdue <= 90:
        return 8000
    return 10000


def days_overdue(expiry: date, today: date) -> int:
    """Days a permit has been expired on ``today`` (0 while it is valid)."""
    return max(0, (today - expiry).days)


def overstay_notice(expiry: date, today: date) -> str:
    """What the applicant is told about an expired permit, or "" when it is still valid."""
    days = days_overdue(expiry, today)
    if days == 0:
        return ""
    text = (
        f"您的居留證效期至 {expiry:%Y/%m/%d}，已逾期居留 {days} 日，"
        f"依規定處新臺幣{overstay_fine(days):,}元罰鍰。"
    )
    if days > 90:
        text += "裁罰後應7日內出境。"
    if days >= MUST_LEAVE_FROM_DAY:
        text += (
            "逾期居留第30日起，雖仍在就學中，於繳交罰鍰後需於7日內離臺，"
            "重新申請居留簽證來臺就學，無法線上申請延期。"
        )
    else:
        text += "罰鍰請於領證時至服務站臨櫃繳納。"
    return text


def may_extend(expiry: date, today: date) -> bool:
    return days_overdue(expiry, today) < MUST_LEAVE_FROM_DAY


# ---------------------------------------------------------------- payment window (S.17)

PAYMENT_DAYS = 5  # 「繳費期限為核准日起五日內」


def payment_deadline(approved: datetime) -> datetime:
    """The last moment to pay: the end of the fifth day after approval, Taipei time (UTC)."""
    day = approved.astimezone(TAIPEI).date() + timedelta(days=PAYMENT_DAYS)
    return datetime.combine(day, time(23, 59, 59), tzinfo=TAIPEI).astimezone(UTC)


# ---------------------------------------------------------------- the form (S.9, S.15)

PHONE = re.compile(r"^[0-9+()#*\- ]{7,25}$")
PERMIT_FIELD = Field(
    "permit_years", "居留證效期", required=True, kind="select", choices=PERMIT_YEARS
)
APPLICANT_FIELDS: tuple[Field, ...] = (
    Field("chinese_name", "中文姓名", placeholder="請以繁體字輸入", max_length=CHINESE_NAME_MAX),
    Field("english_name", "英文姓名", required=True),
    Field("birth_date", "出生日期", required=True, kind="date", readonly=True),
    Field("gender", "性別", required=True, kind="select", choices=tuple(choices.GENDERS)),
    Field("passport_number", "護照號碼", required=True, sensitive=True, max_length=SHORT),
    Field("passport_expiry", "護照有效日期", required=True, kind="date", placeholder="YYYY/MM/DD"),
    Field("nationality", "國籍", required=True, kind="select", choices=NATIONALITIES),
    Field("uino", "居留證號(統一證號)", readonly=True, sensitive=True),
    Field("education", "最高學歷", required=True, kind="select", choices=EDUCATION),
    Field("school", "就讀學校", required=True, readonly=True),
    Field("grade", "就讀年級"),
    Field(
        "marital_status", "婚姻狀況", required=True, kind="select",
        choices=tuple(choices.MARITAL_STATUSES),
    ),
    Field("phone", "在臺電話", kind="tel", sensitive=True),
)  # fmt: skip
CONTACT_FIELDS: tuple[Field, ...] = (
    Field("email", "Email", kind="email"),
    Field("contact_name", "在臺聯絡人姓名", required=True),
    Field(
        "contact_id", "在臺聯絡人身分證號(護照號碼或居留證號)", sensitive=True, max_length=SHORT
    ),
    Field("contact_phone", "在臺聯絡人電話", required=True, kind="tel", sensitive=True),
    Field(
        "contact_nationality", "在臺聯絡人國籍", required=True, kind="select",
        choices=NATIONALITIES,
    ),
    Field(
        "collect_method", "領證方式", required=True, kind="select", choices=COLLECT_METHODS
    ),
    Field(
        "collect_office", "領證地點", required=True, kind="select",
        choices=tuple(office.name for office in OFFICES),
    ),
)  # fmt: skip
ADDRESS_PREFIX = "residence"
ADDRESS_LABEL = "在臺居住地址"


def validate(
    form: dict[str, str],
    uploads: dict[str, int],
    *,
    today: date,
    fixed: dict[str, str],
    programme: str,
) -> Checked:
    """Every rule of the form; ``fixed`` (居留證號, 出生日期, 就讀學校) comes from the record.

    ``uploads`` counts the files staged per slot."""
    checked = Checked()
    merged = {**form, **fixed}
    check_fields([PERMIT_FIELD, *APPLICANT_FIELDS, *CONTACT_FIELDS], merged, checked, today)
    check_pattern(checked, "chinese_name", CJK_NAME, "中文姓名：請以繁體中文字填寫")
    check_pattern(
        checked, "english_name", ENGLISH_NAME,
        "英文姓名：請以英文字母填寫，與護照相同（全部大寫）", upper=True,
    )  # fmt: skip
    check_pattern(
        checked, "passport_number", PASSPORT, "護照號碼：請填寫 5 至 15 碼英文字母或數字",
        upper=True,
    )  # fmt: skip
    check_pattern(checked, "phone", PHONE, "在臺電話：格式不正確（例如 07-7358800）")
    check_pattern(
        checked, "contact_phone", PHONE, "在臺聯絡人電話：格式不正確（例如 07-7358800*2253）"
    )
    expiry = checked.values.get("passport_expiry", "")
    expiry_ok = expiry and not checked.has_error("passport_expiry")
    if expiry_ok and dates.parse("護照有效日期", expiry) <= today:
        checked.fail("passport_expiry", "護照有效日期：護照已過期，請先換發護照再提出申請")
    check_address(ADDRESS_PREFIX, ADDRESS_LABEL, form, checked, required=True)
    for slot in (PHOTO, *DOCUMENTS):
        count = uploads.get(slot.name, 0)
        short = slot.label.split("(")[0]
        if slot.required and count == 0:
            checked.fail(slot.name, f"{short}：此欄位為必填，請上傳檔案")
        elif count > slot.max_files:
            checked.fail(slot.name, f"{short}：最多上傳 {slot.max_files} 個檔案")
    if programme == EXCHANGE and uploads.get("other", 0) == 0:
        checked.fail("other", "5. 其他相關證明文件：交換生應上傳學校核發之證明文件")
    return checked
