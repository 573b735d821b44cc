"""The student system in-process: the request (S.8), the form (S.9–S.15), 大頭照自動裁切,
the mails of acceptance, payment notice and card ready, the 5-day payment window, fines."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from pypdf import PdfReader

from fixtures.sample_files import make_face_photo, make_faceless_photo, make_photo
from tests.mock_client import captcha_answer, make_client, officer_login

LOGIN = "/coa-frontend/foreign-student/individual/login"
HOME = "/coa-frontend/foreign-student/home"
EXTENSION = "/coa-frontend/foreign-student/extension"
UINO = "A800013146"
EMAIL = "lan@student.example.edu.tw"
TODAY = date(2024, 7, 30)


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as client:
        client.post("/__mock__/clock", json={"set": "2024-07-30T02:00:00+00:00", "frozen": True})
        yield client


def report_student(client, *, permit_expiry: date, programme: str = "產學合作專班") -> None:
    response = client.post(
        "/__mock__/students",
        json={
            "uino": UINO,
            "passport_number": "C1234567",
            "english_name": "NGUYEN THI LAN",
            "birth_date": "2003-05-04",
            "gender": "女",
            "nationality": "越南",
            "passport_expiry": "2030-01-01",
            "permit_expiry": permit_expiry.isoformat(),
            "school": "正修科技大學",
            "programme": programme,
            "address": {
                "city": "高雄市",
                "district": "鳥松區",
                "street": "澄清路",
                "number": "840",
            },
            "contact": {"name": "楊老師", "phone": "07-7358800*2253", "nationality": "中華民國"},
        },
    )
    assert response.status_code == 201, response.text


def log_in(client) -> None:
    response = client.post(
        "/__mock__/accounts",
        json={"system": "student", "username": "lan2024", "password": "study1234", "email": EMAIL},
    )
    assert response.status_code == 201, response.text
    sign_in(client)


def sign_in(client) -> None:
    assert client.get(LOGIN).status_code == 200
    response = client.post(
        LOGIN,
        data={"username": "lan2024", "password": "study1234", "captcha": captcha_answer(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == HOME


def start(client, **changes: str):
    data = {"arc": UINO, "programme": "產學合作專班", "reason": "在學延期", **changes}
    return client.post(f"{EXTENSION}/new", data=data, follow_redirects=False)


def stage(client, field: str, path, name: str | None = None) -> str:
    with open(path, "rb") as handle:
        response = client.post(
            f"{EXTENSION}/uploads",
            data={"field": field},
            files={"file": (name or path.name, handle.read())},
        )
    assert response.status_code == 200, response.text
    return response.json()["token"]


def form_token(client) -> str:
    page = client.get(f"{EXTENSION}/form")
    assert page.status_code == 200, page.text
    return re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)


APPLICANT = {
    "permit_years": "1年",
    "english_name": "NGUYEN THI LAN",
    "gender": "女",
    "passport_number": "C1234567",
    "passport_expiry": "2030/01/01",
    "nationality": "越南",
    "education": "高中職",
    "grade": "二年級",
    "marital_status": "未婚",
    "residence_city": "高雄市",
    "residence_district": "鳥松區",
    "residence_street": "澄清路",
    "residence_number": "840",
    "email": EMAIL,
    "contact_name": "楊老師",
    "contact_phone": "07-7358800*2253",
    "contact_nationality": "中華民國",
    "collect_method": "本人臨櫃領取",
    "collect_office": "高雄市第一服務站(三多路)",
}


def submit(client, tmp_path, **changes: str):
    token = form_token(client)
    files = {
        "photo_token": stage(client, "photo", make_photo(tmp_path / "photo.jpg")),
        "permit_token": stage(client, "permit", make_photo(tmp_path / "permit.jpg")),
        "passport_token": stage(client, "passport", make_photo(tmp_path / "passport.jpg")),
        "enrolment_token": stage(client, "enrolment", make_photo(tmp_path / "enrolment.jpg")),
    }
    return client.post(
        f"{EXTENSION}/submit",
        data={"form_token": token, **files, **APPLICANT, **changes},
        follow_redirects=False,
    )


def mails(client) -> list[dict]:
    return client.get("/__mock__/mail", params={"to": EMAIL}).json()["messages"]


def test_the_request_opens_the_form_for_the_students_own_record(client):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    assert start(client).headers["location"] == f"{EXTENSION}/form"
    page = client.get(f"{EXTENSION}/form").text
    for label in (
        "照片範例說明",
        "大頭照自動裁切",
        "外國及外僑學生進入臺灣地區就學",
        "正修科技大學產學合作專班",
        "已註冊",
        "應檢附文件",
        "在臺聯絡人姓名",
    ):
        assert label in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"arc": ""}, "居留證號：此欄位為必填"),
        ({"arc": "A800013147"}, "居留證號："),
        ({"programme": ""}, "申請來臺就學學制：此欄位為必填"),
        ({"reason": "觀光"}, "延期事由：此欄位為必填"),
        ({"programme": "學士"}, "與學校報送的就學資料（產學合作專班）不符"),
    ],
)
def test_a_wrong_request_is_refused_naming_the_field(client, changes, message):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    response = start(client, **changes)
    assert response.status_code == 422
    assert message in response.text


def test_a_number_nobody_reported_is_not_found(client):
    log_in(client)
    response = start(client)
    assert response.status_code == 422
    assert "查無您的在學資料" in response.text


@pytest.mark.parametrize(
    ("days_overdue", "fine"),
    [(1, "2,000"), (10, "2,000"), (11, "4,000"), (29, "4,000")],
)
def test_an_overdue_permit_within_29_days_shows_the_fine_on_the_form(client, days_overdue, fine):
    report_student(client, permit_expiry=TODAY - timedelta(days=days_overdue))
    log_in(client)
    assert start(client).status_code == 303
    page = client.get(f"{EXTENSION}/form").text
    assert f"已逾期居留 {days_overdue} 日，依規定處新臺幣{fine}元罰鍰" in page


@pytest.mark.parametrize(
    ("days_overdue", "fine"),
    [(30, "4,000"), (31, "6,000"), (60, "6,000"), (61, "8,000"), (90, "8,000"), (91, "10,000")],
)
def test_from_the_30th_day_overdue_the_extension_is_refused_with_the_fine(
    client, days_overdue, fine
):
    report_student(client, permit_expiry=TODAY - timedelta(days=days_overdue))
    log_in(client)
    response = start(client)
    assert response.status_code == 422
    assert f"依規定處新臺幣{fine}元罰鍰" in response.text
    assert "無法線上申請延期" in response.text
    assert (f"{fine}元罰鍰。裁罰後應7日內出境" in response.text) == (days_overdue > 90)


def test_missing_documents_and_fields_are_named_and_nothing_is_saved(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    token = form_token(client)
    response = client.post(
        f"{EXTENSION}/submit",
        data={"form_token": token, "english_name": "lan"},
        follow_redirects=False,
    )
    assert response.status_code == 422
    for message in (
        "照片上傳：此欄位為必填，請上傳檔案",
        "1. 居留證：此欄位為必填",
        "2. 護照：此欄位為必填",
        "4. 在學或註冊證明：此欄位為必填",
        "婚姻狀況：此欄位為必填",
        "在臺聯絡人姓名：此欄位為必填",
        "領證地點：此欄位為必填",
    ):
        assert message in response.text
    assert client.get("/__mock__/cases").json()["cases"] == []


def test_a_document_of_512k_or_more_is_refused(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8" + b"0" * (512 * 1024))
    response = client.post(
        f"{EXTENSION}/uploads",
        data={"field": "passport"},
        files={"file": ("big.jpg", big.read_bytes())},
    )
    assert response.status_code == 422
    assert "2. 護照：檔案大小為 512K，超過上限，檔案請小於 512K" in response.json()["message"]


def test_an_exchange_student_owes_the_schools_letter(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40), programme="交換生")
    log_in(client)
    start(client, programme="交換生")
    response = submit(client, tmp_path)
    assert response.status_code == 422
    assert "交換生應上傳學校核發之證明文件" in response.text


def test_the_photo_crop_finds_the_face_and_downloads_a_passport_photo(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    photo = make_face_photo(tmp_path / "selfie.jpg")
    answer = client.post(
        f"{EXTENSION}/photo-crop", files={"file": ("selfie.jpg", photo.read_bytes())}
    ).json()
    assert answer["face_found"] is True
    download = client.get(answer["download_url"])
    assert download.status_code == 200
    assert 'attachment; filename="selfie_cropped.jpg"' in download.headers["content-disposition"]
    with Image.open(io.BytesIO(download.content)) as image:
        assert (image.format, image.size) == ("JPEG", (413, 531))
    assert client.get(answer["original_url"]).headers["content-type"] == "image/jpeg"


def test_a_photo_without_a_face_is_centre_cropped_with_a_notice(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    landscape = make_faceless_photo(tmp_path / "hills.jpg")
    answer = client.post(
        f"{EXTENSION}/photo-crop", files={"file": ("hills.jpg", landscape.read_bytes())}
    ).json()
    assert answer["face_found"] is False
    assert "未偵測到臉部，已改以圖片中央裁切" in answer["notice"]


def test_another_browser_cannot_fetch_the_crop(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    photo = make_face_photo(tmp_path / "selfie.jpg")
    answer = client.post(
        f"{EXTENSION}/photo-crop", files={"file": ("selfie.jpg", photo.read_bytes())}
    ).json()
    client.cookies.clear()
    assert client.get(answer["download_url"], follow_redirects=False).status_code == 303


def test_submit_mails_the_receipt_number_then_approval_payment_and_card(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    response = submit(client, tmp_path)
    assert response.status_code == 303, response.text
    number = response.headers["location"].split("receipt=")[1]
    assert re.fullmatch(r"11361\d{7}", number)
    home = client.get(response.headers["location"]).text
    assert f'data-alert-on-load="送件成功, 收件號: {number}"' in home
    accepted = mails(client)[-1]
    assert accepted["subject"] == "[外國與外僑學生線上申辦系統] - 送件受理通知"
    assert f"收件號：{number}" in accepted["text"]

    client.post(f"/__mock__/cases/{number}/review", json={"action": "approve"})
    notice = mails(client)[-1]
    assert notice["subject"] == "[外國與外僑學生線上申辦系統] - 送件線上繳費通知"
    assert "繳費期限為核准日起五日內（至 2024/08/04 止）" in notice["text"]
    case = next(c for c in client.get("/__mock__/cases").json()["cases"] if c["number"] == number)
    assert (case["status"], case["fee"]) == ("待繳費", 500)


def test_payment_after_the_fifth_day_is_refused(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    number = submit(client, tmp_path).headers["location"].split("receipt=")[1]
    client.post(f"/__mock__/cases/{number}/review", json={"action": "approve"})
    # 00:30 on 2024/08/05 in Taipei: the fifth day after approval (07/30) is over.
    client.post("/__mock__/clock", json={"set": "2024-08-04T16:30:00+00:00", "frozen": True})
    sign_in(client)
    response = client.post("/coa-frontend/foreign-student/payment", data={"cases": [number]})
    assert response.status_code == 409
    assert "繳費期限為 2024/08/04（核准日起五日內），已逾期" in response.text


def test_payment_on_the_fifth_day_is_taken_and_the_receipt_says_nt_500(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    number = submit(client, tmp_path).headers["location"].split("receipt=")[1]
    client.post(f"/__mock__/cases/{number}/review", json={"action": "approve"})
    # 23:00 on 2024/08/04 in Taipei: still the fifth day after approval.
    client.post("/__mock__/clock", json={"set": "2024-08-04T15:00:00+00:00", "frozen": True})
    sign_in(client)
    payment = "/coa-frontend/foreign-student/payment"
    assert client.post(payment, data={"cases": [number]}, follow_redirects=False).status_code == 303
    assert client.post(f"{payment}/detail", follow_redirects=False).status_code == 303
    started = client.post(
        f"{payment}/methods", data={"method": "intl-card"}, follow_redirects=False
    )
    assert started.status_code == 303, started.text
    gateway = started.headers["location"]
    paid = client.post(
        f"{gateway}/pay",
        data={"card_number": "4111111111111111", "expiry": "12/29", "cvc": "123"},
        follow_redirects=True,
    )
    assert paid.status_code == 200, paid.text[-3000:]
    client.post(f"/__mock__/cases/{number}/review", json={"action": "card_ready"})
    ready = mails(client)[-1]
    assert ready["subject"] == "[外國與外僑學生線上申辦系統] - 審核通過已繳費製證完成通知"
    assert "至高雄市第一服務站(三多路)臨櫃領取IC卡居留證" in ready["text"]
    assert "KAOHSIUNG CITY 1st SERVICE CENTER" in ready["text"]
    pdf = client.get(f"/coa-frontend/foreign-student/downloads/receipts/{number}")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert number in text
    assert "NT$500" in text


def test_the_officer_sees_a_student_case_with_its_labelled_files(client, tmp_path):
    report_student(client, permit_expiry=TODAY + timedelta(days=40))
    log_in(client)
    start(client)
    number = submit(client, tmp_path).headers["location"].split("receipt=")[1]
    client.cookies.clear()
    client.post(
        "/__mock__/accounts",
        json={"system": "officer", "username": "lin", "password": "Review1234"},
    )
    assert officer_login(client, username="lin", password="Review1234").status_code == 303
    listed = client.get("/officer/cases", params={"system": "student"}).text
    assert number in listed and "外(僑)生就學(延期)" in listed
    page = client.get(f"/officer/cases/{number}").text
    for label in ("照片上傳", "1. 居留證", "2. 護照", "4. 在學或註冊證明"):
        assert label in page
