"""Tutorial S: a foreign student registers, activates the account from the mail, asks for a
residence-permit extension with an auto-cropped photo, pays at a convenience store after
approval and downloads the receipt (S.1–S.24).

Set-up through the control API: the school's report of the student (the record the 居留證號
finds) and the officer's two decisions (approve after S.15, card ready after payment), as the
catalog's precondition says. Everything the student does goes through the screens; mails
are read in the mock's mailbox.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from playwright.sync_api import expect

from fixtures.factories import create_student_registration
from fixtures.models import StudentExtension
from fixtures.sample_files import make_document_pdf, make_face_photo, make_permit_png
from harness.data import server_today
from mock_platform.services.photo_crop import OUTPUT_SIZE, crop_passport_photo
from pages.mailbox.inbox import MailboxInbox
from pages.payment.gateway import PaymentGateway
from pages.payment.methods import CONVENIENCE_STORE, METHODS
from pages.payment.receipts import ReceiptList
from pages.payment.result import PAID, PaymentResult
from pages.payment.slip import StoreSlip
from pages.student.extension_form import ENROLMENT, PASSPORT, PERMIT
from pages.student.home import APPLY_ITEMS, CASE_TABLES, EXTENSION_ITEM, StudentHome
from pages.student.login import StudentLoginPage
from pages.student.registration import StudentRegistrationPage
from pages.student.verification import VerificationPage
from scenarios.payment.journeys import choose_and_confirm

pytestmark = pytest.mark.tutorial("S")

VERIFY_MAIL = "會員信箱認證通知函 Please Verify your e-mail address"
ACCEPTED_MAIL = "[外國與外僑學生線上申辦系統] - 送件受理通知"
PAYMENT_MAIL = "[外國與外僑學生線上申辦系統] - 送件線上繳費通知"
READY_MAIL = "[外國與外僑學生線上申辦系統] - 審核通過已繳費製證完成通知"
FEE = 500  # 居留證效期 1年


def documents(folder: Path, name: str) -> dict[str, list[Path]]:
    """S.14: each scan under 512K; the passport has a second page (「+」)."""
    return {
        PERMIT: [make_permit_png(folder / "permit-front.png")],
        PASSPORT: [
            make_document_pdf(folder / "passport-1.pdf", title="PASSPORT", lines=[name]),
            make_document_pdf(
                folder / "passport-2.pdf", title="PASSPORT (VISA PAGE)", lines=[name]
            ),
        ],
        ENROLMENT: [
            make_document_pdf(
                folder / "enrolment.pdf", title="CERTIFICATE OF ENROLMENT", lines=[name]
            )
        ],
    }


def test_s_student_permit(page, platform, steps, faker, student, captcha, sample_dir):
    record = student(permit_days_left=45)
    registration = create_student_registration(faker=faker, student=record)
    choices = StudentExtension()
    login = StudentLoginPage(page)

    with steps.step("S.1", target=login.register_link) as step:
        login.open(platform.url)
        expect(login.system_title).to_be_visible()
        expect(login.heading).to_be_visible()
        expect(login.footer).to_contain_text("100-66 臺北市廣州街15號")
        expect(login.footer).to_contain_text("電腦操作/系統維修諮詢專線：02-27967162")
        expect(login.footer).to_contain_text("櫃檯受理服務時間：星期一至星期五 08:00-17:00")
        expect(login.footer).to_contain_text("國內：0800-024-111 國外：886-800-024-111")
        step.capture()
        login.go_to_registration()

    form = StudentRegistrationPage(page)
    with steps.step("S.2", target=form.form) as step:
        expect(form.heading).to_be_visible()
        expect(form.name_note).to_be_visible()
        expect(form.password_rule).to_be_visible()
        step.capture()

    with steps.step("S.3", target=form.register_button) as step:
        form.fill(registration)
        step.capture()
        done = form.register(registration)
        expect(done.heading).to_be_visible()
        expect(done.notice).to_contain_text(registration.email)
    assert platform.account_state(registration.username)["verified"] is False

    inbox = MailboxInbox(page)
    with steps.step("S.4", target=None) as step:
        inbox.open(registration.email, platform.url)
        mail = inbox.open_mail(VERIFY_MAIL)
        expect(mail.subject).to_contain_text(VERIFY_MAIL)
        expect(mail.sender).to_be_visible()
        expect(mail.body).to_contain_text(f"您申請註冊的帳號：{registration.username}")
        expect(mail.body).to_contain_text(
            f"Your registration account number: {registration.username}"
        )
        expect(mail.links).to_have_count(2)  # the same link, in Chinese and in English
        link = mail.link_address(0)
        assert link and f"/coa-frontend/register/verify/{registration.username}/" in link
        step.target = mail.links.first
        step.capture()

    verification = VerificationPage(page)
    with steps.step("S.5", target=verification.login_link) as step:
        mail.follow_link(0)
        expect(verification.activated_heading).to_be_visible()
        step.capture()
    assert platform.account_state(registration.username)["verified"] is True

    home = StudentHome(page)
    with steps.step("S.6", target=login.login_button) as step:
        verification.go_to_login()
        login.fill(
            username=registration.username, password=registration.password, captcha=captcha()
        )
        step.capture()
        login.submit()
        expect(home.header.countdown).to_contain_text("登出倒數：")
        expect(home.header.user_name).to_have_text(
            f"{registration.surname} {registration.given_name}"
        )

    with steps.step(
        "S.7",
        target=home.apply_item(EXTENSION_ITEM),
    ) as step:
        for title in CASE_TABLES:
            expect(home.case_table(title)).to_be_visible()
        expect(home.bulletins).to_contain_text(
            "外國人於國內及海外延期居留及 Extend or Replace Lost ARCs"
        )
        home.open_apply_menu()
        for label in APPLY_ITEMS:
            expect(home.apply_item(label)).to_be_visible()
        step.capture()
        request = home.open_extension()

    with steps.step("S.8", target=request.submit_button) as step:
        expect(request.heading).to_be_visible()
        expect(request.programme.locator("option")).to_have_count(13)  # 請選擇 + 12 學制
        expect(request.reason.locator("option")).to_have_text(
            ["請選擇", "在學延期", "畢業實習延期"]
        )
        expect(request.exchange_note).to_be_visible()
        request.fill(permit_number=record.uino, programme=record.programme, reason=choices.reason)
        step.capture()
        extension = request.submit()

    with steps.step("S.9", target=extension.crop_button) as step:
        expect(extension.heading).to_be_visible()
        expect(extension.photo_guide_link).to_be_visible()
        expect(extension.study_value("申請資格")).to_have_text("外國及外僑學生進入臺灣地區就學")
        expect(extension.study_value("申請來臺就學學制")).to_have_text(record.programme)
        expect(extension.study_value("學校單位")).to_have_text(f"{record.school}{record.programme}")
        expect(extension.study_value("就學狀態")).to_have_text("已註冊")
        expect(extension.permit_years).to_have_value("1年")
        expect(extension.overstay).to_have_count(0)
        step.capture()

    selfie = make_face_photo(sample_dir / "selfie.jpg")
    crop = extension.crop_dialog
    with steps.step("S.10", target=crop.crop_button) as step:
        extension.open_photo_crop()
        expect(crop.root).to_be_visible()
        crop.choose(selfie)
        expect(crop.root.get_by_text("原始圖檔預覽", exact=True)).to_be_visible()
        step.capture()

    with steps.step("S.11", target=crop.download_link) as step:
        crop.upload_and_crop()
        expect(crop.cropped_preview).to_be_visible()
        expect(crop.original_preview).to_be_visible()
        expect(crop.notice).to_contain_text("已偵測到臉部")
        step.capture()

    with steps.step("S.12", target=crop.close_button) as step:
        cropped = crop.download(sample_dir / "downloads")
        with Image.open(cropped) as image:
            assert (image.format, image.size) == ("JPEG", OUTPUT_SIZE)
        # The file itself, not the page: a face is found again in what was downloaded.
        again = crop_passport_photo(cropped.read_bytes())
        assert again.face_found and again.face_box is not None
        x, y, width, height = again.face_box
        assert x >= 0 and x + width <= OUTPUT_SIZE[0] and y >= 0 and y + height <= OUTPUT_SIZE[1]
        assert cropped.stat().st_size < 512 * 1024
        step.capture()

    with steps.step("S.13", target=extension.photo_preview) as step:
        crop.close()
        expect(crop.root).to_be_hidden()
        extension.upload_photo(cropped)
        expect(extension.photo.row_status()).to_contain_text(f"已上傳：{cropped.name}")
        expect(extension.photo_preview).to_have_attribute("src", re.compile(r"/uploads/"))
        step.capture()

    with steps.step("S.14", target=extension.documents) as step:
        expect(extension.document_rules).to_contain_text("檔案請小於512K")
        extension.upload_documents(documents(sample_dir, record.english_name))
        expect(extension.passport.file_inputs).to_have_count(2)
        for field in (extension.permit, extension.passport, extension.enrolment):
            expect(field.row_status()).to_contain_text("已上傳：")
            expect(field.error).to_be_hidden()  # an empty message takes no space
        step.capture()

    with steps.step("S.15", target=extension.submit_button) as step:
        expect(extension.field("居留證號(統一證號)")).to_have_value(record.uino)
        expect(extension.field("就讀學校")).to_have_value(f"{record.school}{record.programme}")
        expect(extension.address.city).to_have_value(record.school_address.city)
        expect(extension.address.part("street")).to_have_value(record.school_address.street)
        extension.fill_applicant(record, choices)
        step.capture()
        alert = extension.submit()
        found = re.fullmatch(r"送件成功, 收件號: (\d{12})", alert)
        assert found, alert
        number = found.group(1)
        expect(home.case_row("新申請案件", number)).to_contain_text("已送件")

    with steps.step("S.16", target=None) as step:
        inbox.open(registration.email, platform.url)
        accepted = inbox.open_mail(ACCEPTED_MAIL)
        receipt_line = accepted.body.get_by_text(f"收件號：{number}", exact=True)
        expect(receipt_line).to_be_visible()
        step.target = receipt_line
        step.capture()

    platform.review(number, "approve")
    with steps.step("S.17", target=None) as step:
        inbox.open(registration.email, platform.url)
        notice = inbox.open_mail(PAYMENT_MAIL)
        expect(notice.body).to_contain_text(f"收件號為({number})，經本署審查已核准")
        last_day = server_today(platform) + timedelta(days=5)
        due = notice.body.get_by_text(re.compile("繳費期限為核准日起五日內"))
        expect(due).to_contain_text(f"至 {last_day:%Y/%m/%d} 止")
        step.target = due
        step.capture()

    with steps.step("S.18", target=login.login_button) as step:
        login.open(platform.url)
        login.fill(
            username=registration.username, password=registration.password, captcha=captcha()
        )
        step.capture()
        login.submit()
        expect(home.case_row("待繳費案件", number)).to_be_visible()

    methods = choose_and_confirm(
        page, steps, number, record.english_name, select_all=False, fee=FEE, card="居留證"
    )

    slip = StoreSlip(page)
    with steps.step("S.21", target=methods.start_button) as step:
        expect(methods.choices).to_have_count(6)
        for label in METHODS:
            expect(methods.method(label)).to_be_visible()
        methods.choose(CONVENIENCE_STORE)
        step.capture()
        methods.start()
        expect(slip.heading).to_be_visible()
        expect(slip.total).to_have_text("NT$ 508")  # 規費 plus the store's NT$8
        expect(slip.barcodes).to_have_count(3)
        expect(slip.print_button).to_be_visible()

    gateway = PaymentGateway(page)
    result = PaymentResult(page)
    with steps.step("S.22", target=gateway.store_button) as step:
        slip.go_to_store()
        expect(gateway.heading).to_have_text(CONVENIENCE_STORE)
        step.capture()
        gateway.confirm_store_payment()
        expect(result.title).to_have_text(PAID)
        expect(result.row(number)).to_contain_text("已繳費")
    assert next(case for case in platform.cases() if case["number"] == number)["paid_at"]

    platform.review(number, "card_ready")
    with steps.step("S.23", target=None) as step:
        inbox.open(registration.email, platform.url)
        ready = inbox.open_mail(READY_MAIL)
        office = ready.body.get_by_text(
            re.compile(f"至{re.escape(choices.collect_office)}臨櫃領取")
        )
        expect(office).to_contain_text("收據下載路徑：【首頁>下載專區>收據下載】")
        expect(ready.body).to_contain_text("KAOHSIUNG CITY 1st SERVICE CENTER")
        step.target = office
        step.capture()

    receipts = ReceiptList(page)
    with steps.step("S.24", target=receipts.download_link(number)) as step:
        login.open(platform.url)
        login.log_in(
            username=registration.username, password=registration.password, captcha=captcha()
        )
        receipts.open_from_menu()
        expect(receipts.row(number)).to_contain_text("NT$ 500")
        step.capture()
        download = receipts.download(number)
        text = pypdf.PdfReader(io.BytesIO(download.path().read_bytes())).pages[0].extract_text()
        for expected in ("規費收據", number, "NT$500", record.english_name, CONVENIENCE_STORE):
            assert expected in text, f"{expected!r} not in the receipt: {text}"
