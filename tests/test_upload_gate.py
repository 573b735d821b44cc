"""The upload gate over HTTP: files made to hurt are refused with a message naming the
field (422, never a 500) and nothing is kept; the photo crop runs off the event loop;
staged files of a login that ended are swept away.

Every hostile file is made here, from Pillow, pypdf and raw bytes. The multipart body is
written by hand so a file name reaches the server exactly as given (httpx would escape a
NUL in it).
"""

from __future__ import annotations

import io
import re
import secrets
import struct
import threading
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from sqlalchemy import select

from fixtures import sample_files
from harness.server import LiveMock
from mock_platform import csrf
from mock_platform.deps import SESSION_COOKIE
from mock_platform.models import Case, Upload
from mock_platform.rules import uploads as upload_rules
from mock_platform.services import uploads
from tests.mock_client import LOGIN_PAGE, BrowserClient, captcha_answer, login, make_client

APPLY = "/coa-frontend/other-reason/apply"
STUDENT_LOGIN = "/coa-frontend/foreign-student/individual/login"
CROP = "/coa-frontend/foreign-student/extension/photo-crop"
CROP_FIELD = "大頭照檔案上傳"
JSON = {"Accept": "application/json"}
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
SESSION_MINUTES = 30


# --- hostile and honest files -------------------------------------------------------------


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG of a few dozen bytes whose header claims ``width``×``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b""))
        + _png_chunk(b"IEND", b"")
    )


def image_bytes(kind: str, size: tuple[int, int], mode: str = "RGB", **options: object) -> bytes:
    colour = 128 if mode in ("1", "L") else (200, 120, 40)
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, kind, **options)
    return buffer.getvalue()


def scan_jpeg() -> bytes:
    """A scanned A4 page at 300 dpi (2480×3508): the largest ordinary upload must pass."""
    page = Image.new("L", (2480, 3508), 250)
    draw = ImageDraw.Draw(page)
    for row in range(40):
        draw.text((200, 200 + row * 80), f"Line {row}: scanned document text", fill=20)
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=80, dpi=(300, 300))
    return buffer.getvalue()


def photo_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), (180, 190, 200)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def pdf_bytes(change: Callable[[PdfWriter], None] | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if change is not None:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _javascript_open_action(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _page_additional_action(writer: PdfWriter) -> None:
    # A harmless action behind /AA still runs unasked, when the page opens.
    opened = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("http://x")}
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): opened})


def _embedded_file(writer: PdfWriter) -> None:
    writer.add_attachment("payload.txt", b"an attachment the officer would open")


def _link(uri: str) -> Callable[[PdfWriter], None]:
    def add(writer: PdfWriter) -> None:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(uri)}
        )
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (0, 0, 200, 200)]),
                NameObject("/A"): action,
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])

    return add


def _page_count_of_a_billion(writer: PdfWriter) -> None:
    writer.root_object["/Pages"][NameObject("/Count")] = NumberObject(1_000_000_000)


def _open_at_first_page(writer: PdfWriter) -> None:
    writer.open_destination = writer.pages[0]


def _jpeg() -> bytes:
    return image_bytes("JPEG", (800, 600), quality=85)


