"""What the student system refuses around the extension request (S.8–S.20): an overdue
permit (the fine of each band of the tutorial's table), a document of 512K or more, a photo
in which no face is found (centre crop with a notice), payment after the 5-day deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from fixtures.sample_files import make_faceless_photo, make_oversize_jpeg
from harness.data import server_today
from mock_platform.clock import TAIPEI
from pages.payment.payment_list import PaymentList
from pages.student.photo_crop_dialog import NO_FACE
from scenarios.student.journeys import log_in_as_student, request_extension

pytestmark = pytest.mark.tutorial("NEG")


@pytest.mark.parametrize(
    ("days_overdue", "fine"),
    [(5, 2000), (20, 4000)],
    ids=["10-days-or-less", "11-to-29-days"],
)
def test_an_overdue_permit_shows_its_fine_on_the_form(
    page, platform, steps, student, student_account, captcha, days_overdue, fine
):
    record = student(permit_days_left=-days_overdue)
    request, form = request_extension(page, platform.url, student_account, captcha, record)
    with steps.step(
        f"NEG.S.9.overstay-{days_overdue}-days", "逾期居留：表單上顯示罰鍰", target=form.overstay
    ):
        expect(form.heading).to_be_visible()
        expect(form.overstay).to_contain_text(f"已逾期居留 {days_overdue} 日")
        expect(form.overstay).to_contain_text(f"依規定處新臺幣{fine:,}元罰鍰")


@pytest.mark.parametrize(
    ("days_overdue", "fine"),
    [(30, 4000), (45, 6000), (75, 8000), (100, 10000)],
    ids=["30th-day", "31-to-60-days", "61-to-90-days", "91-days-or-more"],
)
def test_from_the_30th_day_overdue_the_request_is_refused_with_the_fine(
    page, platform, steps, student, student_account, captcha, days_overdue, fine
):
    record = student(permit_days_left=-days_overdue)
    request, _ = request_extension(page, platform.url, student_account, captcha, record)
    with steps.step(
        f"NEG.S.8.overstay-{days_overdue}-days",
        "逾期居留第30日起：無法線上申請延期",
        target=request.errors.root,
    ):
        expect(request.heading).to_be_visible()
        expect(request.errors.root).to_contain_text(f"已逾期居留 {days_overdue} 日")
        expect(request.errors.root).to_contain_text(f"依規定處新臺幣{fine:,}元罰鍰")
        expect(request.errors.root).to_contain_text("無法線上申請延期")
        if days_overdue > 90:
            expect(request.errors.root).to_contain_text("裁罰後應7日內出境")
    assert platform.cases() == []


def test_a_document_of_512k_or_more_is_refused(
    page, platform, steps, student, student_account, captcha, sample_dir
):
    record = student()
    _, form = request_extension(page, platform.url, student_account, captcha, record)
    big = make_oversize_jpeg(sample_dir / "passport-scan.jpg", min_kb=600)
    with steps.step("NEG.S.14.oversize", "文件 512K 以上：拒收", target=form.passport.root) as step:
        form.passport.choose(big)
        expect(form.passport.error).to_contain_text("2. 護照：檔案大小為")
        expect(form.passport.error).to_contain_text("檔案請小於 512K")
        expect(form.passport.row_status()).not_to_contain_text("已上傳")
        step.capture()


def test_a_photo_without_a_face_is_centre_cropped_with_a_notice(
    page, platform, steps, student, student_account, captcha, sample_dir
):
    record = student()
    _, form = request_extension(page, platform.url, student_account, captcha, record)
    dialog = form.open_photo_crop()
    dialog.choose(make_faceless_photo(sample_dir / "landscape.jpg"))
    with steps.step("NEG.S.11.no-face", "照片中找不到臉部：改以中央裁切", target=dialog.notice):
        dialog.upload_and_crop()
        expect(dialog.notice).to_contain_text(NO_FACE)
        expect(dialog.cropped_preview).to_be_visible()
        expect(dialog.download_link).to_be_visible()


def test_payment_after_the_fifth_day_from_approval_is_refused(
    page, platform, steps, student_account, captcha
):
    case = platform.create_case(
        username=student_account["username"], system="student", kind="student_extension",
        title="外(僑)生就學(延期)", status="已送件", fee=500,
        data={"english_name": student_account["display_name"]},
    )  # fmt: skip
    platform.review(case["number"], "approve")
    sixth_day = server_today(platform) + timedelta(days=6)
    platform.set_clock(
        datetime(sixth_day.year, sixth_day.month, sixth_day.day, 9, tzinfo=TAIPEI).isoformat()
    )
    log_in_as_student(page, platform.url, student_account, captcha)
    payment = PaymentList(page)
    with steps.step("NEG.S.19.after-deadline", "核准日起五日後繳費：拒收", target=payment.problem):
        payment.open_from_menu()
        payment.tick(case["number"])
        payment.pay()
        expect(payment.problem).to_contain_text(f"申請案號 {case['number']} 的繳費期限為")
        expect(payment.problem).to_contain_text("已逾期，無法線上繳費")
    assert next(c for c in platform.cases() if c["number"] == case["number"])["paid_at"] is None
