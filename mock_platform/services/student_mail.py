"""The Students Online Application System's own mails (S.16, S.17, S.23), worded as tutorial S
shows them; any other status of a student case gets the platform's plain status mail."""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup

from mock_platform.clock import TAIPEI
from mock_platform.models import Account, Case
from mock_platform.rules import case_status
from mock_platform.rules import student as rules
from mock_platform.services.mailer import Line
from mock_platform.systems import STUDENT_LOGIN_PATH

SYSTEM_TITLE = "外國與外僑學生線上申辦系統"
SYSTEM_TITLE_EN = (
    "Online Application System for International Students and Overseas Chinese Students"
)
SUBJECTS: dict[str, str] = {
    case_status.SUBMITTED: "送件受理通知",
    case_status.AWAITING_PAYMENT: "送件線上繳費通知",
    case_status.CARD_READY: "審核通過已繳費製證完成通知",
}
SIGNATURE_EN = "National Immigration Agency, Ministry of Interior, Republic of China (Taiwan)"
NO_REPLY_EN = "Note: this is a letter automatically sent by the system. Please do not replay."


def _day(moment: datetime) -> str:
    # SQLite hands instants back without their zone; they were stored as UTC.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(TAIPEI).strftime("%Y/%m/%d")


def _paragraphs(case: Case, status: str, account: Account) -> list[Line] | None:
    filed = _day(case.submitted_at)
    name = str(case.data.get("english_name") or account.display_name)
    # Markup.format escapes what it interpolates; plain lines are escaped by the mailer.
    link = Markup('<a href="{}">{}</a>').format(STUDENT_LOGIN_PATH, SYSTEM_TITLE)
    link_en = Markup('<a href="{}">{}</a>').format(STUDENT_LOGIN_PATH, SYSTEM_TITLE_EN)
    if status == case_status.SUBMITTED:
        return [
            "您好：",
            f"您於{filed}申請『{SYSTEM_TITLE}』，資訊如下：",
            f"本次申請總人數：{name}等1人",
            "您於線上送件申請結果：",
            "您的申請程序已經完成，目前本署正在審核中。",
            "請您紀錄申請案收件號或團號，亦可再次進入系統，於進度查詢中查詢掌握案件審理進度與狀態",
            f"收件號：{case.number}",
            "團號：（個人申請，無團號）",
            Markup("您可以登入{}查詢您的申請資料以及處理進度。").format(link),
            "備註：此為系統自動發送信件，請勿回覆，謝謝。",
            "中華民國內政部移民署",
        ]
    if status == case_status.AWAITING_PAYMENT:
        deadline = _day(datetime.fromisoformat(case.review["pay_by"]))
        return [
            "您好：",
            f"您於{filed}申請『{SYSTEM_TITLE}』，收件號為({case.number})，經本署審查已核准。",
            "請再次進入系統點選【線上繳費】並完成線上繳費作業，俾利發證。",
            f"繳費期限為核准日起五日內（至 {deadline} 止），一旦完成繳費後，不得申請退費。",
            Markup("您可以登入{}查詢您的申請資料以及處理進度。").format(link),
            "備註：此為系統自動發送信件，請勿回覆，謝謝。",
            "中華民國內政部移民署",
            f"Dear {name}",
            f'Your Application for "{SYSTEM_TITLE_EN}" on {filed}, with receiving number '
            f"({case.number}), has been approved. Please enter the system and click the link of "
            "【online payment】 to complete your online payment so that we can issue your IC card. "
            f"The payment period is within 5 days after the approval (until {deadline}). "
            "(Requests for refund are not permitted after completing your online payment operation.)",
            Markup("You can log in the {} to check your application and processing status.").format(
                link_en
            ),
            NO_REPLY_EN,
            SIGNATURE_EN,
        ]
    if status == case_status.CARD_READY:
        office = rules.OFFICES_BY_NAME.get(str(case.data.get("collect_office", "")))
        office_name = office.name if office else str(case.data.get("collect_office", ""))
        office_en = office.name_en if office else office_name
        return [
            "您好：",
            f"您於{filed}申請『{SYSTEM_TITLE}』，收件號為({case.number})，經本署審查已核准，特此通知！",
            f"收到通知三個工作日後，攜帶收據及個人證明文件，至{office_name}臨櫃領取IC卡居留證，"
            "收據下載路徑：【首頁>下載專區>收據下載】。",
            "備註：此為系統自動發送信件，請勿回覆，謝謝。",
            "中華民國內政部移民署",
            f"Dear {name},",
            f'Your application for "{SYSTEM_TITLE_EN}" on {filed}, with receiving number '
            f"({case.number}), has been approved and your IC card is ready for collection.",
            "Please bring your online payment receipt and identify document to collect your IC card "
            f"at the service station of {office_en} three working days after this notice. "
            "[Receipt download: Home > Download > Receipt download]",
            NO_REPLY_EN,
            SIGNATURE_EN,
        ]
    return None


def compose(case: Case, status: str, account: Account) -> tuple[str, list[list[Line]]] | None:
    """The student system's mail for ``status`` (subject, blocks), or None where it sends
    the platform's plain one."""
    paragraphs = _paragraphs(case, status, account)
    if paragraphs is None:
        return None
    return f"[{SYSTEM_TITLE}] - {SUBJECTS[status]}", [paragraphs]