# (name, file name, bytes, what the message must say)
HOSTILE: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("decompression bomb header", "bomb.png", png_bomb, "圖片尺寸過大"),
    ("50 MP header", "wide.png", lambda: png_bomb(50_000, 1_000), "寬 50,000、高 1,000 像素"),
    (
        "12000x12000 PNG",
        "huge.png",
        lambda: image_bytes("PNG", (12_000, 12_000), "1", optimize=True),
        "圖片尺寸過大",
    ),
    ("truncated JPEG", "cut.jpg", lambda: scan_jpeg()[:60_000], "已損毀或不完整"),
    (
        "JPEG + HTML",
        "page.jpg",
        lambda: _jpeg() + b"<html><script>alert(1)</script></html>",
        "JPEG 圖檔結束之後還夾帶了 38 位元組",
    ),
    (
        "JPEG + HTML + a forged EOI",
        "page.jpg",
        lambda: _jpeg() + b"<html></html>\xff\xd9",
        "JPEG 圖檔結束之後還夾帶了 15 位元組",
    ),
    (
        "PNG + trailing data",
        "card.png",
        lambda: image_bytes("PNG", (300, 200)) + b"PK\x03\x04 a zip file",
        "PNG 圖檔結束之後還夾帶了",
    ),
    (
        "BMP + trailing data",
        "scan.bmp",
        lambda: image_bytes("BMP", (40, 30)) + b"<?php ?>",
        "BMP 圖檔結束之後還夾帶了 8 位元組",
    ),
    (
        "PDF with /OpenAction JavaScript",
        "doc.pdf",
        lambda: pdf_bytes(_javascript_open_action),
        "含有開啟時自動執行的動作（/OpenAction）",
    ),
    (
        "PDF with /AA",
        "doc.pdf",
        lambda: pdf_bytes(_page_additional_action),
        "含有自動執行的動作（/AA）",
    ),
    ("PDF with an embedded file", "doc.pdf", lambda: pdf_bytes(_embedded_file), "含有內嵌檔案"),
    (
        "PDF with a javascript: link",
        "doc.pdf",
        lambda: pdf_bytes(_link("java\tscript:alert(document.cookie)")),
        "連結（javascript:）",
    ),
    (
        "PDF claiming a billion pages",
        "doc.pdf",
        lambda: pdf_bytes(_page_count_of_a_billion),
        "已損毀或不完整",
    ),
    (
        "PDF + bytes after %%EOF",
        "doc.pdf",
        lambda: pdf_bytes() + b"<script>alert(1)</script>\n",
        "PDF 結尾（%%EOF）之後還夾帶了",
    ),
    ("name with NUL", "pass\x00port.png", lambda: image_bytes("PNG", (40, 30)), "控制字元"),
    (
        "name with RTL override",
        "x\u202egnp.exe.png",
        lambda: image_bytes("PNG", (40, 30)),
        "控制字元",
    ),
    ("name of 300 characters", "a" * 300 + ".png", lambda: image_bytes("PNG", (40, 30)), "太長"),
    ("name with path parts", "../../x.png", lambda: image_bytes("PNG", (40, 30)), "不可包含路徑"),
    ("Windows path", "..\\..\\x.png", lambda: image_bytes("PNG", (40, 30)), "不可包含路徑"),
    (
        "markup in the name",
        "<img src=x onerror=alert(1)>.png",
        lambda: image_bytes("PNG", (40, 30)),
        "等符號",
    ),
]


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    with make_client(tmp_path, session_minutes=SESSION_MINUTES) as test_client:
        test_client.app.state.clock.set(START)
        login(test_client)
        yield test_client


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body with ``fields`` and one file, the file name sent byte for byte."""
    boundary = f"gate-{secrets.token_hex(12)}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = b"".join(parts) + head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post_file(client: TestClient, url: str, filename: str, data: bytes, **fields: str):
    body, content_type = multipart(fields, filename, data)
    return client.post(url, content=body, headers={**JSON, "Content-Type": content_type})


def stage(client: TestClient, field: str, filename: str, data: bytes):
    return post_file(client, f"{APPLY}/uploads", filename, data, field=field)


def stage_token(client: TestClient, filename: str = "photo.jpg") -> str:
    response = stage(client, "photo", filename, photo_jpeg())
    assert response.status_code == 200, response.text
    return response.json()["token"]


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def upload_rows(client: TestClient) -> list[Upload]:
    with client.app.state.sessions() as db:
        return list(db.scalars(select(Upload)).all())


def assert_refused(response, label: str, says: str) -> None:
    assert response.status_code == 422, (response.status_code, response.text)
    message = response.json()["message"]
    assert message.startswith(f"{label}："), message
    assert says in message, message


# --- the shared upload endpoint -----------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "make", "says"),
    [case[1:] for case in HOSTILE],
    ids=[case[0] for case in HOSTILE],
)
def test_a_hostile_file_is_refused_naming_the_field_and_nothing_is_kept(
    client, filename, make, says
):
    upload_dir = client.app.state.settings.upload_dir
    before = files_under(upload_dir)
    response = stage(client, "passport", filename, make())
    assert_refused(response, "護照", says)
    assert files_under(upload_dir) == before
    assert upload_rows(client) == []


@pytest.mark.parametrize(
    ("filename", "make", "kind"),
    [
        ("scan.jpg", scan_jpeg, "JPEG"),
        ("passport.pdf", pdf_bytes, "PDF"),
        ("opens-at-page-1.pdf", lambda: pdf_bytes(_open_at_first_page), "PDF"),
        ("links.pdf", lambda: pdf_bytes(_link("https://www.immigration.gov.tw/")), "PDF"),
        # Hardware encoders pad a JPEG to a 4-byte boundary with NULs after its end.
        ("camera.jpg", lambda: _jpeg() + b"\x00\x00\x00", "JPEG"),
        ("card.png", lambda: image_bytes("PNG", (1011, 638)), "PNG"),
        ("scan.bmp", lambda: image_bytes("BMP", (400, 300)), "BMP"),
    ],
    ids=[
        "A4 scan at 300 dpi",
        "PDF",
        "PDF opening at page 1",
        "PDF with a web link",
        "JPEG + NUL padding",
        "PNG",
        "BMP",
    ],
)
def test_honest_files_pass_and_are_kept(client, filename, make, kind):
    data = make()
    assert len(data) < 1024 * 1024
    response = stage(client, "passport", filename, data)
    assert response.status_code == 200, response.text
    assert (response.json()["kind"], response.json()["filename"]) == (kind, filename)
    assert client.get(response.json()["preview_url"]).content == data


def test_a_real_document_pdf_passes(client, tmp_path):
    pdf = sample_files.make_document_pdf(tmp_path / "lease.pdf", title="Lease", lines=["Room 3"])
    response = stage(client, "passport", "lease.pdf", pdf.read_bytes())
    assert response.status_code == 200, response.text


def test_a_decomposed_name_is_stored_composed(client):
    decomposed = unicodedata.normalize("NFD", "café 護照.png")
    assert decomposed != "café 護照.png"
    response = stage(client, "passport", decomposed, image_bytes("PNG", (40, 30)))
    assert response.status_code == 200, response.text
    assert response.json()["filename"] == "café 護照.png"
    assert [row.filename for row in upload_rows(client)] == ["café 護照.png"]


def test_a_bomb_in_the_photo_field_names_that_field(client):
    assert_refused(stage(client, "photo", "me.png", png_bomb()), "照片上傳", "圖片尺寸過大")


def test_a_name_of_100_characters_before_the_extension_passes(client):
    name = "名" * upload_rules.MAX_STEM_CHARS + ".png"
    response = stage(client, "passport", name, image_bytes("PNG", (40, 30)))
    assert response.status_code == 200, response.text
    longer = "名" * (upload_rules.MAX_STEM_CHARS + 1) + ".png"
    assert_refused(stage(client, "passport", longer, image_bytes("PNG", (40, 30))), "護照", "太長")


def raw_multipart(parts: list[tuple[bytes, bytes]]) -> tuple[bytes, str]:
    """A multipart body of (Content-Disposition, content) parts, exactly as given."""
    boundary = f"gate-{secrets.token_hex(12)}".encode()
    body = b"".join(
        b"--" + boundary + b"\r\nContent-Disposition: " + disposition + b"\r\n\r\n" + content
        + b"\r\n"
        for disposition, content in parts
    ) + b"--" + boundary + b"--\r\n"  # fmt: skip
    return body, f"multipart/form-data; boundary={boundary.decode()}"


FIELD_PART = (b'form-data; name="field"', b"passport")
FILE_PART = (b'form-data; name="file"; filename="p.png"', b"\x89PNG")


@pytest.mark.parametrize(
    ("parts", "says"),
    [
        ([FILE_PART], "未知的上傳欄位"),
        ([(b'form-data; name="field"', b""), FILE_PART], "未知的上傳欄位"),
        ([(b'form-data; name="field"', b"<script>x</script>"), FILE_PART], "未知的上傳欄位"),
        ([FIELD_PART], "護照：檔案是空的"),
        ([FIELD_PART, (b'form-data; name="file"', b"\x89PNG as text")], "護照：檔案是空的"),
        (
            [FIELD_PART, (b"form-data; name=\"file\"; filename*=UTF-8''a%0D%0Ab.png", b"x")],
            "護照：",
        ),
    ],
    ids=["no field", "empty field", "a script as the field", "no file", "file as text", "RFC 2231"],
)
def test_a_malformed_upload_request_gets_a_message_not_a_crash(client, parts, says):
    body, content_type = raw_multipart(parts)
    response = client.post(
        f"{APPLY}/uploads", content=body, headers={**JSON, "Content-Type": content_type}
    )
    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith(says)
    assert "<script>" not in response.text
    assert upload_rows(client) == []


# --- the photo crop -----------------------------------------------------------------------


@pytest.fixture
def student(tmp_path) -> Iterator[TestClient]:
    with make_client(tmp_path) as test_client:
        created = test_client.post(
            "/__mock__/accounts",
            json={"system": "student", "username": "lan2024", "password": "study1234",
                  "email": "lan@student.example.edu.tw"},
        )  # fmt: skip
        assert created.status_code == 201, created.text
        assert test_client.get(STUDENT_LOGIN).status_code == 200
        response = test_client.post(
            STUDENT_LOGIN,
            data={
                "username": "lan2024",
                "password": "study1234",
                "captcha": captcha_answer(test_client),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        yield test_client


CROP_HOSTILE = [
    case
    for case in HOSTILE
    if case[0]
    in {
        "decompression bomb header",
        "12000x12000 PNG",
        "truncated JPEG",
        "JPEG + HTML",
        "PNG + trailing data",
        "name with NUL",
        "name with RTL override",
        "name of 300 characters",
        "name with path parts",
    }
]


@pytest.mark.parametrize(
    ("filename", "make", "says"),
    [case[1:] for case in CROP_HOSTILE],
    ids=[case[0] for case in CROP_HOSTILE],
)
def test_the_photo_crop_refuses_a_hostile_file_and_keeps_nothing(student, filename, make, says):
    upload_dir = student.app.state.settings.upload_dir
    before = files_under(upload_dir)
    response = post_file(student, CROP, filename, make())
    assert_refused(response, CROP_FIELD, says)
    assert files_under(upload_dir) == before


def test_the_photo_crop_takes_a_camera_photo(student, tmp_path):
    photo = sample_files.make_face_photo(tmp_path / "selfie.jpg", side=2048).read_bytes()
    response = post_file(student, CROP, "selfie.jpg", photo)
    assert response.status_code == 200, response.text
    assert student.get(response.json()["original_url"]).headers["content-type"] == "image/jpeg"


# --- staged files of an ended login -------------------------------------------------------


def _bind(client: TestClient, case_token: str, draft_token: str) -> None:
    """Keep one file with a case and one with a draft, as submit and 「儲存」 do."""
    case = client.post("/__mock__/cases", json={"username": "demo"})
    assert case.status_code == 201, case.text
    draft = client.post("/__mock__/drafts", json={"username": "demo", "name": "KEPT"})
    assert draft.status_code in (200, 201), draft.text
    with client.app.state.sessions() as db:
        case_id = db.scalars(select(Case.id).where(Case.number == case.json()["number"])).one()
        db.get(Upload, case_token).case_id = case_id
        db.get(Upload, draft_token).draft_id = draft.json()["id"]
        db.commit()


def _stored(client: TestClient) -> dict[str, Path]:
    return {row.id: Path(row.stored_path) for row in upload_rows(client)}


def test_an_expired_login_s_staged_file_is_swept_but_kept_files_stay(client):
    loose = stage_token(client)
    for_case, for_draft = stage_token(client), stage_token(client)
    _bind(client, for_case, for_draft)
    paths = _stored(client)
    assert all(path.exists() for path in paths.values())

    moved = client.post("/__mock__/clock", json={"advance_seconds": SESSION_MINUTES * 60 + 5})
    assert moved.status_code == 200
    with client.app.state.sessions() as db:
        swept = uploads.sweep_abandoned(db, client.app.state.clock.now(), SESSION_MINUTES)

    assert swept == 1
    assert set(_stored(client)) == {for_case, for_draft}
    assert not paths[loose].exists()
    assert paths[for_case].exists() and paths[for_draft].exists()


def test_a_live_login_s_staged_file_is_not_swept(client):
    token = stage_token(client)
    client.post("/__mock__/clock", json={"advance_seconds": SESSION_MINUTES * 60 - 60})
    with client.app.state.sessions() as db:
        assert uploads.sweep_abandoned(db, client.app.state.clock.now(), SESSION_MINUTES) == 0
    assert set(_stored(client)) == {token}


def test_staging_sweeps_what_an_expired_login_left_behind(client):
    abandoned = stage_token(client)
    path = _stored(client)[abandoned]
    client.post("/__mock__/clock", json={"advance_seconds": SESSION_MINUTES * 60 + 5})
    client.cookies.clear()
    login(client)
    fresh = stage_token(client)
    assert set(_stored(client)) == {fresh}
    assert not path.exists()


def test_staging_sweeps_what_a_logged_out_browser_left_behind(client):
    left = stage_token(client)
    path = _stored(client)[left]
    assert client.get("/coa-frontend/four-in-one/logout", follow_redirects=False).status_code == 303
    with BrowserClient(client.app) as other:
        login(other)
        fresh = stage_token(other)
    assert set(_stored(client)) == {fresh}
    assert not path.exists()


def test_staging_leaves_another_live_login_s_files_alone(client):
    mine = stage_token(client)
    with BrowserClient(client.app) as other:
        login(other)
        theirs = stage_token(other)
    assert set(_stored(client)) == {mine, theirs}


# --- the crop off the event loop, measured on a live server ---------------------------------


def _big_photo() -> bytes:
    """A ~40 MP camera-like JPEG under the crop's 5 MB: as much work as the gate allows."""
    with Image.open(sample_files.PORTRAIT) as portrait:
        photo = portrait.convert("RGB").resize((6000, 6600), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=80)
    assert buffer.tell() < 5 * 1024 * 1024
    return buffer.getvalue()


