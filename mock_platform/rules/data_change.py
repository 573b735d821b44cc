"""「就業金卡資料異動」 (T6): what may change, what each change needs, and what it costs.

The tutorial lists seven items a holder may change: 中英文姓名性別, 護照號碼, 領證地點,
居留地址, email, 手機號碼 and 統一證號. The query page's four boxes decide which of them
the form opens for editing; everything else on the card is shown read-only and, on
submit, taken from the card record rather than from the browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from mock_platform.rules import dates, gold_card
from mock_platform.rules.addresses import format_address
from mock_platform.rules.forms import (
    ADDRESS_PARTS,
    CJK_NAME,
    ENGLISH_NAME,
    MOBILE,
    PASSPORT,
    Checked,
    Field,
    FieldError,
    check_address,
    check_fields,
    check_pattern,
)
from mock_platform.rules.other_reason import DocumentSlot

# ---------------------------------------------------------------- the query page

PASSPORT_CHANGE = "passport"
NEW_FORMAT_UINO = "new_uino"
PERSONAL_UINO = "personal_uino"
CONTACT_ONLY = "contact_only"
OPTIONS: dict[str, str] = {
    PASSPORT_CHANGE: "護照資料異動",
    NEW_FORMAT_UINO: "僅更換新式統一證號",
    PERSONAL_UINO: "個人因素申請變更統一證號(如語言不雅)",
    CONTACT_ONLY: "僅電子信箱或手機號碼異動",
}
OPTIONS_LEGEND = "是否同時異動以下資料"
OPTIONS_HINT = "(若不異動資料則無須勾選以下項目)"
ADDRESS_NOTE = "*異動居住地址須提供租賃契約或水電繳費證明，此為線上提出異動申請故無須親自前往本署。"

NO_RECORD = (
    "統一證號：查無此統一證號之就業金卡持有紀錄，請確認「統一證號」與「出生日期(西元)」是否正確。"
)


def birth_mismatch(uino: str) -> str:
    return f"出生日期(西元)：與統一證號 {uino} 的持卡資料不符，請確認後重新輸入。"


def card_expired(card_expiry: date) -> str:
    return (
        f"統一證號：您的就業金卡已於 {dates.show(card_expiry)} 到期，無法辦理資料異動；"
        "請改以「就業金卡申請或重新申請」辦理重新申請。"
    )


def chosen_options(values: Iterable[str]) -> frozenset[str]:
    """The ticked boxes the platform knows; anything else a browser sends is dropped."""
    return frozenset(value for value in values if value in OPTIONS)


def option_problems(options: frozenset[str]) -> list[tuple[str, str]]:
    """Boxes that contradict each other: 「僅…」 means nothing else changes with it."""
    if CONTACT_ONLY in options and len(options) > 1:
        return [
            (
                "options",
                f"{OPTIONS_LEGEND}：已勾選「{OPTIONS[CONTACT_ONLY]}」時，不可再勾選其他項目。",
            )
        ]
    if {NEW_FORMAT_UINO, PERSONAL_UINO} <= options:
        return [
            (
                "options",
                f"{OPTIONS_LEGEND}：「{OPTIONS[NEW_FORMAT_UINO]}」與「{OPTIONS[PERSONAL_UINO]}」"
                "請擇一勾選。",
            )
        ]
    return []


# ---------------------------------------------------------------- the seven items and the fee

NAME_GENDER = "name_gender"
PASSPORT_NUMBER = "passport"
COLLECT_OFFICE = "collect_office"
RESIDENCE_ADDRESS = "residence_address"
EMAIL = "email"
MOBILE_NUMBER = "mobile"
UINO = "uino"
ITEMS: dict[str, str] = {
    NAME_GENDER: "中英文姓名性別",
    PASSPORT_NUMBER: "護照號碼",
    COLLECT_OFFICE: "領證地點",
    RESIDENCE_ADDRESS: "居留地址",
    EMAIL: "email",
    MOBILE_NUMBER: "手機號碼",
    UINO: "統一證號",
}
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    NAME_GENDER: ("english_surname", "english_given_name", "chinese_name", "gender"),
    PASSPORT_NUMBER: ("passport_number", "passport_expiry"),
    COLLECT_OFFICE: ("collect_office",),
    EMAIL: ("email",),
    MOBILE_NUMBER: ("mobile",),
}

CHANGE_FEE = 500
HK_MACAU_FEE = 2600
HK_MACAU = frozenset({"香港", "澳門"})
# Consent clause 9: address and passport changes are free by 規費法 §7; e-mail, mobile
# and 領證地點 are not printed on the card, so no new card is made for them.
FREE_ITEMS = frozenset({PASSPORT_NUMBER, COLLECT_OFFICE, RESIDENCE_ADDRESS, EMAIL, MOBILE_NUMBER})


def fee(items: Iterable[str], *, nationality: str) -> int:
    """NT$ due for a data change: one card reissue when anything printed on it changes."""
    if all(item in FREE_ITEMS for item in items):
        return 0
    return HK_MACAU_FEE if nationality.strip() in HK_MACAU else CHANGE_FEE


def fee_notice(amount: int) -> str:
    if amount == 0:
        return "本次異動免繳規費。"
    return f"本次異動須繳納規費新臺幣 {amount:,} 元，請至線上繳費區進行繳費。"


FEE_RULE = (
    "異動居留地址、護照號碼者免收規費；僅異動電子信箱、手機號碼或領證地點者亦免收規費。"
    f"異動中英文姓名、性別或統一證號者，每件收費新臺幣{CHANGE_FEE}元"
    f"（香港或澳門居民新臺幣{HK_MACAU_FEE:,}元）。"
)


# ---------------------------------------------------------------- the five tabs


def _pick(fields: list[Field], *names: str) -> list[Field]:
    by_name = {spec.name: spec for spec in fields}
    return [by_name[name] for name in names]


BASIC_FIELDS = _pick(
    gold_card.BASIC_FIELDS,
    "english_surname", "english_given_name", "chinese_name", "birth_date", "gender",
    "nationality", "occupation", "education", "marital_status", "email", "birth_country",
    "birth_city", "home_address", "home_phone",
)  # fmt: skip
PASSPORT_FIELDS = _pick(gold_card.PASSPORT_FIELDS, "passport_number", "passport_expiry")
UINO_FIELD = Field("uino", "統一證號", required=True, readonly=True, sensitive=True)
CARD_EXPIRY_FIELD = Field("card_expiry", "就業金卡效期(西元)", kind="date", readonly=True)
UINO_REASON_FIELD = Field(
    "uino_reason", "變更統一證號原因", required=True, placeholder="例：統一證號諧音不雅"
)
RESIDENCE_FIELDS = [
    UINO_FIELD,
    CARD_EXPIRY_FIELD,
    *_pick(gold_card.RESIDENCE_FIELDS, "collect_office"),
    gold_card.MOBILE_FIELD,
]
EXPERTISE_FIELDS = _pick(
    gold_card.EXPERTISE_FIELDS, "expertise_field", "qualification", "job_title"
)

# What each set of boxes opens for editing (item 7, 統一證號, is never typed: the
# agency assigns the new number).
OPEN_BY_DEFAULT = frozenset(
    {"english_surname", "english_given_name", "chinese_name", "gender", "email",
     "collect_office", "mobile"}
)  # fmt: skip
OPEN_FOR_PASSPORT = frozenset(ITEM_FIELDS[PASSPORT_NUMBER])
OPEN_FOR_CONTACT = frozenset({"email", "mobile"})

PHOTO = DocumentSlot("photo", "照片", required=False, images_only=True, max_files=1)
NEW_PASSPORT = DocumentSlot("new_passport", "新護照", required=True)
RESIDENCE_PROOF = DocumentSlot("residence_proof", "租賃契約或水電繳費證明", required=False)
NAME_PROOF = DocumentSlot("name_proof", "姓名或性別變更證明文件", required=False)
OTHER = gold_card.OTHER
ALL_SLOTS: dict[str, DocumentSlot] = {
    slot.name: slot for slot in (PHOTO, NEW_PASSPORT, RESIDENCE_PROOF, NAME_PROOF, OTHER)
}
# The proof each item needs, and when the form says so beside the upload field.
PROOFS: dict[str, DocumentSlot] = {
    RESIDENCE_ADDRESS: RESIDENCE_PROOF,
    PASSPORT_NUMBER: NEW_PASSPORT,
    NAME_GENDER: NAME_PROOF,
}
PROOF_HINTS: dict[str, str] = {
    RESIDENCE_PROOF.name: "異動居留地址者必附",
    NEW_PASSPORT.name: "勾選「護照資料異動」者必附",
    NAME_PROOF.name: "異動中英文姓名或性別者必附",
}

NOTHING = "changes"  # the error's anchor: the form's summary of the card
NOTHING_CHANGED = (
    "本次未異動任何資料：請修改欲異動的欄位（或於查詢頁勾選欲異動的項目）後再送出；"
    "若不需異動，請勿送出申請。"
)


@dataclass(frozen=True)
class Layout:
    """The form for one set of ticked boxes: which fields open, which documents show."""

    options: frozenset[str]
    basic: list[Field]
    passport: list[Field]
    residence: list[Field]
    expertise: list[Field]
    address_editable: bool
    documents: list[DocumentSlot]

    def fields_of(self, tab: str) -> list[Field]:
        return {"basic": self.basic, "passport": self.passport, "residence": self.residence,
                "expertise": self.expertise}.get(tab, [])  # fmt: skip

    def all_fields(self) -> list[Field]:
        return self.basic + self.passport + self.residence + self.expertise

    @property
    def changes_uino(self) -> bool:
        return bool(self.options & {NEW_FORMAT_UINO, PERSONAL_UINO})


def _locked(fields: list[Field], open_names: frozenset[str]) -> list[Field]:
    return [spec if spec.name in open_names else replace(spec, readonly=True) for spec in fields]


def layout_for(options: frozenset[str]) -> Layout:
    if CONTACT_ONLY in options:
        open_names = OPEN_FOR_CONTACT
    else:
        open_names = OPEN_BY_DEFAULT
        if PASSPORT_CHANGE in options:
            open_names |= OPEN_FOR_PASSPORT
    residence = _locked(RESIDENCE_FIELDS, open_names)
    if PERSONAL_UINO in options:
        residence.insert(2, UINO_REASON_FIELD)
    contact_only = CONTACT_ONLY in options
    documents = [PHOTO]
    if PASSPORT_CHANGE in options:
        documents.append(NEW_PASSPORT)
    if not contact_only:
        documents += [RESIDENCE_PROOF, NAME_PROOF]
    documents.append(OTHER)
    return Layout(
        options=options,
        basic=_locked(BASIC_FIELDS, open_names),
        passport=_locked(PASSPORT_FIELDS, open_names),
        residence=residence,
        expertise=_locked(EXPERTISE_FIELDS, frozenset()),
        address_editable=not contact_only,
        documents=documents,
    )


ADDRESS_FIELDS = frozenset(f"residence_{key}" for key, _ in ADDRESS_PARTS)


def tab_of(layout: Layout, name: str) -> str:
    """The tab key an error's field sits on (documents and the form-wide refusal: the last)."""
    for tab in gold_card.TABS[:4]:
        if any(spec.name == name for spec in layout.fields_of(tab.key)):
            return tab.key
        if tab.key == "residence" and name in ADDRESS_FIELDS:
            return tab.key
    return "documents"


