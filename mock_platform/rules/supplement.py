"""「補正(件)」 (T5): the seven tabs of 「申請人資料補正」, the deadlines, what a reply needs.

The tabs are the Gold Card application's own (gold_card.py) plus 「簽證申請(繳驗護照)」 and
「完成送出」. The case's documents are already on file, so 「文件上傳」 only adds to them:
every upload field is optional here, with at most ``max_files`` new files each.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mock_platform.clock import TAIPEI
from mock_platform.rules import case_status, dates, gold_card, text
from mock_platform.rules.forms import ADDRESS_PARTS, Checked, Field, FieldError, check_fields
from mock_platform.rules.other_reason import DocumentSlot
from mock_platform.services.review import ABROAD_MONTHS, SUPPLEMENT_DAYS

TITLE_LIST = "補正(件) - 列表"
TITLE_DETAIL = "補正(件) - 詳細"
TITLE_FORM = "補正(件) - 申請人資料補正"
TITLE_DONE = "補正完成"

# 「補正(件) - 列表」 shows what still needs a supplement and, read-only, what was sent.
LISTED = (case_status.SUPPLEMENT_REQUESTED, case_status.SUPPLEMENT_SUBMITTED)

# An officer comments on the first six (services/review.py REVIEW_TABS); the seventh is
# where the applicant replies.
TABS: list[gold_card.Tab] = [
    gold_card.Tab("basic", "基本資料"),
    gold_card.Tab("passport", "護照資料"),
    gold_card.Tab("visa", "簽證申請(繳驗護照)"),
    gold_card.Tab("residence", "居留申請"),
    gold_card.Tab("expertise", "領域專長"),
    gold_card.Tab("documents", "文件上傳"),
    gold_card.Tab("submit", "完成送出"),
]
TAB_LABELS = {tab.key: tab.label for tab in TABS}

VISA_IN_TAIWAN = "國內：至內政部移民署服務站繳驗護照"
VISA_ABROAD = "國外：至中華民國駐外館處繳驗護照"
VISA_FIELDS: list[Field] = [
    Field("visa_channel", "繳驗護照方式", required=True, kind="select",
          choices=(VISA_IN_TAIWAN, VISA_ABROAD)),
    Field("visa_mission", "駐外館處(國外繳驗者填寫)"),
]  # fmt: skip

ABROAD_BOX = "文件由國外寄送(補正期限為6個月)"
REPLY_LABEL = "審核意見回覆"
REPLY_PLACEHOLDER = "請輸入給審核人員的意見"
REPLY_HINT = "為加速審核時間，請以中文輸入回覆意見。"
REPLY_MAX = text.MAX_LENGTH["multiline"]
# Several lines (the reply goes to the officer as written); its own maxlength on screen.
REPLY_FIELD = Field("reply", REPLY_LABEL, required=True, multiline=True, max_length=REPLY_MAX)
UPLOAD_RULES = (
    "檔案格式為JPG|JPEG|PNG|BMP|PDF，上傳的文件請勿加密",
    "檔案大小不超過1024KB，每一欄位最多只可上傳五個檔案，若需要上傳更多資料，建議可整合為PDF檔",
    "上傳文件如為中文及英文以外之文件，請再上傳中譯本",
)
NO_COMMENT = "無"

# 申辦項目 of the list, by case kind; 申請事由 is the system's.
ITEM_NAMES: dict[str, str] = {
    "gold_card_reapply": "外國(特定)專業人才 - 就業金卡 (重新申請)",
    "gold_card_change": "外國(特定)專業人才 - 就業金卡 (資料異動)",
}
DEFAULT_ITEM = "外國(特定)專業人才 - 就業金卡"
REASON = "就業金卡"
COLLECT_METHOD = "自取(在臺灣領證)"


def item_name(kind: str) -> str:
    return ITEM_NAMES.get(kind, DEFAULT_ITEM)


def applicant_name(data: dict[str, Any], fallback: str = "") -> str:
    """申請名稱 / 申請人: the English name as in the passport, given name first."""
    return gold_card.english_name(data) or str(data.get("english_name") or fallback)


# ---------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadlines:
    """Taipei dates: the 30-day deadline, and six months for documents from abroad."""

    requested: date
    normal: date
    abroad: date

    def is_closed(self, today: date) -> bool:
        """Past even the six months: nothing can be sent any more."""
        return today > self.abroad

    def needs_abroad(self, today: date) -> bool:
        """Past 30 days: only documents sent from abroad are still accepted."""
        return self.normal < today <= self.abroad


def taipei_day(iso: str) -> date:
    """The Taipei date of a stored ISO instant."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:  # stored naive means UTC (SQLite drops the zone)
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TAIPEI).date()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it is shorter (08/31 → 02/28)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def deadlines(review: dict[str, Any]) -> Deadlines | None:
    """The case's supplement deadlines, or None when no supplement was ever asked."""
    requested_at = review.get("requested_at")
    if not requested_at:
        return None
    requested = taipei_day(str(requested_at))
    deadline = review.get("deadline")
    normal = taipei_day(str(deadline)) if deadline else requested + timedelta(days=SUPPLEMENT_DAYS)
    return Deadlines(requested, normal, add_months(requested, ABROAD_MONTHS))