def _student_session(mock: LiveMock, browser: httpx.Client) -> str:
    """Log a new student in on the live mock; the form token for its script requests."""
    mock.create_account(
        system="student", username="lan2024", password="study1234",
        email="lan@student.example.edu.tw",
    )  # fmt: skip
    page = browser.get(STUDENT_LOGIN)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    answer = mock.captcha_answer({SESSION_COOKIE: browser.cookies[SESSION_COOKIE]})
    response = browser.post(
        STUDENT_LOGIN,
        data={
            "username": "lan2024",
            "password": "study1234",
            "captcha": answer,
            "csrftoken": token,
        },
    )
    assert response.status_code == 303, response.text
    # Login gives the browser a new session id, so a new token.
    home = browser.get(response.headers["location"])
    return re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)


# Two pages another browser keeps opening meanwhile: the home page needs only the event
# loop; the login page also a database transaction (it keeps the browser's captcha).
OTHER_PAGES = ("/coa-frontend/four-in-one/entry/main?lang=zh", LOGIN_PAGE)


def test_a_slow_crop_does_not_hold_up_other_requests(tmp_path):
    """While one browser's crop runs, another browser's pages keep coming.

    Run on the event loop, the crop would hold every request until it is done; run
    inside a database transaction, every request that needs the database. Either way no
    page of that kind could finish in the middle of the crop. Only that is asserted
    (pages of both kinds finish in the middle 65 % of the crop's time), not how fast,
    so a slow or busy machine cannot make it fail. Measured here: ~0.9 s crops, with
    ~200 pages finishing in the middle; with the crop on the loop, none.
    """
    photo = _big_photo()
    with (
        LiveMock(tmp_path) as mock,
        httpx.Client(base_url=mock.url, timeout=60) as cropper,
        httpx.Client(base_url=mock.url, timeout=60) as other,
    ):
        token = _student_session(mock, cropper)
        crop: dict[str, float] = {}

        def run_crop() -> None:
            crop["start"] = time.perf_counter()
            response = cropper.post(
                CROP,
                files={"file": ("big.jpg", photo, "image/jpeg")},
                headers={csrf.TOKEN_HEADER: token},
            )
            crop["end"] = time.perf_counter()
            crop["status"] = response.status_code

        worker = threading.Thread(target=run_crop)
        worker.start()
        pages: list[tuple[str, float, int]] = []
        while worker.is_alive():
            for page in OTHER_PAGES:
                status = other.get(page, follow_redirects=False).status_code
                pages.append((page, time.perf_counter(), status))
        worker.join()
        server_log = mock.log_tail()

    assert crop["status"] == 200, server_log
    assert [status for _, _, status in pages if status != 200] == []
    took = crop["end"] - crop["start"]
    if took < 0.3:
        pytest.skip(f"the crop took {took:.2f} s: too quick here to tell a stall from none")
    for page in OTHER_PAGES:
        middle = [
            finished
            for opened, finished, _ in pages
            if opened == page and crop["start"] + 0.25 * took < finished < crop["end"] - 0.1 * took
        ]
        assert len(middle) >= 3, f"{page}: {len(middle)} finished during a {took:.2f} s crop"