# ---------------------------------------------------------------- the card as on file


def split_english_name(english_name: str) -> tuple[str, str]:
    """(surname, given names) of a card's 英文姓名, for records older than the split fields.

    ``"HUNT, ETHAN"`` is passport order; ``"G. GREENING"`` puts the surname last.
    """
    text = " ".join(english_name.split()).upper()
    if "," in text:
        surname, given = text.split(",", 1)
        return surname.strip(), given.strip()
    given, _, surname = text.rpartition(" ")
    return surname, given


def address_of(values: dict[str, str], prefix: str = "residence") -> str:
    return format_address({key: values.get(f"{prefix}_{key}", "") for key, _ in ADDRESS_PARTS})


# ---------------------------------------------------------------- 「送出」


@dataclass(frozen=True)
class Change:
    item: str
    label: str
    old: str
    new: str


NEW_UINO_TEXT = "由本署核配新統一證號"
_UPPER = frozenset({"english_surname", "english_given_name", "passport_number"})


def _same(name: str, old: str, new: str) -> bool:
    old, new = old.strip(), new.strip()
    if name in _UPPER:
        return old.upper() == new.upper()
    if name == "email":
        return old.lower() == new.lower()
    return old == new


def changes_between(card: dict[str, str], values: dict[str, str], layout: Layout) -> list[Change]:
    """What the submitted values change on the card, field by field, in the items' order."""
    labels = {spec.name: spec.label for spec in layout.all_fields()}
    found: list[Change] = []
    for item, names in ITEM_FIELDS.items():
        for name in names:
            old, new = card.get(name, ""), values.get(name, "")
            if not _same(name, old, new):
                found.append(Change(item, labels[name], old, new))
        if item == COLLECT_OFFICE:  # 居留地址 comes next in the tutorial's list
            old_address, new_address = address_of(card), address_of(values)
            if old_address != new_address:
                found.append(Change(RESIDENCE_ADDRESS, "居留地址", old_address, new_address))
    if layout.changes_uino:
        found.append(Change(UINO, "統一證號", card.get("uino", ""), NEW_UINO_TEXT))
    return found


