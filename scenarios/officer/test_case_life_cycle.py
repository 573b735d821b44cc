"""A case's life walked through the screens alone: the officer console decides, the
applicant reads 「案件進度查詢」 and withdraws with 「案件撤銷」.

The control API only files the cases (set-up) and cross-checks; every move is made on a
screen. One browser plays both people in turn: logging in as one ends the other's session,
as it would on a shared computer.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from harness.steps import StepRecorder
from pages.components.progress import MENU, MENU_ITEM, CaseProgress
from pages.gold_card.supplement_list import SupplementList
from pages.officer.case_review import CaseReview
from scenarios.gold_card.journeys import log_in_to_gold_card
from scenarios.journeys import log_in_to_other_reason
from scenarios.officer.journeys import log_in_as_officer, review_as_officer

pytestmark = pytest.mark.tutorial("NEG")

OTHER_REASON = {"system": "other_reason", "kind": "other_reason_permit",
                "title": "其他事由居留證申請", "status": "已送件", "fee": 1000}  # fmt: skip
GOLD_CARD = {"system": "gold_card", "kind": "gold_card_reapply", "title": "就業金卡重新申請"}
SUPPLEMENTS = "/coa-frontend/gold-card/supplements"
PAYMENT = "/coa-frontend/gold-card/payment"
# The tutorial-mode clock stands still at 2024/07/30 10:00 (Taipei); otherwise any minute.
MINUTE = r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}"


def status_of(platform: Any, number: str) -> str:
    return next(case["status"] for case in platform.cases() if case["number"] == number)


def test_whole_life_cycle_without_the_control_api(
    page, platform, steps: StepRecorder, applicant_account, officer_account, captcha
):
    """Approve one 其他事由 case, refuse another with a reason, return a Gold Card case for
    supplement; the applicant reads each outcome, dated, in 「案件進度查詢」."""
    user = applicant_account["username"]
    approved = platform.create_case(username=user, **OTHER_REASON)["number"]
    refused = platform.create_case(username=user, **OTHER_REASON)["number"]
    returned = platform.create_case(username=user, **GOLD_CARD, status="已送件")["number"]

    cases = log_in_as_officer(page, officer_account, captcha)
    with steps.step("NEG.LIFE.case-list", "案件列表依系統篩選", target=cases.table) as step:
        cases.status_filter.select_option(label="已送件")
        cases.system_filter.select_option(label="其他事由居留證申請")
        step.capture()
        cases.search_button.click()
        expect(cases.row(approved)).to_contain_text("NT$ 1,000")
        expect(cases.row(refused)).to_be_visible()
        expect(cases.row(returned)).to_have_count(0)

    cases.open_case(approved)
    review = CaseReview(page)
    with steps.step("NEG.LIFE.approve", "審核人員核准案件", target=review.approve_button) as step:
        expect(review.status).to_have_text("已送件")
        step.capture()
        review.approve()
        expect(review.notice).to_have_text(f"申請案號 {approved} 已核准，案件狀態：待繳費。")
        expect(review.history_row("審核通過")).to_contain_text("審核人員")
    assert status_of(platform, approved) == "待繳費"

    page.goto(f"/officer/cases/{refused}")
    # Pictured as refused: the message beside the empty 不予核准理由.
    with steps.step("NEG.LIFE.reject-reason", "不予核准須填寫理由", target=review.field_errors):
        review.reject_button.click()
        expect(review.field_errors).to_have_text("不予核准理由：請填寫不予核准的理由")
        expect(review.reason).to_have_attribute("aria-invalid", "true")
    assert status_of(platform, refused) == "已送件"
    with steps.step("NEG.LIFE.reject", "審核人員不予核准", target=review.reject_button) as step:
        review.reason.fill("在臺停留事由與所附文件不符")
        step.capture()
        review.reject_button.click()
        expect(review.status).to_have_text("不予核准")
        expect(review.summary).to_contain_text("在臺停留事由與所附文件不符")

    page.goto(f"/officer/cases/{returned}")
    with steps.step(
        "NEG.LIFE.supplement", "審核人員要求補正", target=review.supplement_button
    ) as step:
        review.comment("護照資料").fill("護照效期不足六個月，請換發後補正")
        review.comment("文件上傳").fill("資格證明文件不清楚")
        step.capture()
        review.supplement_button.click()
        expect(review.notice).to_contain_text("已通知申請人補正（護照資料、文件上傳）")
        expect(review.status).to_have_text("初審資料補正")

    home = log_in_to_other_reason(page, applicant_account, captcha)
    progress = CaseProgress(page)
    with steps.step(
        "NEG.LIFE.approved-seen", "案件進度查詢：核准後待繳費", target=progress.row(approved)
    ):
        home.menu.choose(MENU, MENU_ITEM)
        expect(progress.status(approved)).to_have_text("待繳費")
        expect(progress.history(approved).get_by_role("row")).to_have_count(5)  # header + 4
        expect(progress.history_row(approved, "審核通過")).to_contain_text("您的申請案已審核通過。")
        for status in ("已送件", "審核中", "審核通過", "待繳費"):
            expect(progress.history_row(approved, status)).to_have_text(
                re.compile(f"{status}{MINUTE}")
            )
        expect(progress.row(approved).get_by_role("link", name="前往線上繳費")).to_be_visible()
    with steps.step(
        "NEG.LIFE.rejected-seen", "案件進度查詢：不予核准理由", target=progress.history(refused)
    ):
        expect(progress.status(refused)).to_contain_text("不予核准理由：在臺停留事由與所附文件不符")
        expect(progress.history_row(refused, "不予核准")).to_contain_text(
            "在臺停留事由與所附文件不符"
        )
        expect(progress.withdraw_button(refused)).to_have_count(0)
        expect(progress.row(returned)).to_have_count(0)  # a Gold Card case: the other system

    shell = log_in_to_gold_card(page, applicant_account, captcha)
    with steps.step(
        "NEG.LIFE.supplement-seen", "案件進度查詢：初審資料補正", target=progress.row(returned)
    ):
        shell.menu.choose(MENU, MENU_ITEM)
        expect(progress.status(returned)).to_contain_text("初審資料補正")
        expect(progress.status(returned)).to_contain_text("補正期限：")
        expect(progress.history_row(returned, "初審資料補正")).to_contain_text(
            "護照資料：護照效期不足六個月，請換發後補正"
        )
        expect(progress.row(returned).get_by_role("link", name="前往補正")).to_be_visible()
    # 「前往補正」 leads to the supplement screens.
    progress.row(returned).get_by_role("link", name="前往補正").click()
    expect(SupplementList(page).view_button(returned)).to_be_visible()


def test_withdrawal_after_confirmation(
    page, platform, steps: StepRecorder, applicant_account, captcha
):
    """NEG.LIFE.withdrawn: 「案件撤銷」 asks first; a withdrawn case leaves 「線上繳費」."""
    number = platform.create_case(username=applicant_account["username"], **GOLD_CARD)["number"]
    shell = log_in_to_gold_card(page, applicant_account, captcha)
    page.goto(PAYMENT)
    expect(page.get_by_role("main")).to_contain_text(number)  # waiting for payment

    shell.menu.choose(MENU, MENU_ITEM)
    progress = CaseProgress(page)
    expect(progress.status(number)).to_have_text("待繳費")
    dialog = progress.withdraw_dialog
    with steps.step(
        "NEG.LIFE.withdraw-confirm", "案件撤銷前先確認", target=progress.withdraw_button(number)
    ) as step:
        step.capture()
        progress.ask_to_withdraw(number)
        expect(dialog.root).to_be_visible()
        expect(dialog.text).to_contain_text(f"確定要撤銷申請案號 {number}「就業金卡重新申請」嗎？")
    with steps.step("NEG.LIFE.withdraw-cancel", "取消撤銷", target=dialog.cancel_link) as step:
        step.capture()
        dialog.cancel()
        expect(dialog.root).to_be_hidden()
        expect(progress.status(number)).to_have_text("待繳費")
    assert status_of(platform, number) == "待繳費"

    progress.ask_to_withdraw(number)
    with steps.step("NEG.LIFE.withdrawn", "案件撤銷", target=dialog.confirm_button) as step:
        step.capture()
        dialog.confirm()
        expect(progress.notice).to_have_text(f"申請案號 {number} 已撤銷。")
        expect(progress.status(number)).to_have_text("已撤銷")
        expect(progress.history_row(number, "已撤銷")).to_contain_text("您的申請案已撤銷。")
        expect(progress.withdraw_button(number)).to_have_count(0)
    assert status_of(platform, number) == "已撤銷"
    page.goto(PAYMENT)
    expect(page.get_by_role("main")).not_to_contain_text(number)
    assert platform.mail(applicant_account["email"])[-1]["subject"].endswith("案件狀態：已撤銷")


def test_a_withdrawn_case_leaves_the_supplement_list(
    page, platform, steps: StepRecorder, applicant_account, officer_account, captcha
):
    """The officer returns a Gold Card case; the applicant withdraws it instead of
    supplementing, and 「補正(件)列表」 no longer offers it."""
    number = platform.create_case(
        username=applicant_account["username"], **GOLD_CARD, status="已送件"
    )["number"]
    review = review_as_officer(page, officer_account, captcha, number)
    review.ask_for_supplement({"基本資料": "英文姓名與護照不符"})
    expect(review.status).to_have_text("初審資料補正")

    shell = log_in_to_gold_card(page, applicant_account, captcha)
    page.goto(SUPPLEMENTS)
    supplements = SupplementList(page)
    expect(supplements.view_button(number)).to_be_visible()
    shell.menu.choose(MENU, MENU_ITEM)
    progress = CaseProgress(page)
    progress.ask_to_withdraw(number).confirm()
    expect(progress.status(number)).to_have_text("已撤銷")
    page.goto(SUPPLEMENTS)
    expect(supplements.heading).to_be_visible()
    expect(supplements.view_button(number)).to_have_count(0)
    assert status_of(platform, number) == "已撤銷"