def closed_message(limits: Deadlines) -> str:
    return (
        f"補正期限已於 {dates.show(limits.abroad)} 屆滿（收到通知後6個月），"
        "已無法再補正資料或補送文件。"
    )


def abroad_only_message(limits: Deadlines) -> str:
    return (
        f"補正期限：30日補正期限已於 {dates.show(limits.normal)} 屆滿；所需文件由國外寄送者，"
        f"請於「文件上傳」頁籤勾選「{ABROAD_BOX}」，期限至 {dates.show(limits.abroad)}。"
    )


# ---------------------------------------------------------------- the form


@dataclass(frozen=True)
class Form:
    """What the supplement of one case shows on each tab, decided by its answers."""

    layout: gold_card.Layout
    documents: list[DocumentSlot]

    def fields_of(self, tab: str) -> list[Field]:
        return VISA_FIELDS if tab == "visa" else self.layout.fields_of(tab)

    @property
    def fields(self) -> list[Field]:
        return [field for tab in TABS for field in self.fields_of(tab.key)]

    def tab_of(self, name: str) -> str:
        """The tab key where the input ``name`` sits (for 「!」 marks and the first error)."""
        if name.startswith("residence_"):
            return "residence"
        for tab in TABS:
            if any(field.name == name for field in self.fields_of(tab.key)):
                return tab.key
        if name == "reply":
            return "submit"
        return "documents"


def form_for(data: dict[str, Any]) -> Form:
    answers = data.get("answers")
    layout = gold_card.layout_for(answers if isinstance(answers, dict) else {})
    # Additions only: the application's own files satisfy what was required.
    optional = [replace(slot, required=False) for slot in layout.documents]
    return Form(layout, optional)


def current_values(data: dict[str, Any], form: Form) -> dict[str, str]:
    """The case's values under the form's names; 繳驗護照方式 follows 境內/境外 when unset."""
    names = [field.name for field in form.fields] + [f"residence_{key}" for key, _ in ADDRESS_PARTS]
    values = {name: "" if data.get(name) is None else str(data.get(name)) for name in names}
    if not values["visa_channel"]:
        values["visa_channel"] = VISA_IN_TAIWAN if form.layout.in_taiwan else VISA_ABROAD
    return values


def comments_by_tab(review: dict[str, Any]) -> dict[str, str]:
    """Each tab's 審核意見 (「無」 when the officer wrote none); 「完成送出」 lists them all."""
    comments = review.get("comments") or {}
    shown = {tab.key: str(comments.get(tab.label) or NO_COMMENT) for tab in TABS}
    everything = [f"{label}：{text}" for label, text in comments.items() if text]
    shown["submit"] = "\n".join(everything) or NO_COMMENT
    return shown


def validate(
    fields: dict[str, str],
    new_files: dict[str, int],
    *,
    data: dict[str, Any],
    form: Form,
    today: date,
    limits: Deadlines,
) -> Checked:
    """Every tab as the application checks it, plus 簽證申請, the new files, the deadline
    and the reply; each message starts with its tab and names its field."""
    on_file = {slot.name: ["on-file"] for slot in form.layout.documents}
    checked = gold_card.validate(
        fields,
        on_file,
        answers=data.get("answers") if isinstance(data.get("answers"), dict) else {},
        birth_date=str(data.get("birth_date") or fields.get("birth_date", "")),
        previous={},
        today=today,
    )
    visa = Checked()
    check_fields(VISA_FIELDS, fields, visa, today)
    if visa.values.get("visa_channel") == VISA_ABROAD and not visa.values.get("visa_mission"):
        visa.fail("visa_mission", "駐外館處(國外繳驗者填寫)：選擇國外繳驗護照者，請填寫駐外館處")
    checked.values.update(visa.values)
    extra = list(visa.errors)
    for slot in form.documents:
        count = new_files.get(slot.name, 0)
        if count > slot.max_files:
            extra.append(FieldError(slot.name, f"{slot.label}：最多上傳 {slot.max_files} 個檔案"))
    abroad = fields.get("abroad") == "yes"
    if limits.needs_abroad(today) and not abroad:
        extra.append(FieldError("abroad", abroad_only_message(limits)))
    # The reply, on the last tab, is checked last; line breaks are kept. It comes back in
    # ``values["reply"]``, blank when refused, so nothing of a refused reply is shown back.
    reply = Checked()
    check_fields([REPLY_FIELD], fields, reply, today)
    checked.values.update(reply.values)
    extra += reply.errors
    checked.errors += [
        FieldError(error.name, f"「{TAB_LABELS[form.tab_of(error.name)]}」{error.message}")
        for error in extra
    ]
    return checked


@dataclass(frozen=True)
class Change:
    name: str
    label: str
    old: str
    new: str
    sensitive: bool


def changes(before: dict[str, str], after: dict[str, str], form: Form) -> list[Change]:
    """What the supplement changed, in screen order; the address counts as one item."""
    found = [
        Change(field.name, field.label, before.get(field.name, ""), after.get(field.name, ""),
               field.sensitive)
        for field in form.fields
        if not field.readonly and before.get(field.name, "") != after.get(field.name, "")
    ]  # fmt: skip
    old_address = gold_card.address_text(before, "residence")
    new_address = gold_card.address_text(after, "residence")
    if old_address != new_address:
        found.append(Change("residence_address", "居留地址", old_address, new_address, False))
    return found