def changed_items(changes: list[Change]) -> list[str]:
    return [item for item in ITEMS if any(change.item == item for change in changes)]


def validate(
    form: dict[str, str],
    uploads: dict[str, list[str]],
    *,
    options: frozenset[str],
    card: dict[str, str],
    today: date,
) -> tuple[Checked, list[Change]]:
    """Open fields from the form, locked ones from the card; then what changed, its proofs.

    Each message names its tab and its field, as the Gold Card application's do.
    """
    layout = layout_for(options)
    checked = Checked()
    open_fields = [spec for spec in layout.all_fields() if not spec.readonly]
    check_fields(open_fields, form, checked, today)
    for spec in layout.all_fields():
        if spec.readonly:
            checked.values[spec.name] = card.get(spec.name, "")
    opened = {spec.name for spec in open_fields}
    for name, label in (("english_surname", "英文姓氏"), ("english_given_name", "英文名字")):
        if name in opened:
            check_pattern(
                checked, name, ENGLISH_NAME, f"{label}：請以英文字母填寫，與護照相同", upper=True
            )
    if "chinese_name" in opened:
        check_pattern(checked, "chinese_name", CJK_NAME, "中文姓名：請以中文字填寫")
    if "passport_number" in opened:
        check_pattern(
            checked, "passport_number", PASSPORT, "護照號碼：請填寫 5 至 15 碼英文字母或數字",
            upper=True,
        )  # fmt: skip
        _check_passport_expiry(checked, today)
    check_pattern(
        checked, "mobile", MOBILE, "在臺聯絡手機號碼：請填寫 09 開頭的 10 位數字（例如 0912345678）"
    )
    if layout.address_editable:
        check_address("residence", "居留地址", form, checked, required=True)
    else:
        for key, _ in ADDRESS_PARTS:
            checked.values[f"residence_{key}"] = card.get(f"residence_{key}", "")
    changes = changes_between(card, checked.values, layout)
    items = changed_items(changes)
    if PASSPORT_CHANGE in options and PASSPORT_NUMBER not in items:
        checked.fail(
            "passport_number",
            f"護照號碼：已勾選「{OPTIONS[PASSPORT_CHANGE]}」，請填寫新護照的護照號碼及護照效期",
        )
    if not checked.errors and not items:
        checked.fail(NOTHING, NOTHING_CHANGED)
    for item in items:
        slot = PROOFS.get(item)
        if slot is not None and not uploads.get(slot.name):
            checked.fail(slot.name, f"{slot.label}：本次異動{ITEMS[item]}，請上傳{slot.label}")
    for slot in layout.documents:
        if len(uploads.get(slot.name, [])) > slot.max_files:
            checked.fail(slot.name, f"{slot.label}：最多上傳 {slot.max_files} 個檔案")
    # The summary lists problems the way the tabs show them, not the order rules ran in.
    position = {name: index for index, name in enumerate(_screen_order(layout))}
    checked.errors = [
        error if error.name == NOTHING else FieldError(error.name, _on_tab(layout, error))
        for error in sorted(checked.errors, key=lambda error: position.get(error.name, -1))
    ]
    return checked, changes


def _screen_order(layout: Layout) -> list[str]:
    address = [f"residence_{key}" for key, _ in ADDRESS_PARTS]
    fields = layout.basic + layout.passport + layout.residence
    return [
        *(spec.name for spec in fields),
        *address,
        *(spec.name for spec in layout.expertise),
        *(slot.name for slot in layout.documents),
    ]


def _on_tab(layout: Layout, error: FieldError) -> str:
    return f"「{gold_card.TAB_LABELS[tab_of(layout, error.name)]}」{error.message}"


def _check_passport_expiry(checked: Checked, today: date) -> None:
    value = checked.values.get("passport_expiry", "")
    if not value or checked.has_error("passport_expiry"):
        return
    # Consent clause 6: a passport valid 6 months or more is needed to enter Taiwan.
    if dates.parse("護照效期(西元)", value) < today + timedelta(days=183):
        checked.fail("passport_expiry", "護照效期(西元)：護照效期須在 6 個月以上，請先換發護照")
