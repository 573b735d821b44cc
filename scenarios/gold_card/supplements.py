"""Set-up and paths of the T5 scenarios: a Gold Card case an officer returned for a
supplement, and the way from login to its 「補正(件) - 申請人資料補正」."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from playwright.sync_api import Page, expect

from fixtures.factories import create_card_holder, create_gold_card_application
from fixtures.formats import ymd
from fixtures.models import GoldCardApplication
from harness.data import server_today
from pages.gold_card.supplement_detail import SupplementDetail
from pages.gold_card.supplement_form import SupplementForm
from pages.gold_card.supplement_list import SupplementList
from scenarios.gold_card.journeys import log_in_to_gold_card

MENU, MENU_ITEM = "進度查詢", "補正(件)列表"
# The officer's 審核意見 of the tutorial's walk: two tabs, the others have none.
COMMENTS = {
    "基本資料": "英文名字與護照不符，請依護照內容更正。",
    "文件上傳": "請補附最近一年之薪資證明文件。",
}
# The answers of 「新增申請人」 as the platform stores them (radio values, not labels).
ENTRY_KEYS = {
    "目前已持有中華民國核發之有效居留證件": "residence_permit",
    "以免簽證方式入國": "visa_exempt",
    "以60天以上未加註限制停留簽證方式入國": "visa_long",
    "以60天以上加註限制停留簽證方式入國": "visa_long_restricted",
    "以60天以下停留簽證方式入國": "visa_short",
    "以落地簽證或電子簽證方式入國": "landing_visa",
}


@dataclass(frozen=True)
class ReturnedCase:
    number: str
    application: GoldCardApplication


def case_data(application: GoldCardApplication) -> dict[str, Any]:
    """The application as a submitted case keeps it: the form's names, dates as typed."""
    values: dict[str, Any] = {}
    for name, value in application.model_dump(exclude={"residence_address"}).items():
        values[name] = ymd(value) if isinstance(value, date) else value
    for part, value in application.residence_address.model_dump().items():
        values[f"residence_{part}"] = value
    values["english_name"] = application.english_name
    values["answers"] = {
        "held": "是(曾經持有就業金卡但已過期)",
        "has_uino": "是",
        "uino": application.uino,
        "birth_date": ymd(application.birth_date),
        "in_taiwan": "是(境內申請)",
        "entry_document": ENTRY_KEYS[application.entry_document],
        "roc_national": "否",
    }
    return values


def create_returned_case(
    platform: Any,
    faker: Any,
    *,
    account: dict[str, Any],
    comments: dict[str, str] | None = None,
) -> ReturnedCase:
    """A re-application ``account`` filed, sent back by the officer with ``comments``."""
    today = server_today(platform)
    holder = create_card_holder(faker=faker, card_valid=False, today=today)
    application = create_gold_card_application(faker=faker, holder=holder, today=today)
    created = platform.create_case(
        username=account["username"], system="gold_card", kind="gold_card_reapply",
        title="就業金卡重新申請", status="已送件", fee=5300, data=case_data(application),
    )  # fmt: skip
    reviewed = platform.review(created["number"], "supplement", comments=comments or COMMENTS)
    assert reviewed["status"] == "初審資料補正", reviewed
    return ReturnedCase(str(created["number"]), application)


def open_supplement_form(
    page: Page, account: dict[str, Any], captcha: Callable[[], str], number: str
) -> SupplementForm:
    """Log in, then 「補正(件)列表」 ▸ 「檢視」 ▸ 「補正」 for case ``number``."""
    detail = open_supplement_detail(page, account, captcha, number)
    detail.supplement()
    form = SupplementForm(page)
    expect(form.heading).to_be_visible()
    return form


def open_supplement_detail(
    page: Page, account: dict[str, Any], captcha: Callable[[], str], number: str
) -> SupplementDetail:
    shell = log_in_to_gold_card(page, account, captcha)
    shell.menu.choose(MENU, MENU_ITEM)
    SupplementList(page).view(number)
    detail = SupplementDetail(page)
    expect(detail.heading).to_be_visible()
    return detail
