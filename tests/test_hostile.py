"""Hostile input against the whole mock: uploads, typed fields, access, forged requests,
concurrency and the officer login. No browser: the app in-process (TestClient), and for
concurrency the mock as a server (``LiveMock``) with threads released by a barrier.

Every input is one parametrized test (the concurrency inputs: the rows of one test, so
one live server serves them all) with an expectation, refused or accepted:

* refused: a message that names the field (422/400, the field's label in it), or
  403/404 where access is refused (a redirect to the login for a missing one); never a
  500; nothing stored (cases, mail, accounts, drafts, uploads, payments and files,
  compared before and after: tests/hostile/mock.py ``World.snapshot``); nothing of the
  input reflected unescaped in a page or in JSON;
* accepted: stored as given (an honest file, a name in CJK Extension B, an officer's
  comment of several lines), and shown back escaped.

A script payload in a free-text field counts as refused here: the issue's "done when"
asks a clear message naming the field for every hostile input. SQL-like text in a
free-text field is ordinary text (an apostrophe belongs in names) and is expected to be
stored verbatim with every table intact; in fields with a format it is refused.

The results table (category, inputs, refused as expected, accepted as expected) is
printed once per run on stderr when the last hostile input has ended; see
tests/hostile/report.py for why and how.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from harness.server import LiveMock
from mock_platform import csrf, limits
from mock_platform.deps import SESSION_COOKIE
from mock_platform.models import Account, Case, Draft, Upload
from mock_platform.services.passwords import hash_password
from tests.hostile import files, report
from tests.hostile.checks import (
    ACCEPTED,
    ARABIC_INDIC,
    DROP,
    FULL_WIDTH,
    FULL_WIDTH_LETTERS,
    IMG,
    REFUSED,
    SCRIPT,
    SQL,
    SUPERSCRIPT,
    SVG_MAIL,
    XSS,
    reflected,
    refusal,
    server_error,
)
from tests.hostile.concurrency import CONCURRENT, Live
from tests.hostile.mock import (
    APPLY,
    BIRTH,
    CHANGE,
    CROP,
    EXTENSION,
    FORGOT,
    GOLD_FORM,
    GOOD_CARD,
    JSON,
    LOGIN,
    OFFICER,
    OFFICER_LOGIN,
    OTHER,
    PASSWORD,
    REGISTER,
    RESEND,
    START,
    STUDENT_LOGIN,
    STUDENT_UINO,
    SUPPLEMENTS,
    Opened,
    World,
    brief,
    captcha_of,
    changes,
    login_four,
    login_officer,
    messages,
    open_change_query,
    open_data_change,
    open_data_change_with_proof,
    open_eligibility,
    open_employer_login,
    open_forgot,
    open_gateway,
    open_gold_card,
    open_login,
    open_officer,
    open_officer_login,
    open_other_reason,
    open_other_reason_query,
    open_payment_methods,
    open_questions,
    open_registration,
    open_resend,
    open_student,
    open_student_login,
    open_student_start,
    open_supplement,
    returned_case,
    stage,
)
from tests.hostile.officer import OFFICER_LOGINS

# Which category each test function's inputs belong to (the table's rows).
CATEGORY_OF: dict[str, str] = {
    "test_upload": "uploads",
    "test_too_many_files": "uploads",
    "test_staged_token_misuse": "uploads",
    "test_field": "fields",
    "test_anonymous": "access control",
    "test_other_account": "access control",
    "test_wrong_side": "access control",
    "test_malformed_id": "access control",
    "test_without_control_api": "access control",
    "test_forged": "CSRF",
    "test_concurrent": "concurrency",
    "test_officer_login": "officer login",
}

# Tests whose inputs are the rows of one table (one server for all of them): each row is
# counted, not the test.
TABLE_DRIVEN = {"test_concurrent"}


# ============================================================================ the harness


def _is_hostile(item: pytest.Item) -> bool:
    return item.path == Path(__file__) and getattr(item, "originalname", "") in CATEGORY_OF


@pytest.fixture(scope="session", autouse=True)
def hostile_results(request, tmp_path_factory):
    """The run's shared results folder; the table is printed when the run's session ends."""
    folder = report.run_folder(tmp_path_factory, request.config)
    yield folder
    expected = {item.nodeid for item in request.session.items if _is_hostile(item)}
    report.print_when_complete(folder, request.config, expected)


@pytest.fixture(autouse=True)
def _input_ended(request, hostile_results):
    yield
    name = getattr(request.node, "originalname", "")
    if name in CATEGORY_OF:
        report.mark_done(
            hostile_results,
            request.node.nodeid,
            CATEGORY_OF[name],
            counted=name not in TABLE_DRIVEN,
        )


@pytest.fixture
def judge(request, hostile_results) -> Callable[[str, list[str], str], None]:
    """Record an input's outcome for the table, then fail naming it if it was wrong."""

    def verdict(expected: str, problems: list[str], did: str) -> None:
        category = CATEGORY_OF[request.node.originalname]
        callspec = getattr(request.node, "callspec", None)
        name = report.readable(callspec.id if callspec else request.node.name)
        wrong = "; ".join(problems)
        report.record(
            hostile_results,
            report.Outcome(
                request.node.nodeid, category, expected, not problems,
                brief(f"{did} — {wrong}" if problems else did, 400),
            ),
        )  # fmt: skip
        assert not problems, (
            f"[{category}] {name}: expected {expected}; the mock answered {did}; wrong: {wrong}"
        )

    return verdict


# ============================================================================ the worlds


# One app per category (and xdist worker): each stays small, so reading what it stores
# before and after every input stays cheap.
@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    """The app of the fields, and of the forms' upload limits."""
    return World(tmp_path_factory.mktemp("hostile-fields"))


@pytest.fixture(scope="module")
def upload_world(tmp_path_factory) -> World:
    return World(tmp_path_factory.mktemp("hostile-uploads"))


@pytest.fixture(scope="module")
def access_world(tmp_path_factory) -> World:
    return World(tmp_path_factory.mktemp("hostile-access"))


@pytest.fixture(scope="module")
def csrf_world(tmp_path_factory) -> World:
    return World(tmp_path_factory.mktemp("hostile-csrf"))


@pytest.fixture(scope="module")
def officer_world(tmp_path_factory) -> World:
    return World(tmp_path_factory.mktemp("hostile-officer"))


@pytest.fixture(scope="module")
def bare_world(tmp_path_factory) -> World:
    """The mock as deployed: no control API, no mailbox."""
    return World(tmp_path_factory.mktemp("hostile-bare"), control_api=False)


@dataclass
class Objects:
    """Things of the attacker (alice, lan2024) and of the victims (bob, mai2024)."""

    values: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.values[key]


def _start_payment(browser: Any, number: str, method: str) -> str:
    root = "/coa-frontend/gold-card/payment"
    assert browser.post(root, data={"cases": [number]}).status_code == 303
    assert browser.post(f"{root}/detail").status_code == 303
    response = browser.post(f"{root}/methods", data={"method": method})
    assert response.status_code == 303, response.text[:300]
    return response.headers["location"].rstrip("/").rsplit("/", 1)[1]


def _crop_token(browser: Any) -> str:
    response = browser.post(CROP, files={"file": ("me.jpg", files.photo())}, headers=JSON)
    assert response.status_code == 200, response.text[:300]
    return response.json()["original_url"].split("/")[-2]


@pytest.fixture(scope="module")
def objects(access_world) -> Objects:
    """Cases, drafts, payments, uploads and crops of both sides, made once per module."""
    world = access_world
    found: dict[str, str] = {}
    for side, four, other, student, username, student_name in (
        ("own", "gold-card", "other-reason", "student", "alice", "lan2024"),
        ("victim", "victim", "victim-other-reason", "student-victim", "bob", "mai2024"),
    ):
        browser = world.session(four)
        found[f"{side}_case"] = world.new_case(username, fee=5300)
        found[f"{side}_submitted"] = world.new_case(username, status="已送件")
        found[f"{side}_other_reason_case"] = world.new_case(
            username, system="other_reason", kind="other_reason_permit",
            title="其他事由居留證申請", status="已送件", fee=1000,
        )  # fmt: skip
        found[f"{side}_change_case"] = world.new_case(
            username, system="gold_card_change", kind="gold_card_change",
            title="就業金卡資料異動申請", status="已送件", fee=0,
        )  # fmt: skip
        found[f"{side}_student_case"] = world.new_case(
            student_name, system="student", kind="student_extension", title="外(僑)生就學(延期)",
            status="已送件", fee=500,
        )  # fmt: skip
        found[f"{side}_draft"] = str(world.new_draft(username))
        found[f"{side}_returned"] = returned_case(world, username)
        store_case = world.new_case(username, fee=5300)
        found[f"{side}_store_token"] = _start_payment(browser, store_case, "convenience-store")
        card_case = world.new_case(username, fee=5300)
        found[f"{side}_card_token"] = _start_payment(browser, card_case, "intl-card")
        paid = browser.post(
            f"/mock-gateway/intl-card/{found[f'{side}_card_token']}/pay", data=dict(GOOD_CARD)
        )
        assert paid.status_code == 303, paid.text[:300]
        found[f"{side}_paid_case"] = card_case
        found[f"{side}_upload"] = stage(
            world.session(other), f"{OTHER}/uploads", "passport", "p.png", files.png()
        )
        found[f"{side}_gold_upload"] = stage(
            browser, f"{APPLY}/uploads", "passport", "p.png", files.png()
        )
        found[f"{side}_change_upload"] = stage(
            browser, f"{CHANGE}/uploads", "new_passport", "p.png", files.png()
        )
        found[f"{side}_supplement_upload"] = stage(
            browser, f"{SUPPLEMENTS}/uploads", "passport", "p.png", files.png()
        )
        found[f"{side}_student_upload"] = stage(
            world.session(student), f"{EXTENSION}/uploads", "passport", "p.png", files.png()
        )
        found[f"{side}_crop"] = _crop_token(world.session(student))
        # A file of a filed case, as the officer console shows it.
        case_file = stage(
            world.session(other), f"{OTHER}/uploads", "passport", "c.png", files.png()
        )
        with world.app.state.sessions() as db:
            number = found[f"{side}_other_reason_case"]
            db.get(Upload, case_file).case_id = db.scalars(
                select(Case.id).where(Case.number == number)
            ).one()
            db.commit()
        found[f"{side}_case_file"] = case_file
    return Objects(found)


# ============================================================================ 1. uploads


@dataclass(frozen=True)
class Endpoint:
    session: str
    url: str
    labels: dict[str, str]


ENDPOINTS: dict[str, Endpoint] = {
    "other-reason": Endpoint("other-reason", f"{OTHER}/uploads",
                             {"passport": "護照", "photo": "照片上傳"}),
    "gold-card": Endpoint("gold-card", f"{APPLY}/uploads", {"passport": "護照", "photo": "照片"}),
    "data-change": Endpoint("gold-card", f"{CHANGE}/uploads",
                            {"new_passport": "新護照", "photo": "照片"}),
    "supplement": Endpoint("gold-card", f"{SUPPLEMENTS}/uploads", {"passport": "護照"}),
    "student": Endpoint("student", f"{EXTENSION}/uploads",
                        {"passport": "2. 護照", "photo": "照片上傳"}),
    "crop": Endpoint("student", CROP, {"": "大頭照檔案上傳"}),
}  # fmt: skip


@dataclass(frozen=True)
class UploadCase:
    id: str
    make: Callable[[], bytes]
    filename: str = "document.png"
    endpoint: str = "other-reason"
    field: str = "passport"
    expect: str = REFUSED
    says: tuple[str, ...] = ()
    statuses: tuple[int, ...] = (422,)
    labels: tuple[str, ...] | None = None  # None: the slot's own label, then "："
    kind: str = ""  # accepted: the kind the mock must report
    disposition: bytes | None = None  # a hand-written Content-Disposition for the file part
    send_field: bool = True
    send_file: bool = True
    stored_suffix: str = ""  # accepted: the stored file's extension
    name: str = ""  # accepted: the file name the mock must keep and show


def U(
    id: str, make: Callable[[], bytes], filename: str = "document.png", **more: Any
) -> UploadCase:  # noqa: A002, N802
    return UploadCase(id, make, filename, **more)


_FIELD_CHECK = "檔案格式須為"
_CONTENT = "內容"
_DAMAGED = "已損毀或不完整|內容不是有效的"
_TRAILING = "之後還夾帶了"
_TOO_BIG = "圖片尺寸過大"
_ACTIVE = "基於安全考量無法受理"
_NAME_CONTROL = "控制字元"
_NAME_PATH = "不可包含路徑"
_NAME_LONG = "太長"
_SIZE = "超過上限"
_UNKNOWN_FIELD = ("上傳欄位",)

UPLOADS: list[UploadCase] = [
    # -- pixel bombs: the header's size is read before anything is decoded
    U("PNG header claiming 100000x100000 px", lambda: files.png_header_only(100_000, 100_000), says=(_TOO_BIG,)),
    U("PNG header claiming 50000x1000 px (50 MP)", lambda: files.png_header_only(50_000, 1_000), says=(_TOO_BIG,)),
    U("PNG header one row over 40 MP (6325x6325)", lambda: files.png_header_only(6_325, 6_325), says=(_TOO_BIG,)),
    U("PNG 10001x1 px (a side over 10000)", lambda: files.png_header_only(10_001, 1), says=(_TOO_BIG,)),
    U("JPEG frame header claiming 65500x65500", lambda: files.jpeg_claiming(65_500, 65_500), "scan.jpg", says=(_TOO_BIG,)),
    U("BMP header claiming 50000x50000", lambda: files.bmp_claiming(50_000, 50_000), "scan.bmp", says=(_TOO_BIG,)),
    U("BMP header claiming a width of -2^31", lambda: files.bmp_claiming(-(2**31), 1), "scan.bmp"),
    U("real 12000x12000 1-bit PNG of a few KB", lambda: files.big_blank_png(12_000), says=(_TOO_BIG,)),
    U("PNG with a zTXt chunk inflating to 64 MB", files.png_ztxt_bomb),
    # -- damaged
    U("truncated JPEG", lambda: files.noise_jpeg(200)[:60_000], "photo.jpg", says=(_DAMAGED,)),
    U("PNG cut in the middle of its pixel data", lambda: files.noise_png()[: len(files.noise_png()) // 2], says=(_DAMAGED,)),
    U("PNG with a broken IHDR checksum", files.png_bad_crc),
    U("PNG header of 600x600 px and no pixel data", lambda: files.png_header_only(600, 600), says=(_DAMAGED,)),
    # -- something smuggled after the end of the image or the document
    U("JPEG + an HTML page after its end", lambda: files.jpeg() + files.HTML, "photo.jpg", says=(_TRAILING,)),
    U("JPEG + a ZIP archive after its end (polyglot)", lambda: files.jpeg() + files.ZIP, "photo.jpg", says=(_TRAILING,)),
    U("JPEG + 17 NUL bytes (more than camera padding)", lambda: files.jpeg() + b"\x00" * 17, "photo.jpg", says=(_TRAILING,)),
    U("PNG + JavaScript after IEND", lambda: files.png() + b"<script>alert(1)</script>", says=(_TRAILING,)),
    U("PNG + a ZIP archive after IEND", lambda: files.png() + files.ZIP, says=(_TRAILING,)),
    U("BMP + PHP after the pixels", lambda: files.bmp() + b"<?php system($_GET['c']); ?>", "scan.bmp", says=(_TRAILING,)),
    U("PDF + an HTML page after %%EOF", lambda: files.plain_pdf() + files.HTML, "doc.pdf", says=(_TRAILING,)),
    U("PDF + a JPEG after %%EOF", lambda: files.plain_pdf() + files.jpeg(), "doc.pdf", says=(_TRAILING,)),
    U("PDF + 40 spaces after %%EOF", lambda: files.plain_pdf() + b" " * 40, "doc.pdf", says=(_TRAILING,)),
    # -- not what the name says
    U("GIF named .png", files.gif, says=(_CONTENT,)),
    U("GIF/JavaScript polyglot named .jpg", files.gif_js_polyglot, "photo.jpg", says=(_CONTENT,)),
    U("WebP named .jpg", files.webp, "photo.jpg", says=(_CONTENT,)),
    U("TIFF named .png", files.tiff, says=(_CONTENT,)),
    U("ICO named .bmp", files.ico, "icon.bmp", says=(_CONTENT,)),
    U("SVG with a script, as .svg", lambda: files.SVG, "image.svg", says=(_FIELD_CHECK,)),
    U("SVG with a script, named .png", lambda: files.SVG, says=(_CONTENT,)),
    U("HTML page named .png", lambda: files.HTML, says=(_CONTENT,)),
    U("HTML page named .pdf", lambda: files.HTML, "doc.pdf", says=(_CONTENT,)),
    U("HTML behind a %PDF- header, named .pdf", files.html_pdf_polyglot, "doc.pdf", says=(_CONTENT,)),
    U("plain text named .jpg", lambda: files.TEXT, "photo.jpg", says=(_CONTENT,)),
    U("Windows executable named .pdf", lambda: files.EXE, "doc.pdf", says=(_CONTENT,)),
    U("ZIP archive named .pdf", lambda: files.ZIP, "doc.pdf", says=(_CONTENT,)),
    U("PNG named .jpg", files.png, "photo.jpg", says=("PNG",)),
    U("JPEG named .pdf", files.jpeg, "doc.pdf", says=(_CONTENT,)),
    U("PDF named .png", files.plain_pdf, says=(_CONTENT,)),
    U("PDF in the photo field (images only)", files.plain_pdf, "photo.pdf", field="photo", says=(_FIELD_CHECK,)),
    U("BMP named .jpeg", files.bmp, "scan.jpeg", says=("BMP",)),
    # -- empty and oversize
    U("empty file", lambda: b"", says=("空的",)),
    U("1-byte file", lambda: b"\x89", says=(_CONTENT,)),
    U("real JPEG of 1,100 KB (over 1024K)", lambda: files.noise_jpeg(1_100), "photo.jpg", says=(_SIZE,)),
    U("exactly 1024 KB", lambda: b"\xff" * (1024 * 1024), "photo.jpg", says=(_SIZE,)),
    U("3 MB of zeros named .png", lambda: b"\x00" * (3 << 20), says=(_SIZE,)),
    U("a 9 MB request body", lambda: b"\x00" * (9 << 20), statuses=(413,), labels=(limits.TOO_LARGE,)),
    # -- PDFs that would run something
    U("PDF /OpenAction JavaScript", lambda: files.pdf(files.open_action_javascript), "doc.pdf", says=(_ACTIVE,)),
    U("PDF /OpenAction /Launch calc.exe", lambda: files.pdf(files.open_action_launch), "doc.pdf", says=(_ACTIVE,)),
    U("PDF page /AA (runs when the page opens)", lambda: files.pdf(files.page_additional_action), "doc.pdf", says=(_ACTIVE,)),
    U("PDF catalog /AA (runs when the document closes)", lambda: files.pdf(files.catalog_additional_action), "doc.pdf", says=(_ACTIVE,)),
    U("PDF /Names /JavaScript tree", lambda: files.pdf(files.names_javascript), "doc.pdf", says=(_ACTIVE,)),
    U("PDF with an embedded .exe", lambda: files.pdf(files.embedded_file), "doc.pdf", says=(_ACTIVE,)),
    U("PDF /FileAttachment annotation", lambda: files.pdf(files.file_attachment_annotation), "doc.pdf", says=(_ACTIVE,)),
    U("PDF link annotation with /Launch", lambda: files.pdf(files.link_launch), "doc.pdf", says=(_ACTIVE,)),
    U("PDF link to a javascript: URI", lambda: files.pdf(files.link_javascript_uri), "doc.pdf"),
    U("PDF /RichMedia annotation", lambda: files.pdf(files.rich_media), "doc.pdf", says=(_ACTIVE,)),
    U("PDF /XFA form", lambda: files.pdf(files.xfa_form), "doc.pdf", says=(_ACTIVE,)),
    U("PDF /GoToE (go to an embedded file)", lambda: files.pdf(files.goto_embedded), "doc.pdf", says=(_ACTIVE,)),
    U("PDF with an unreferenced JavaScript object", lambda: files.pdf(files.orphan_javascript), "doc.pdf", says=(_ACTIVE,)),
    U("PDF /OpenAction JavaScript spelt with # escapes", files.hex_escaped_javascript, "doc.pdf", says=(_ACTIVE,)),
    U("PDF incremental update adding JavaScript", files.incremental_javascript, "doc.pdf", says=(_ACTIVE,)),
    U("encrypted PDF (user password)", lambda: files.encrypted_pdf("secret"), "doc.pdf", says=("加密",)),
    U("encrypted PDF (empty user password)", lambda: files.encrypted_pdf(""), "doc.pdf", says=("加密",)),
    U("PDF whose page tree contains itself", files.cyclic_page_tree, "doc.pdf"),
    U("PDF with arrays nested 50,000 deep", files.deeply_nested, "doc.pdf"),
    U("PDF of 300,000 empty arrays", files.many_arrays, "doc.pdf"),
    U("PDF without %%EOF (cut short)", lambda: files.plain_pdf()[:-40], "doc.pdf"),
    U("PDF header and nothing else", lambda: b"%PDF-1.7\n", "doc.pdf"),
    # -- file names
    U("NUL in the file name", files.png, "pass\x00port.png", says=(_NAME_CONTROL,)),
    U("CR LF in the file name (raw header)", files.png, statuses=(400, 422),
      disposition=b'form-data; name="file"; filename="a\r\nContent-Type: text/html.png"',
      labels=("護照：", "送出的資料無法讀取")),
    U("LF in the file name", files.png, "a\nb.png", says=(_NAME_CONTROL,)),
    U("RFC 2231 filename* with CR LF", files.png,
      disposition=b"form-data; name=\"file\"; filename*=UTF-8''a%0D%0Ab.png", statuses=(400, 422)),
    U("RTL override in the file name (gnp.exe.png)", files.png, "x\u202egnp.exe.png", says=(_NAME_CONTROL,)),
    U("zero-width space in the file name", files.png, "pass\u200bport.png", says=(_NAME_CONTROL,)),
    U("byte-order mark in the file name", files.png, "\ufeffpassport.png", says=(_NAME_CONTROL,)),
    U("path traversal ../../etc/passwd.png", files.png, "../../etc/passwd.png", says=(_NAME_PATH,)),
    U("Windows path traversal ..\\..\\x.png", files.png, "..\\..\\x.png", says=(_NAME_PATH,)),
    U("absolute path /tmp/x.png", files.png, "/tmp/x.png", says=(_NAME_PATH,)),
    U("drive path C:\\x.png (the form parser keeps only x.png)", files.png, "C:\\x.png", expect=ACCEPTED, kind="PNG", name="x.png"),
    U("file name of 300 characters", files.png, "a" * 300 + ".png", says=(_NAME_LONG,)),
    U("file name of 101 characters before .png", files.png, "名" * 101 + ".png", says=(_NAME_LONG,)),
    U("double extension x.png.php", files.png, "x.png.php", says=(_FIELD_CHECK,)),
    U("double extension invoice.pdf.exe", files.plain_pdf, "invoice.pdf.exe", says=(_FIELD_CHECK,)),
    U("double extension x.jpg.html", files.jpeg, "x.jpg.html", says=(_FIELD_CHECK,)),
    U("no extension", files.png, "passport", says=(_FIELD_CHECK,)),
    U("only an extension (.png)", files.png, ".png", says=(_FIELD_CHECK,)),
    U("trailing dot x.png.", files.png, "x.png.", says=(_FIELD_CHECK,)),
    U("markup in the file name", files.png, f"{IMG}.png"),
    U("a script tag as the file name", files.png, f"{SCRIPT}.png"),
    # -- the request itself
    U("unknown field name passport2", files.png, field="passport2", labels=_UNKNOWN_FIELD),
    U("a script as the field name", files.png, field=SCRIPT, labels=_UNKNOWN_FIELD),
    U("field name __proto__", files.png, field="__proto__", labels=_UNKNOWN_FIELD),
    U("field name of 100,000 characters", files.png, field="f" * 100_000, labels=_UNKNOWN_FIELD),
    U("empty field name", files.png, field="", labels=_UNKNOWN_FIELD),
    U("no field part at all", files.png, send_field=False, statuses=(400, 422), labels=_UNKNOWN_FIELD),
    U("no file part at all", files.png, send_file=False, statuses=(400, 422), labels=("護照：",)),
    U("the file sent as a text field (no filename)", files.png, statuses=(400, 422),
      disposition=b'form-data; name="file"', labels=("護照：",)),
    # -- honest files, to show the gate is not a wall
    U("real PNG named shell.php.png (kept as .png)", files.png, "shell.php.png", expect=ACCEPTED, kind="PNG", stored_suffix=".png"),
    U("upper-case extension PASSPORT.PNG", files.png, "PASSPORT.PNG", expect=ACCEPTED, kind="PNG", stored_suffix=".png"),
    U("decomposed (NFD) name cafe\u0301 護照.png", files.png, "cafe\u0301 護照.png", expect=ACCEPTED, kind="PNG"),
    U("JPEG + 16 NUL bytes of camera padding", lambda: files.jpeg() + b"\x00" * 16, "photo.jpg", expect=ACCEPTED, kind="JPEG"),
    U("36 MP blank page as a 1-bit PNG", lambda: files.big_blank_png(6_000), "scan.png", expect=ACCEPTED, kind="PNG"),
    U("PDF with an https link", lambda: files.pdf(files.link_https), "doc.pdf", expect=ACCEPTED, kind="PDF"),
    U("JPEG with HTML in a comment segment (served as an image)",
      lambda: files.jpeg_with_comment(b"<html><script>alert(1)</script></html>"), "photo.jpg",
      expect=ACCEPTED, kind="JPEG"),
    U("real JPEG of about 1,000 KB (just under 1024K)", lambda: files.jpeg_between(990, 1_020), "scan.jpg", expect=ACCEPTED, kind="JPEG"),
    U("emoji in the file name", files.plain_pdf, "📄 護照.pdf", expect=ACCEPTED, kind="PDF"),
    # -- the other forms' upload endpoints
    U("Gold Card: PNG bomb header", lambda: files.png_header_only(100_000, 100_000), endpoint="gold-card", says=(_TOO_BIG,)),
    U("Gold Card: JPEG + HTML", lambda: files.jpeg() + files.HTML, "p.jpg", endpoint="gold-card", says=(_TRAILING,)),
    U("Gold Card: PDF /OpenAction JavaScript", lambda: files.pdf(files.open_action_javascript), "p.pdf", endpoint="gold-card", says=(_ACTIVE,)),
    U("Gold Card: NUL in the name", files.png, "a\x00.png", endpoint="gold-card", says=(_NAME_CONTROL,)),
    U("Gold Card: PDF as the photo", files.plain_pdf, "photo.pdf", endpoint="gold-card", field="photo", says=(_FIELD_CHECK,)),
    U("Gold Card: encrypted PDF", lambda: files.encrypted_pdf("x"), "p.pdf", endpoint="gold-card", says=("加密",)),
    U("Gold Card: unknown field", files.png, endpoint="gold-card", field="visa2", labels=_UNKNOWN_FIELD),
    U("Gold Card: honest PNG", files.png, endpoint="gold-card", expect=ACCEPTED, kind="PNG"),
    U("data change: PNG bomb header", lambda: files.png_header_only(100_000, 100_000), endpoint="data-change", field="new_passport", says=(_TOO_BIG,)),
    U("data change: truncated JPEG", lambda: files.noise_jpeg(200)[:50_000], "p.jpg", endpoint="data-change", field="new_passport", says=(_DAMAGED,)),
    U("data change: PDF /Launch", lambda: files.pdf(files.open_action_launch), "p.pdf", endpoint="data-change", field="new_passport", says=(_ACTIVE,)),
    U("data change: RTL override in the name", files.png, "x\u202egnp.png", endpoint="data-change", field="new_passport", says=(_NAME_CONTROL,)),
    U("data change: path traversal", files.png, "../x.png", endpoint="data-change", field="new_passport", says=(_NAME_PATH,)),
    U("data change: PDF with an embedded file", lambda: files.pdf(files.embedded_file), "p.pdf", endpoint="data-change", field="new_passport", says=(_ACTIVE,)),
    U("data change: unknown field", files.png, endpoint="data-change", field="passport", labels=_UNKNOWN_FIELD),
    U("data change: honest PDF", files.plain_pdf, "p.pdf", endpoint="data-change", field="new_passport", expect=ACCEPTED, kind="PDF"),
    U("supplement: PNG bomb header", lambda: files.png_header_only(100_000, 100_000), endpoint="supplement", says=(_TOO_BIG,)),
    U("supplement: PNG + ZIP", lambda: files.png() + files.ZIP, endpoint="supplement", says=(_TRAILING,)),
    U("supplement: PDF page /AA", lambda: files.pdf(files.page_additional_action), "p.pdf", endpoint="supplement", says=(_ACTIVE,)),
    U("supplement: name of 300 characters", files.png, "b" * 300 + ".png", endpoint="supplement", says=(_NAME_LONG,)),
    U("supplement: SVG named .png", lambda: files.SVG, endpoint="supplement", says=(_CONTENT,)),
    U("supplement: encrypted PDF", lambda: files.encrypted_pdf("x"), "p.pdf", endpoint="supplement", says=("加密",)),
    U("supplement: unknown field", files.png, endpoint="supplement", field="reply", labels=_UNKNOWN_FIELD),
    U("supplement: honest JPEG", files.jpeg, "p.jpg", endpoint="supplement", expect=ACCEPTED, kind="JPEG"),
    U("student: real JPEG of 600 KB (over 512K)", lambda: files.noise_jpeg(600), "p.jpg", endpoint="student", says=(_SIZE, "512K")),
    U("student: PNG bomb header", lambda: files.png_header_only(100_000, 100_000), endpoint="student", says=(_TOO_BIG,)),
    U("student: PDF + HTML after %%EOF", lambda: files.plain_pdf() + files.HTML, "p.pdf", endpoint="student", says=(_TRAILING,)),
    U("student: NUL in the name", files.png, "x\x00.png", endpoint="student", says=(_NAME_CONTROL,)),
    U("student: HTML named .png", lambda: files.HTML, endpoint="student", says=(_CONTENT,)),
    U("student: PDF /XFA", lambda: files.pdf(files.xfa_form), "p.pdf", endpoint="student", says=(_ACTIVE,)),
    U("student: unknown field", files.png, endpoint="student", field="grade", labels=_UNKNOWN_FIELD),
    U("student: honest JPEG under 512K", files.photo, "p.jpg", endpoint="student", expect=ACCEPTED, kind="JPEG"),
    U("photo crop: PNG bomb header", lambda: files.png_header_only(100_000, 100_000), endpoint="crop", field="", says=(_TOO_BIG,)),
    U("photo crop: real 12000x12000 1-bit PNG", lambda: files.big_blank_png(12_000), endpoint="crop", field="", says=(_TOO_BIG,)),
    U("photo crop: truncated JPEG", lambda: files.noise_jpeg(200)[:60_000], "me.jpg", endpoint="crop", field="", says=(_DAMAGED,)),
    U("photo crop: JPEG + HTML", lambda: files.photo() + files.HTML, "me.jpg", endpoint="crop", field="", says=(_TRAILING,)),
    U("photo crop: PNG + ZIP", lambda: files.noise_png() + files.ZIP, endpoint="crop", field="", says=(_TRAILING,)),
    U("photo crop: NUL in the name", files.photo, "me\x00.jpg", endpoint="crop", field="", says=(_NAME_CONTROL,)),
    U("photo crop: RTL override in the name", files.photo, "me\u202egpj.exe.jpg", endpoint="crop", field="", says=(_NAME_CONTROL,)),
    U("photo crop: path traversal", files.photo, "../../me.jpg", endpoint="crop", field="", says=(_NAME_PATH,)),
    U("photo crop: name of 300 characters", files.photo, "m" * 300 + ".jpg", endpoint="crop", field="", says=(_NAME_LONG,)),
    U("photo crop: a PDF", files.plain_pdf, "me.pdf", endpoint="crop", field=""),
    U("photo crop: SVG", lambda: files.SVG, "me.svg", endpoint="crop", field=""),
    U("photo crop: empty file", lambda: b"", "me.jpg", endpoint="crop", field=""),
    U("photo crop: no file part", files.photo, endpoint="crop", field="", send_file=False, statuses=(400, 422)),
    U("photo crop: 100x100 px (too small)", lambda: files.image("JPEG", (100, 100)), "me.jpg", endpoint="crop", field="", says=("太小",)),
    U("photo crop: 6 MB of noise (over 5 MB)", lambda: b"\xff\xd8" + b"\x00" * (6 << 20), "me.jpg", endpoint="crop", field="", says=(_SIZE,)),
    U("photo crop: honest photo", files.photo, "me.jpg", endpoint="crop", field="", expect=ACCEPTED, kind="JPEG"),
]  # fmt: skip


def _multipart(case: UploadCase, data: bytes) -> tuple[bytes, str]:
    """The body byte for byte as given: a file name or header a client library would fix."""
    boundary = f"hostile-{secrets.token_hex(8)}"
    parts: list[bytes] = []
    if case.endpoint != "crop" and case.send_field:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\n'.encode()
            + case.field.encode()
            + b"\r\n"
        )
    if case.send_file:
        disposition = case.disposition or (
            b'form-data; name="file"; filename="'
            + case.filename.replace('"', '\\"').encode()
            + b'"'
        )
        parts.append(
            f"--{boundary}\r\n".encode()
            + b"Content-Disposition: " + disposition + b"\r\n"
            + b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
        )  # fmt: skip
    if not parts:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="nothing"\r\n\r\n\r\n'.encode()
        )
    return b"".join(
        parts
    ) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _accepted_upload(world: World, browser: Any, case: UploadCase, response: Any, data: bytes,
                     before: dict[str, Any], after: dict[str, Any]) -> tuple[list[str], str]:  # fmt: skip
    problems: list[str] = []
    status = response.status_code
    body = response.json() if "json" in response.headers.get("content-type", "") else {}
    added = sorted(set(after["files"]) - set(before["files"]))
    did = f"{status} {brief(str(body) or response.text)}, files +{len(added)}"
    if status != 200 or not isinstance(body, dict):
        return [f"status {status}, not 200"], did
    if case.endpoint == "crop":
        preview = browser.get(body.get("original_url", "/"))
        if len(added) != 2:
            problems.append(f"{len(added)} files kept, not the original and the crop")
    else:
        if case.name and body.get("filename") != case.name:
            problems.append(f"kept the name {body.get('filename')!r}, not {case.name!r}")
        if case.kind and body.get("kind") != case.kind:
            problems.append(f"kind {body.get('kind')}, not {case.kind}")
        preview = browser.get(body.get("preview_url", "/"))
        if len(added) != 1:
            problems.append(f"{len(added)} files kept, not 1")
        elif case.stored_suffix and not added[0].endswith(case.stored_suffix):
            problems.append(f"kept as {added[0]}, not *{case.stored_suffix}")
    if preview.content != data:
        problems.append("the preview is not the file sent")
    kind = preview.headers.get("content-type", "")
    if not (kind.startswith("image/") or kind == "application/pdf"):
        problems.append(f"the preview is served as {kind!r}")
    leak = reflected([response], case.filename)
    if leak:
        problems.append(leak)
    return problems, did


@pytest.mark.parametrize("case", UPLOADS, ids=[case.id for case in UPLOADS])
def test_upload(upload_world, judge, case):
    world = upload_world
    endpoint = ENDPOINTS[case.endpoint]
    browser = world.session(endpoint.session)
    data = case.make()
    body, content_type = _multipart(case, data)
    before = world.snapshot()
    response = browser.post(
        endpoint.url, content=body, headers={**JSON, "Content-Type": content_type}
    )
    after = world.snapshot()
    if case.expect == ACCEPTED:
        problems, did = _accepted_upload(world, browser, case, response, data, before, after)
    else:
        label = endpoint.labels.get(case.field, "")
        problems, did = refusal(
            response, before, after,
            labels=case.labels if case.labels is not None else (f"{label}：",),
            says=case.says, statuses=case.statuses, payload=case.filename + case.field,
        )  # fmt: skip
    judge(case.expect, problems, did)


# -- more files than a field takes, staged one by one and sent with the form


@dataclass(frozen=True)
class TooMany:
    id: str
    open: Callable[[World, Any], Opened]
    url: str
    slot: str
    count: int
    label: str
    filename: str = "more.png"


TOO_MANY = [
    TooMany("other-reason: six files in 其他相關證明文件", open_other_reason, f"{OTHER}/uploads", "other", 6, "其他相關證明文件"),
    TooMany("other-reason: two photos", open_other_reason, f"{OTHER}/uploads", "photo", 2, "照片上傳", "me.jpg"),
    TooMany("other-reason: six passports", open_other_reason, f"{OTHER}/uploads", "passport", 6, "護照"),
    TooMany("Gold Card: six files in 其他相關證明文件", open_gold_card, f"{APPLY}/uploads", "other", 6, "其他相關證明文件"),
    TooMany("Gold Card: two photos", open_gold_card, f"{APPLY}/uploads", "photo", 2, "照片", "me.jpg"),
    TooMany("data change: six files in 其他相關證明文件", open_data_change, f"{CHANGE}/uploads", "other", 6, "其他相關證明文件"),
    TooMany("student: six files in 5. 其他相關證明文件", open_student, f"{EXTENSION}/uploads", "other", 6, "其他相關證明文件"),
    TooMany("student: two photos", open_student, f"{EXTENSION}/uploads", "photo", 2, "照片上傳", "me.jpg"),
    TooMany("supplement: six passports", open_supplement, f"{SUPPLEMENTS}/uploads", "passport", 6, "護照"),
]  # fmt: skip


@pytest.mark.parametrize("case", TOO_MANY, ids=[case.id for case in TOO_MANY])
def test_too_many_files(world, judge, case):
    browser = world.browser()
    opened = case.open(world, browser)
    make = files.photo if case.filename.endswith(".jpg") else files.png
    key = f"{case.slot}_token"
    tokens = [opened.data[key]] if key in opened.data else []
    while len(tokens) < case.count:
        tokens.append(stage(browser, case.url, case.slot, case.filename, make()))
    before = world.snapshot()
    response = browser.post(opened.url, data={**opened.data, key: tokens})
    after = world.snapshot()
    problems, did = refusal(
        response, before, after, labels=(case.label,), says=("最多上傳",), statuses=(422,)
    )
    judge(REFUSED, problems, did)


MISUSE = [
    ("the photo's token sent as the passport", "photo"),
    ("a made-up token ../../etc/passwd as the passport", "../../etc/passwd"),
    ("the same passport token sent twice and nothing else", "twice"),
]


@pytest.mark.parametrize(("name", "how"), MISUSE, ids=[name for name, _ in MISUSE])
def test_staged_token_misuse(world, judge, name, how):
    browser = world.browser()
    opened = open_other_reason(world, browser)
    data = dict(opened.data)
    if how == "photo":
        data["passport_token"] = data["photo_token"]
    elif how == "twice":
        data["residence_permit_token"] = data["passport_token"]
    else:
        data["passport_token"] = how
    before = world.snapshot()
    response = browser.post(opened.url, data=data)
    after = world.snapshot()
    label = "居留證" if how == "twice" else "護照"
    problems, did = refusal(response, before, after, labels=(label,), says=("必填",))
    judge(REFUSED, problems, did)


# ============================================================================ 2. fields


@dataclass(frozen=True)
class Form:
    open: Callable[[World, Any], Opened]
    stores: str  # what an accepted value becomes: case, draft, account, reply, comment, ...
    closed: str = ""  # a page that must stay closed while nothing was accepted
    # A form a refusal leaves as it was is used again by the next input (a login is not:
    # every answer draws a new captcha).
    reusable: bool = True


FORMS: dict[str, Form] = {
    "registration": Form(open_registration, "account"),
    "login": Form(open_login, "login", closed="/coa-frontend/gold-card/home", reusable=False),
    "employer-login": Form(
        open_employer_login, "login", closed="/coa-frontend/gold-card/home", reusable=False
    ),
    "student-login": Form(
        open_student_login, "login", closed="/coa-frontend/foreign-student/home", reusable=False
    ),
    "officer-login": Form(open_officer_login, "login", closed="/officer/cases", reusable=False),
    "other-reason-query": Form(open_other_reason_query, "", closed=f"{OTHER}/form"),
    "gold-card-questions": Form(open_questions, "", closed=f"{APPLY}/new"),
    "gold-card-eligibility": Form(open_eligibility, ""),
    "data-change-query": Form(open_change_query, "", closed=f"{CHANGE}/form"),
    "student-start": Form(open_student_start, "", closed=f"{EXTENSION}/form"),
    "other-reason-form": Form(open_other_reason, "case"),
    "gold-card-form": Form(open_gold_card, "draft"),
    "data-change-form": Form(open_data_change, "case"),
    "data-change-form-with-proof": Form(open_data_change_with_proof, "case"),
    "student-form": Form(open_student, "case"),
    "supplement": Form(open_supplement, "reply"),
    "officer-comments": Form(lambda world, b: open_officer(world, b, "supplement"), "comment"),
    "officer-reject": Form(lambda world, b: open_officer(world, b, "reject"), "rejection"),
    "gateway-card": Form(open_gateway, ""),
    "payment-methods": Form(open_payment_methods, ""),
    "forgot-password": Form(open_forgot, ""),
    "resend-verification": Form(open_resend, ""),
    "reset-password": Form(lambda world, b: _open_reset(world, b), ""),
}


def _open_reset(world: World, browser: Any) -> Opened:
    """The page of a real reset link, mailed to a student who forgot the password."""
    username = world.new_username("rst")
    email = f"{username}@student.example.edu.tw"
    world.add_account(system="student", username=username, email=email)
    response = browser.post(FORGOT, data={"username": username, "email": email})
    assert response.status_code == 200, response.text[:300]
    [mail] = world.control.get("/__mock__/mail", params={"to": email}).json()["messages"]
    path = re.search(r"(/coa-frontend/register/reset/[^\"'\s<]+)", mail["html"]).group(1)
    return Opened(path, {"password": "newpass123", "password_confirm": "newpass123"})


@dataclass(frozen=True)
class FieldCase:
    id: str
    form: str
    field: str
    value: str | Callable[[Opened], str]
    labels: tuple[str, ...] = ()
    expect: str = REFUSED
    statuses: tuple[int, ...] = (400, 422)
    ignore: frozenset[str] = frozenset()
    multipart: bool = False
    also: dict[str, str] = field(default_factory=dict)  # other fields set with it


def F(id: str, form: str, name: str, value: Any, *labels: str, **more: Any) -> FieldCase:  # noqa: A002, N802
    return FieldCase(id, form, name, value, labels, **more)


def _full_width_captcha(opened: Opened) -> str:
    return str(opened.data["captcha"]).translate(FULL_WIDTH_LETTERS)


LONG_10K = "字" * 10_000
LONG_100K = "A" * 100_000
ATTEMPT = frozenset({"accounts"})  # a plausible wrong password counts as an attempt

FIELDS: list[FieldCase] = [
    # -- 學生註冊
    F("registration: 英文姓氏 of 10,000 characters", "registration", "surname", "A" * 10_000, "英文姓氏"),
    F("registration: 英文名字 of 100,000 characters", "registration", "given_name", LONG_100K, "英文名字"),
    F("registration: 英文名字 of 100,000 characters, multipart", "registration", "given_name", LONG_100K, "英文名字", multipart=True),
    F("registration: NUL in 英文姓氏", "registration", "surname", "NGU\x00YEN", "英文姓氏"),
    F("registration: ESC sequence in 英文名字", "registration", "given_name", "THI\x1b[31mHOA", "英文名字"),
    F("registration: CR LF in 英文姓氏", "registration", "surname", "NGUYEN\r\nX", "英文姓氏"),
    F("registration: RLO override in 英文名字", "registration", "given_name", "THI \u202eAOH", "英文名字"),
    F("registration: zero-width space in 登入帳號", "registration", "username", "hoa\u200b2024", "登入帳號"),
    F("registration: script in 中文姓名", "registration", "chinese_name", SCRIPT, "中文姓名"),
    F("registration: img onerror in 中文姓名", "registration", "chinese_name", IMG, "中文姓名"),
    F("registration: 中文姓名 𠀀𪚥 (CJK Extension B)", "registration", "chinese_name", "𠀀𪚥", expect=ACCEPTED),
    F("registration: 中文姓名 陳𪚥", "registration", "chinese_name", "陳𪚥", expect=ACCEPTED),
    F("registration: e-mail <svg/onload=alert(1)>@example.com", "registration", "email", SVG_MAIL, "電子郵件"),
    F("registration: e-mail a@example..com", "registration", "email", "a@example..com", "電子郵件"),
    F("registration: e-mail .a@example.com", "registration", "email", ".a@example.com", "電子郵件"),
    F("registration: e-mail a@-example.com", "registration", "email", "a@-example.com", "電子郵件"),
    F("registration: e-mail with a Bcc header after CR LF", "registration", "email", "hoa@example.com\r\nBcc: all@example.com", "電子郵件"),
    F("registration: e-mail of 300 characters", "registration", "email", "a" * 288 + "@example.com", "電子郵件"),
    F("registration: 出生日期 2024/02/30", "registration", "birth_date", "2024/02/30", "出生日期"),
    F("registration: 出生日期 0000/00/00", "registration", "birth_date", "0000/00/00", "出生日期"),
    F("registration: 出生日期 9999/99/99", "registration", "birth_date", "9999/99/99", "出生日期"),
    F("registration: 出生日期 with SQL after it", "registration", "birth_date", "2002/03/04" + SQL, "出生日期"),
    F("registration: full-width digits in 聯絡電話", "registration", "phone", "0912345678".translate(FULL_WIDTH), "聯絡電話"),
    F("registration: Arabic-Indic digits in 聯絡電話", "registration", "phone", "0912345678".translate(ARABIC_INDIC), "聯絡電話"),
    F("registration: superscript digits in 聯絡電話", "registration", "phone", "0912345678".translate(SUPERSCRIPT), "聯絡電話"),
    F("registration: 分機號碼 -1", "registration", "extension", "-1", "分機號碼"),
    F("registration: 分機號碼 of 20 digits", "registration", "extension", "9" * 20, "分機號碼"),
    F("registration: 登入帳號 admin'--", "registration", "username", "admin'--", "登入帳號"),
    F("registration: 登入帳號 ' OR 1=1 --", "registration", "username", "' OR 1=1 --", "登入帳號"),
    F("registration: script in 護照號碼", "registration", "passport_number", "C123" + SCRIPT, "護照號碼"),
    F("registration: 登入密碼 of 100,000 characters", "registration", "password", "a1" * 50_000, "登入密碼"),
    F("registration: NUL in 登入密碼", "registration", "password", "study\x00123pw", "登入密碼"),
    F("registration: 國籍 not offered (a script)", "registration", "nationality", SCRIPT, "國籍"),
    F("registration: 性別 X", "registration", "gender", "X", "性別"),
    # -- 帳號登入 (four-in-one, employer, student, officer)
    F("login: 帳號 of 10,000 characters", "login", "username", LONG_10K, "帳號"),
    F("login: 帳號 of 100,000 characters, multipart", "login", "username", LONG_100K, "帳號", multipart=True),
    F("login: NUL in 帳號", "login", "username", "demo\x00", "帳號"),
    F("login: 帳號 ' OR '1'='1' --", "login", "username", SQL, "帳號"),
    F("login: 帳號 admin'--", "login", "username", "admin'--", "帳號"),
    F("login: markup in 帳號", "login", "username", IMG, "帳號"),
    F("login: 密碼 of 100,000 characters", "login", "password", LONG_100K, "密碼"),
    F("login: ESC in 密碼", "login", "password", "Secret\x1b123", "密碼"),
    F("login: 密碼 ' OR '1'='1' --", "login", "password", SQL, "密碼", ignore=ATTEMPT),
    F("login: 驗證碼 of 10,000 characters", "login", "captcha", "A" * 10_000, "驗證碼"),
    F("login: the right 驗證碼 in full-width letters", "login", "captcha", _full_width_captcha, "驗證碼"),
    F("login: a script as the system", "login", "system", SCRIPT, statuses=(404,)),
    F("login: a script as the role", "login", "role", SCRIPT, statuses=(404,)),
    F("employer login: full-width 統一編號", "employer-login", "company_id", "22099131".translate(FULL_WIDTH), "統一編號"),
    F("employer login: 統一編號 -1", "employer-login", "company_id", "-1", "統一編號"),
    F("employer login: 統一編號 of 20 digits", "employer-login", "company_id", "9" * 20, "統一編號"),
    F("employer login: 統一編號 with SQL", "employer-login", "company_id", "22099131" + SQL, "統一編號"),
    F("student login: 帳號 of 100,000 characters", "student-login", "username", LONG_100K, "帳號"),
    F("student login: NUL in 密碼", "student-login", "password", "Secret\x00123", "密碼"),
    F("student login: RLO in 驗證碼", "student-login", "captcha", "\u202eABCDE", "驗證碼"),
    F("officer login: 帳號 of 100,000 characters", "officer-login", "username", LONG_100K, "帳號"),
    F("officer login: NUL in 帳號", "officer-login", "username", "off\x00icer", "帳號"),
    F("officer login: 密碼 of 100,000 characters (no attempt)", "officer-login", "password", LONG_100K, "密碼"),
    F("officer login: ESC in 密碼 (no attempt)", "officer-login", "password", "Secret\x1b123", "密碼"),
    F("officer login: 驗證碼 of 100,000 characters", "officer-login", "captcha", LONG_100K, "驗證碼"),
    F("officer login: a script in 帳號", "officer-login", "username", SCRIPT, "帳號"),
    # -- query forms
    F("other-reason query: 統一證號 of 10,000 characters", "other-reason-query", "uino", LONG_10K, "統一證號"),
    F("other-reason query: full-width 統一證號", "other-reason-query", "uino", "A800013146".translate(FULL_WIDTH), "統一證號"),
    F("other-reason query: 統一證號 with SQL", "other-reason-query", "uino", "A800013146" + SQL, "統一證號"),
    F("other-reason query: a script as 統一證號", "other-reason-query", "uino", SCRIPT, "統一證號"),
    F("other-reason query: 出生日期 2024/02/30", "other-reason-query", "birth_date", "2024/02/30", "出生日期"),
    F("other-reason query: 出生日期 0000/00/00", "other-reason-query", "birth_date", "0000/00/00", "出生日期"),
    F("other-reason query: 出生日期 9999/99/99", "other-reason-query", "birth_date", "9999/99/99", "出生日期"),
    F("other-reason query: Arabic-Indic 出生日期", "other-reason-query", "birth_date", BIRTH.translate(ARABIC_INDIC), "出生日期"),
    F("other-reason query: CR LF inside 出生日期", "other-reason-query", "birth_date", "1992/05\r\n/03", "出生日期"),
    F("Gold Card questions: RLO in 統一證號", "gold-card-questions", "uino", "\u202eA800013146", "統一證號"),
    F("Gold Card questions: 出生日期 0000/00/00", "gold-card-questions", "birth_date", "0000/00/00", "出生日期"),
    F("Gold Card questions: a script as an answer", "gold-card-questions", "held", SCRIPT, "是否現在或曾經持有就業金卡"),
    F("Gold Card questions: 10,000 characters as the entry document", "gold-card-questions", "entry_document", LONG_10K, "您入境中華民國或目前所持證件"),
    F("Gold Card eligibility: 統一證號 of 100,000 characters", "gold-card-eligibility", "uino", LONG_100K, "統一證號", statuses=(200,)),
    F("Gold Card eligibility: 出生日期 9999/99/99", "gold-card-eligibility", "birth_date", "9999/99/99", "出生日期", statuses=(200,)),
    F("Gold Card eligibility: 統一證號 with SQL", "gold-card-eligibility", "uino", SQL, "統一證號", statuses=(200,)),
    F("data change query: zero-width space in 統一證號", "data-change-query", "uino", "A8000\u200b13146", "統一證號"),
    F("data change query: 出生日期 2024/02/30", "data-change-query", "birth_date", "2024/02/30", "出生日期"),
    F("data change query: 統一證號 of 100,000 characters", "data-change-query", "uino", LONG_100K, "統一證號"),
    F("student request: 居留證號 of 100,000 characters", "student-start", "arc", LONG_100K, "居留證號"),
    F("student request: NUL in 居留證號", "student-start", "arc", STUDENT_UINO[:4] + "\x00" + STUDENT_UINO[4:], "居留證號"),
    F("student request: a script as 學制", "student-start", "programme", SCRIPT, "申請來臺就學學制"),
    F("student request: SQL as 延期事由", "student-start", "reason", SQL, "延期事由"),
    # -- 其他事由居留證申請
    F("other-reason form: 英文姓名 of 10,000 characters", "other-reason-form", "english_name", "G" * 10_000, "英文姓名"),
    F("other-reason form: 英文姓名 of 100,000 characters", "other-reason-form", "english_name", LONG_100K, "英文姓名"),
    F("other-reason form: NUL in 英文姓名", "other-reason-form", "english_name", "G.\x00GREENING", "英文姓名"),
    F("other-reason form: CR LF in 英文姓名", "other-reason-form", "english_name", "G.\r\nGREENING", "英文姓名"),
    F("other-reason form: RLO in 英文姓名", "other-reason-form", "english_name", "G. \u202eGNINEERG", "英文姓名"),
    F("other-reason form: a script as 英文姓名", "other-reason-form", "english_name", SCRIPT, "英文姓名"),
    F("other-reason form: markup as 中文姓名", "other-reason-form", "chinese_name", IMG, "中文姓名"),
    F("other-reason form: 中文姓名 𠀀𪚥 (CJK Extension B)", "other-reason-form", "chinese_name", "𠀀𪚥", expect=ACCEPTED),
    F("other-reason form: a script as 現職", "other-reason-form", "occupation", SCRIPT, "現職"),
    F("other-reason form: SQL in 現職 is kept as text", "other-reason-form", "occupation", DROP, expect=ACCEPTED),
    F("other-reason form: zero-width joiner in 現職", "other-reason-form", "occupation", "軟體\u200d工程師", "現職"),
    F("other-reason form: 護照號碼 TR123'--", "other-reason-form", "passport_number", "TR123'--", "護照號碼"),
    F("other-reason form: full-width 護照號碼", "other-reason-form", "passport_number", "TR1234567".translate(FULL_WIDTH), "護照號碼"),
    F("other-reason form: 護照效期 2024/02/30", "other-reason-form", "passport_expiry", "2024/02/30", "護照效期"),
    F("other-reason form: 護照效期 0000/00/00", "other-reason-form", "passport_expiry", "0000/00/00", "護照效期"),
    F("other-reason form: 護照效期 9999/99/99", "other-reason-form", "passport_expiry", "9999/99/99", "護照效期"),
    F("other-reason form: 護照效期 2030-08-08", "other-reason-form", "passport_expiry", "2030-08-08", "護照效期"),
    F("other-reason form: full-width 手機", "other-reason-form", "mobile", "0912345678".translate(FULL_WIDTH), "在臺聯絡手機號碼"),
    F("other-reason form: Arabic-Indic 手機", "other-reason-form", "mobile", "0912345678".translate(ARABIC_INDIC), "在臺聯絡手機號碼"),
    F("other-reason form: superscript 手機", "other-reason-form", "mobile", "0912345678".translate(SUPERSCRIPT), "在臺聯絡手機號碼"),
    F("other-reason form: SQL in 市內電話", "other-reason-form", "landline", "02-2388'; --", "在臺市內電話"),
    F("other-reason form: e-mail <svg/onload=alert(1)>@example.com", "other-reason-form", "email", SVG_MAIL, "電子郵件"),
    F("other-reason form: e-mail a@example..com", "other-reason-form", "email", "a@example..com", "電子郵件"),
    F("other-reason form: e-mail .a@example.com", "other-reason-form", "email", ".a@example.com", "電子郵件"),
    F("other-reason form: e-mail a@-example.com", "other-reason-form", "email", "a@-example.com", "電子郵件"),
    F("other-reason form: 號 -1", "other-reason-form", "residence_number", "-1", "居留地址"),
    F("other-reason form: 號 of 20 digits", "other-reason-form", "residence_number", "9" * 20, "居留地址"),
    F("other-reason form: 樓 1e9", "other-reason-form", "residence_floor", "1e9", "居留地址"),
    F("other-reason form: 巷 0x10", "other-reason-form", "residence_lane", "0x10", "居留地址"),
    F("other-reason form: a script as 街路段", "other-reason-form", "residence_street", SCRIPT, "居留地址"),
    F("other-reason form: a script as 縣市", "other-reason-form", "residence_city", SCRIPT, "居留地址"),
    F("other-reason form: markup as 國籍", "other-reason-form", "nationality", IMG, "國籍"),
    F("other-reason form: 離職日 2024/02/30", "other-reason-form", "resignation_date", "2024/02/30", "離職日"),
    F("other-reason form: a script after 領證地點", "other-reason-form", "collect_office", "臺北市服務站" + SCRIPT, "領證地點"),
    # -- 就業金卡申請
    F("Gold Card form: 英文姓氏 of 100,000 characters", "gold-card-form", "english_surname", LONG_100K, "英文姓氏"),
    F("Gold Card form: markup as 出生地點(市/州)", "gold-card-form", "birth_city", IMG, "出生地點(市/州)"),
    F("Gold Card form: 母國地址 of 10,000 characters", "gold-card-form", "home_address", LONG_10K, "申請人母國地址"),
    F("Gold Card form: CR LF in 母國地址", "gold-card-form", "home_address", "1-2-3\r\nChiyoda", "申請人母國地址"),
    F("Gold Card form: superscript 母國電話", "gold-card-form", "home_phone", "+81-3-1234-5678".translate(SUPERSCRIPT), "申請人母國電話號碼"),
    F("Gold Card form: 護照發照日期 2024/02/30", "gold-card-form", "passport_issued", "2024/02/30", "護照發照日期"),
    F("Gold Card form: ESC in 發照機關", "gold-card-form", "passport_authority", "MOFA\x1b[2J", "發照機關"),
    F("Gold Card form: 入境日期 0000/00/00", "gold-card-form", "entry_date", "0000/00/00", "最近一次入境日期"),
    F("Gold Card form: 中文姓名 𪚥 (CJK Extension B)", "gold-card-form", "chinese_name", "𪚥", expect=ACCEPTED),
    F("Gold Card form: a script as 職稱", "gold-card-form", "job_title", SCRIPT, "職稱"),
    F("Gold Card form: 申請年限 999年", "gold-card-form", "years", "999年", "申請年限"),
    F("Gold Card form: a script as 資格條件", "gold-card-form", "qualification", SCRIPT, "資格條件"),
    # -- 就業金卡資料異動
    F("data change form: e-mail <svg/onload=alert(1)>@example.com", "data-change-form", "email", SVG_MAIL, "電子郵件"),
    F("data change form: e-mail of 100,000 characters", "data-change-form", "email", LONG_100K, "電子郵件"),
    F("data change form: full-width 手機", "data-change-form", "mobile", "0912345678".translate(FULL_WIDTH), "在臺聯絡手機號碼"),
    F("data change form: a script as 英文姓氏", "data-change-form", "english_surname", SCRIPT, "英文姓氏"),
    F("data change form: ESC in 英文名字", "data-change-form-with-proof", "english_given_name", "ETHAN\x1b[0m", "英文名字"),
    F("data change form: 英文姓氏 of 10,000 characters", "data-change-form-with-proof", "english_surname", "H" * 10_000, "英文姓氏"),
    F("data change form: a script as 中文姓名", "data-change-form-with-proof", "chinese_name", SCRIPT, "中文姓名"),
    F("data change form: 中文姓名 𠀀𪚥 (with the name proof)", "data-change-form-with-proof", "chinese_name", "𠀀𪚥", expect=ACCEPTED),
    # -- 外生延期申請
    F("student form: NUL in 英文姓名", "student-form", "english_name", "NGUYEN\x00LAN", "英文姓名"),
    F("student form: a script as 就讀年級", "student-form", "grade", SCRIPT, "就讀年級"),
    F("student form: 在臺聯絡人姓名 of 100,000 characters", "student-form", "contact_name", LONG_100K, "在臺聯絡人姓名"),
    F("student form: Arabic-Indic 聯絡人電話", "student-form", "contact_phone", "07-7358800".translate(ARABIC_INDIC), "在臺聯絡人電話"),
    F("student form: 中文姓名 𠀀𪚥 (CJK Extension B)", "student-form", "chinese_name", "𠀀𪚥", expect=ACCEPTED),
    F("student form: 護照有效日期 9999/99/99", "student-form", "passport_expiry", "9999/99/99", "護照有效日期"),
    F("student form: 居留證效期 99年", "student-form", "permit_years", "99年", "居留證效期"),
    F("student form: e-mail .a@example.com", "student-form", "email", ".a@example.com", "Email"),
    F("student form: 號 -1", "student-form", "residence_number", "-1", "在臺居住地址"),
    # -- 補正 reply
    F("supplement: reply of 10,000 characters", "supplement", "reply", LONG_10K, "審核意見回覆"),
    F("supplement: reply of 100,000 characters, multipart", "supplement", "reply", LONG_100K, "審核意見回覆", multipart=True),
    F("supplement: NUL in the reply", "supplement", "reply", "已更正\x00。", "審核意見回覆"),
    F("supplement: RLO in the reply", "supplement", "reply", "已更正\u202e。", "審核意見回覆"),
    F("supplement: a script as the reply", "supplement", "reply", SCRIPT, "審核意見回覆"),
    F("supplement: a reply of several lines", "supplement", "reply", "已依護照更正英文名字。\r\n薪資證明另寄。", expect=ACCEPTED),
    F("supplement: a script as 繳驗護照方式", "supplement", "visa_channel", SCRIPT, "繳驗護照方式"),
    F("supplement: markup as 英文名字", "supplement", "english_given_name", IMG, "英文名字"),
    # -- the officer's comments and reasons
    F("officer: comment of 10,000 characters", "officer-comments", "comment-1", LONG_10K, "審核意見"),
    F("officer: NUL in a comment", "officer-comments", "comment-2", "請補件\x00。", "審核意見"),
    F("officer: a script as a comment", "officer-comments", "comment-1", SCRIPT, "審核意見"),
    F("officer: a comment of several lines", "officer-comments", "comment-1", "第一點。\r\n第二點。", expect=ACCEPTED),
    F("officer: reason of 100,000 characters", "officer-reject", "reason", LONG_100K, "不予核准理由"),
    F("officer: RLO in the reason", "officer-reject", "reason", "資格\u202e不符", "不予核准理由"),
    F("officer: markup as the reason", "officer-reject", "reason", IMG, "不予核准理由"),
    F("officer: a reason of several lines", "officer-reject", "reason", "資格不符。\r\n請另行申請。", expect=ACCEPTED),
    # -- the card form of the payment gateway, and the method
    F("gateway: 卡號 of 10,000 characters", "gateway-card", "card_number", "4" * 10_000, "卡號"),
    F("gateway: full-width 卡號", "gateway-card", "card_number", "4111111111111111".translate(FULL_WIDTH), "卡號"),
    F("gateway: 卡號 with SQL", "gateway-card", "card_number", "4111 1111 1111 1111" + SQL, "卡號"),
    F("gateway: negative 卡號", "gateway-card", "card_number", "-4111111111111111", "卡號"),
    F("gateway: 卡號 of 20 nines", "gateway-card", "card_number", "9" * 20, "卡號"),
    F("gateway: 有效期限 13/99", "gateway-card", "expiry", "13/99", "有效期限"),
    F("gateway: 有效期限 00/00", "gateway-card", "expiry", "00/00", "有效期限"),
    F("gateway: 有效期限 99/99", "gateway-card", "expiry", "99/99", "有效期限"),
    F("gateway: NUL after 有效期限", "gateway-card", "expiry", "12/39\x00", "有效期限"),
    F("gateway: 安全碼 -12", "gateway-card", "cvc", "-12", "安全碼"),
    F("gateway: a script as 安全碼", "gateway-card", "cvc", SCRIPT, "安全碼"),
    F("gateway: superscript 安全碼", "gateway-card", "cvc", "123".translate(SUPERSCRIPT), "安全碼"),
    F("payment: a script as the method", "payment-methods", "method", SCRIPT, "繳費方式"),
    # -- forgot password, resend verification, the reset link
    F("forgot password: 登入帳號 of 100,000 characters", "forgot-password", "username", LONG_100K, "登入帳號"),
    F("forgot password: e-mail <svg/onload=alert(1)>@example.com", "forgot-password", "email", SVG_MAIL, "電子郵件"),
    F("forgot password: e-mail with a Bcc header after CR LF", "forgot-password", "email", "lan@student.example.edu.tw\r\nBcc: evil@example.com", "電子郵件"),
    F("resend verification: 登入帳號 admin'--", "resend-verification", "username", "admin'--", "登入帳號"),
    F("resend verification: e-mail a@-example.com", "resend-verification", "email", "a@-example.com", "電子郵件"),
    F("reset password: 新密碼 of 100,000 characters", "reset-password", "password", "a1" * 50_000, "新密碼"),
    F("reset password: NUL in 新密碼", "reset-password", "password", "newpass\x00123", "新密碼"),
]  # fmt: skip


def _stored_as(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def _accepted_field(world: World, opened: Opened, form: Form, case: FieldCase, value: str,
                    response: Any, before: dict[str, Any], after: dict[str, Any]) -> tuple[list[str], str]:  # fmt: skip
    problems: list[str] = []
    status = response.status_code
    new_cases = sorted(set(after["cases"]) - set(before["cases"]))
    new_drafts = sorted(set(after["drafts"]) - set(before["drafts"]))
    did = f"{status} «{brief(messages(response)) or response.headers.get('location', '')}»"
    if status not in (200, 303) or server_error(response):
        return [f"status {status}, refused"], did
    wanted = _stored_as(value)
    if form.stores == "case":
        if len(new_cases) != 1:
            return [f"{len(new_cases)} new cases, not 1"], did
        kept = world.case(new_cases[0])["data"]
        kept = kept.get("values", kept)
        if kept.get(case.field) != wanted:
            problems.append(f"kept {case.field} as {kept.get(case.field)!r}")
        did += f", case {new_cases[0]}"
    elif form.stores == "draft":
        if len(new_drafts) != 1:
            return [f"{len(new_drafts)} new drafts, not 1"], did
        with world.app.state.sessions() as db:
            kept = db.get(Draft, new_drafts[0]).data
        if kept.get(case.field) != wanted:
            problems.append(f"kept {case.field} as {kept.get(case.field)!r}")
        did += f", draft {new_drafts[0]}"
    elif form.stores == "account":
        username = opened.extra["username"]
        if username not in after["accounts"]:
            problems.append(f"no account {username}")
        did += f", account {username}"
    else:
        number = opened.extra["number"]
        row = world.case(number)
        review = row["review"] or {}
        kept = {
            "reply": review.get("reply"),
            "comment": (review.get("comments") or {}).get("基本資料"),
            "rejection": review.get("rejection"),
        }[form.stores]
        if kept != wanted:
            problems.append(f"kept {kept!r}, not {wanted!r}")
        did += f", case {number} {row['status']}"
    return problems, did


@pytest.mark.parametrize("case", FIELDS, ids=[case.id for case in FIELDS])
def test_field(world, judge, case):
    form = FORMS[case.form]
    kept = world.forms.pop(case.form, None) if form.reusable and case.expect == REFUSED else None
    if kept is None:
        browser = world.browser()
        kept = browser, form.open(world, browser)
    browser, opened = kept
    value = case.value(opened) if callable(case.value) else case.value
    data = {**opened.data, **case.also, case.field: value}
    before = world.snapshot()
    if case.multipart:
        response = browser.post(opened.url, files=[(k, (None, v)) for k, v in _flat(data)])
    else:
        response = browser.post(opened.url, data=data)
    after = world.snapshot()
    if case.expect == ACCEPTED:
        problems, did = _accepted_field(world, opened, form, case, value, response, before, after)
        judge(ACCEPTED, problems, did)
        return
    more: list[str] = []
    if form.closed:
        opened_page = browser.get(form.closed)
        if opened_page.status_code != 303:
            more.append(f"{form.closed} opened ({opened_page.status_code})")
    if "json" in response.headers.get("content-type", "") and response.json().get("eligible"):
        more.append("answered eligible")
    shown, note = "", ""
    if response.status_code == 303 and any(marker in value for marker in XSS):
        shown, note = _shown_back(world, browser, after, before)
    problems, did = refusal(
        response, before, after, labels=case.labels, statuses=case.statuses, payload=value,
        ignore=case.ignore, more=(*more, shown),
    )  # fmt: skip
    did += note
    if form.reusable and not problems:
        world.forms[case.form] = kept  # refused, nothing changed: the next input may use it
    judge(REFUSED, problems, did)


def _flat(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(k, item) for k, v in data.items() for item in (v if isinstance(v, list) else [v])]


def _shown_back(
    world: World, browser: Any, after: dict[str, Any], before: dict[str, Any]
) -> tuple[str, str]:
    """For markup that was accepted: is it escaped where it is shown (the officer's case
    page, the applicant's draft preview)? A problem if not, and a note saying where."""
    cases = sorted(set(after["cases"]) - set(before["cases"])) or [
        number for number in after["cases"] if after["cases"][number] != before["cases"].get(number)
    ]
    pages = [(world.session("officer"), f"/officer/cases/{number}") for number in cases]
    pages += [
        (browser, f"{APPLY}/drafts/{draft}/preview")
        for draft in sorted(set(after["drafts"]) - set(before["drafts"]))
    ]
    for viewer, path in pages:
        page = viewer.get(path)
        leak = reflected([page], SCRIPT) or reflected([page], IMG)
        if leak:
            return leak, ""
    sent = world.control.get("/__mock__/mail").json()["messages"][len(before["mail"]) :]
    for mail in sent:
        if any(marker in mail["html"] for marker in XSS):
            return f"the mail «{mail['subject']}» to {mail['to']} carries it unescaped in HTML", ""
    places = [path for _, path in pages] + [f"{len(sent)} mail(s)"] * bool(sent)
    return "", f"; shown escaped on {', '.join(places)}" if places else ""


# ============================================================================ 3. access control

# Routes anyone may open: the public pages, the logins and account pages, the gateway
# (its address holds the payment's unguessable id), and the test tooling.
PUBLIC = {
    "/", "/coa-frontend/four-in-one/entry/main", "/coa-frontend/four-in-one/entry/not-offered/{feature}",
    "/coa-frontend/other-reason/intro", "/coa-frontend/other-reason/login",
    "/coa-frontend/other-reason/service-stations", "/coa-frontend/other-reason/address-example",
    "/coa-frontend/gold-card/intro", "/coa-frontend/gold-card/role",
    "/coa-frontend/gold-card/qualifications", "/coa-frontend/four-in-one/login",
    "/coa-frontend/four-in-one/captcha.png", "/coa-frontend/four-in-one/captcha/next",
    "/coa-frontend/four-in-one/logout", "/officer/login", "/officer/logout",
    "/coa-frontend/foreign-student/individual/login", "/coa-frontend/foreign-student/individual/register",
    "/coa-frontend/foreign-student/individual/register/done",
    "/coa-frontend/register/verify/{username}/{token}",
    "/coa-frontend/foreign-student/individual/resend-verification",
    "/coa-frontend/foreign-student/individual/forgot-password",
    "/coa-frontend/register/reset/{username}/{token}", "/coa-frontend/foreign-student/photo-guide",
    "/coa-frontend/foreign-student/address-example", "/coa-frontend/foreign-student/service-stations",
    "/mock-gateway/{method}/{token}", "/mock-gateway/{method}/{token}/pay",
    "/mock-gateway/{method}/{token}/cancel", "/mailbox/{address}", "/mailbox/{address}/{mail_id}",
}  # fmt: skip
SYSTEM_SLUGS = ("other-reason", "gold-card", "foreign-student")
SLUG_ROUTES = [
    ("GET", "/coa-frontend/{slug}/cases/{number}"), ("GET", "/coa-frontend/{slug}/menu/{item}"),
    ("GET", "/coa-frontend/{slug}/progress"), ("POST", "/coa-frontend/{slug}/progress/{number}/withdraw"),
    ("GET", "/coa-frontend/{slug}/payment"), ("POST", "/coa-frontend/{slug}/payment"),
    ("GET", "/coa-frontend/{slug}/payment/detail"), ("POST", "/coa-frontend/{slug}/payment/detail"),
    ("GET", "/coa-frontend/{slug}/payment/methods"), ("POST", "/coa-frontend/{slug}/payment/methods"),
    ("GET", "/coa-frontend/{slug}/payment/slips/{token}"),
    ("GET", "/coa-frontend/{slug}/payment/results/{token}"),
    ("GET", "/coa-frontend/{slug}/downloads/receipts"),
    ("GET", "/coa-frontend/{slug}/downloads/receipts/{number}"),
]  # fmt: skip
PROTECTED = [
    ("GET", "/coa-frontend/other-reason/home"), ("GET", "/coa-frontend/gold-card/home"),
    ("GET", f"{OTHER}/new"), ("POST", f"{OTHER}/consent"), ("POST", f"{OTHER}/query"),
    ("GET", f"{OTHER}/form"), ("POST", f"{OTHER}/uploads"), ("GET", f"{OTHER}/uploads/{{token}}"),
    ("POST", f"{OTHER}/submit"),
    ("GET", f"{APPLY}/drafts"), ("POST", f"{APPLY}/eligibility"), ("POST", f"{APPLY}/questions"),
    ("GET", f"{APPLY}/new"), ("POST", f"{APPLY}/consent"), ("POST", f"{APPLY}/uploads"),
    ("GET", f"{APPLY}/uploads/{{token}}"), ("POST", f"{APPLY}/save"),
    ("GET", f"{APPLY}/drafts/{{draft_id}}/edit"), ("POST", f"{APPLY}/drafts/{{draft_id}}/save"),
    ("GET", f"{APPLY}/drafts/{{draft_id}}/preview"), ("GET", f"{APPLY}/drafts/{{draft_id}}"),
    ("POST", f"{APPLY}/drafts/{{draft_id}}/delete"), ("POST", f"{APPLY}/drafts/{{draft_id}}/submit"),
    ("GET", f"{APPLY}/complete/{{number}}"),
    ("GET", f"{CHANGE}/new"), ("POST", f"{CHANGE}/consent"), ("POST", f"{CHANGE}/query"),
    ("GET", f"{CHANGE}/form"), ("POST", f"{CHANGE}/uploads"), ("GET", f"{CHANGE}/uploads/{{token}}"),
    ("POST", f"{CHANGE}/submit"), ("GET", f"{CHANGE}/complete/{{number}}"),
    ("GET", "/officer"), ("GET", "/officer/cases"), ("GET", "/officer/cases/{number}"),
    ("POST", "/officer/cases/{number}/supplement"), ("POST", "/officer/cases/{number}/approve"),
    ("POST", "/officer/cases/{number}/reject"), ("POST", "/officer/cases/{number}/card-ready"),
    ("GET", "/officer/files/{upload_id}"),
    ("GET", SUPPLEMENTS), ("GET", f"{SUPPLEMENTS}/{{number}}"), ("GET", f"{SUPPLEMENTS}/{{number}}/form"),
    ("POST", f"{SUPPLEMENTS}/uploads"), ("GET", f"{SUPPLEMENTS}/uploads/{{token}}"),
    ("POST", f"{SUPPLEMENTS}/{{number}}/form"), ("GET", f"{SUPPLEMENTS}/{{number}}/complete"),
    ("GET", "/coa-frontend/foreign-student/home"), ("GET", f"{EXTENSION}/new"),
    ("POST", f"{EXTENSION}/new"), ("GET", f"{EXTENSION}/form"), ("POST", f"{EXTENSION}/uploads"),
    ("GET", f"{EXTENSION}/uploads/{{token}}"), ("POST", f"{EXTENSION}/submit"), ("POST", CROP),
    ("GET", f"{CROP}/{{token}}/{{which}}"),
]  # fmt: skip
ANONYMOUS = PROTECTED + [
    (method, path.replace("{slug}", slug)) for slug in SYSTEM_SLUGS for method, path in SLUG_ROUTES
]


def _victim_values(objects: Objects, path: str) -> dict[str, str]:
    """Real ids of the victims' things, so a 200 would be a leak and not an empty page."""
    student = "/foreign-student/" in path
    token = objects["victim_upload"]
    if "/payment/slips/" in path:
        token = objects["victim_store_token"]
    elif "/payment/results/" in path:
        token = objects["victim_card_token"]
    elif "/photo-crop/" in path:
        token = objects["victim_crop"]
    elif path.startswith(APPLY):
        token = objects["victim_gold_upload"]
    elif path.startswith(CHANGE):
        token = objects["victim_change_upload"]
    elif path.startswith(SUPPLEMENTS):
        token = objects["victim_supplement_upload"]
    elif path.startswith(EXTENSION):
        token = objects["victim_student_upload"]
    number = objects["victim_student_case" if student else "victim_case"]
    if "/receipts/" in path:
        number = objects["victim_paid_case"]
    elif path.startswith(SUPPLEMENTS):
        number = objects["victim_returned"]
    elif path.startswith(CHANGE):
        number = objects["victim_change_case"]
    elif "/other-reason/" in path:
        number = objects["victim_other_reason_case"]
    return {
        "token": token, "number": number, "draft_id": objects["victim_draft"],
        "upload_id": objects["victim_case_file"], "which": "original",
        "item": "first-permit" if student else "todo",
    }  # fmt: skip


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: values[match.group(1)], path)


def _login_of(path: str) -> str:
    if path.startswith("/officer"):
        return OFFICER_LOGIN
    if "/foreign-student/" in path:
        return STUDENT_LOGIN
    return LOGIN


def _send(browser: Any, method: str, url: str, path: str) -> Any:
    if method == "GET":
        return browser.get(url, follow_redirects=False)
    if path.endswith(("/uploads", "/photo-crop")):
        return browser.post(url, data={"field": "passport"}, files={"file": ("a.png", files.png())},
                            follow_redirects=False)  # fmt: skip
    return browser.post(url, data={"agree": "yes"}, follow_redirects=False)


def _posted_snapshot(world: World, method: str) -> dict[str, Any]:
    """What the app keeps, around a request that could change it (a page view cannot)."""
    return world.snapshot() if method != "GET" else {}


def _access_refused(response: Any, login: str, before: dict[str, Any], after: dict[str, Any],
                    *, statuses: tuple[int, ...] = (401, 403, 404)) -> tuple[list[str], str]:  # fmt: skip
    """Refused: a redirect to ``login`` (no further), or one of ``statuses``; nothing changed."""
    status = response.status_code
    location = response.headers.get("location", "")
    stored = changes(before, after)
    problems: list[str] = []
    if server_error(response):
        problems.append(f"a server error ({status})")
    elif status in (301, 302, 303, 307):
        if not location.startswith(login):
            problems.append(f"redirects to {location!r}, not to {login}")
    elif status not in statuses:
        problems.append(f"status {status} (not a redirect to the login, not {statuses})")
    if stored:
        problems.append("changed: " + "; ".join(stored))
    shown = location or brief(messages(response)) or brief(response.text, 80)
    did = f"{status} {shown}, " + ("changed " + "; ".join(stored) if stored else "nothing changed")
    return problems, did


@pytest.mark.parametrize(("method", "path"), ANONYMOUS, ids=[f"{m} {p}" for m, p in ANONYMOUS])
def test_anonymous(access_world, objects, judge, method, path):
    world = access_world
    browser = world.browser()
    url = _fill(path, _victim_values(objects, path))
    before = _posted_snapshot(world, method)
    response = _send(browser, method, url, path)
    after = _posted_snapshot(world, method)
    problems, did = _access_refused(response, _login_of(path), before, after)
    judge(REFUSED, problems, did)


def test_every_route_is_public_or_walked_anonymously(access_world):
    world = access_world
    """The walk above covers every route of the app that is not public (not an input)."""
    from fastapi.routing import iter_route_contexts

    walked = {(method, path) for method, path in PROTECTED} | {
        (method, path) for method, path in SLUG_ROUTES
    }
    missing = []
    for route in iter_route_contexts(world.app.routes):
        path = route.path or ""
        if path in PUBLIC or path.startswith("/__mock__/") or path == "/static":
            continue
        for method in route.methods or ():
            if (method, path) not in walked:
                missing.append(f"{method} {path}")
    assert missing == [], f"routes neither public nor walked: {missing}"


@dataclass(frozen=True)
class Trespass:
    id: str
    session: str
    method: str
    path: str  # with {object} names of Objects
    data: dict[str, Any] = field(default_factory=dict)
    statuses: tuple[int, ...] = (404,)
    absent: tuple[str, ...] = ()  # must not appear in a 200 page
    login: str = ""  # a redirect to this login counts as refused too


OTHER_ACCOUNT = [
    Trespass("case page of another account", "gold-card", "GET", "/coa-frontend/gold-card/cases/{victim_case}"),
    Trespass("other-reason case page of another account", "other-reason", "GET", "/coa-frontend/other-reason/cases/{victim_other_reason_case}"),
    Trespass("withdraw confirmation for another account's case", "gold-card", "GET", "/coa-frontend/gold-card/progress?withdraw={victim_submitted}"),
    Trespass("withdraw another account's case", "gold-card", "POST", "/coa-frontend/gold-card/progress/{victim_submitted}/withdraw"),
    Trespass("withdraw another account's other-reason case", "other-reason", "POST", "/coa-frontend/other-reason/progress/{victim_other_reason_case}/withdraw"),
    Trespass("another account's store slip", "gold-card", "GET", "/coa-frontend/gold-card/payment/slips/{victim_store_token}"),
    Trespass("another account's payment result", "gold-card", "GET", "/coa-frontend/gold-card/payment/results/{victim_card_token}"),
    Trespass("another account's receipt PDF", "gold-card", "GET", "/coa-frontend/gold-card/downloads/receipts/{victim_paid_case}"),
    Trespass("pay for another account's case", "gold-card", "POST", "/coa-frontend/gold-card/payment", {"cases": "{victim_case}"}),
    Trespass("another account's draft", "gold-card", "GET", f"{APPLY}/drafts/{{victim_draft}}"),
    Trespass("edit another account's draft", "gold-card", "GET", f"{APPLY}/drafts/{{victim_draft}}/edit"),
    Trespass("preview another account's draft", "gold-card", "GET", f"{APPLY}/drafts/{{victim_draft}}/preview"),
    Trespass("save over another account's draft", "gold-card", "POST", f"{APPLY}/drafts/{{victim_draft}}/save", dict(GOLD_FORM)),
    Trespass("delete another account's draft", "gold-card", "POST", f"{APPLY}/drafts/{{victim_draft}}/delete"),
    Trespass("submit another account's draft", "gold-card", "POST", f"{APPLY}/drafts/{{victim_draft}}/submit"),
    Trespass("delete confirmation for another account's draft", "gold-card", "GET", f"{APPLY}/drafts?delete={{victim_draft}}", statuses=(200,), absent=("確定刪除",)),
    Trespass("Gold Card completion page of another account", "gold-card", "GET", f"{APPLY}/complete/{{victim_case}}"),
    Trespass("data change completion page of another account", "gold-card", "GET", f"{CHANGE}/complete/{{victim_change_case}}"),
    Trespass("another browser's staged upload (other-reason)", "other-reason", "GET", f"{OTHER}/uploads/{{victim_upload}}"),
    Trespass("another browser's staged upload (Gold Card)", "gold-card", "GET", f"{APPLY}/uploads/{{victim_gold_upload}}"),
    Trespass("another browser's staged upload (data change)", "gold-card", "GET", f"{CHANGE}/uploads/{{victim_change_upload}}"),
    Trespass("another browser's staged upload (supplement)", "gold-card", "GET", f"{SUPPLEMENTS}/uploads/{{victim_supplement_upload}}"),
    Trespass("another browser's staged upload (student)", "student", "GET", f"{EXTENSION}/uploads/{{victim_student_upload}}"),
    Trespass("an other-reason upload through the Gold Card address", "gold-card", "GET", f"{APPLY}/uploads/{{victim_upload}}"),
    Trespass("another account's supplement", "gold-card", "GET", f"{SUPPLEMENTS}/{{victim_returned}}"),
    Trespass("another account's supplement form", "gold-card", "GET", f"{SUPPLEMENTS}/{{victim_returned}}/form"),
    Trespass("send another account's supplement", "gold-card", "POST", f"{SUPPLEMENTS}/{{victim_returned}}/form", {"reply": "hijacked"}),
    Trespass("another account's supplement completion", "gold-card", "GET", f"{SUPPLEMENTS}/{{victim_returned}}/complete"),
    Trespass("another student's cropped photo", "student", "GET", f"{CROP}/{{victim_crop}}/original"),
    Trespass("download another student's cropped photo", "student", "GET", f"{CROP}/{{victim_crop}}/download"),
    Trespass("another student's case page", "student", "GET", "/coa-frontend/foreign-student/cases/{victim_student_case}"),
    Trespass("withdraw another student's case", "student", "POST", "/coa-frontend/foreign-student/progress/{victim_student_case}/withdraw"),
    Trespass("a file of another account's case through the officer console", "gold-card", "GET", "/officer/files/{victim_case_file}", login=OFFICER_LOGIN),
    Trespass("the gateway with another method's address", "gold-card", "GET", "/mock-gateway/tw-card/{victim_card_token}"),
]  # fmt: skip


def _objects_fill(text: str, objects: Objects) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: objects[match.group(1)], text)


@pytest.mark.parametrize("case", OTHER_ACCOUNT, ids=[case.id for case in OTHER_ACCOUNT])
def test_other_account(access_world, objects, judge, case):
    world = access_world
    browser = world.session(case.session)
    url = _objects_fill(case.path, objects)
    data = {key: _objects_fill(str(value), objects) for key, value in case.data.items()}
    before = _posted_snapshot(world, case.method)
    if case.method == "GET":
        response = browser.get(url, follow_redirects=False)
    else:
        response = browser.post(url, data=data, follow_redirects=False)
    after = _posted_snapshot(world, case.method)
    problems, did = _access_refused(
        response, case.login or "/nowhere", before, after, statuses=case.statuses
    )
    if response.status_code == 200:
        victim_ids = [value for key, value in objects.values.items() if key.startswith("victim")]
        problems += [f"shows {text!r}" for text in case.absent if text in response.text]
        if case.absent == () and any(v in response.text for v in victim_ids):
            problems.append("shows the victim's ids")
    judge(REFUSED, problems, did)


@dataclass(frozen=True)
class WrongSide:
    id: str
    session: str
    method: str
    path: str
    login: str


WRONG_SIDE = [
    WrongSide("applicant opens the officer console", "gold-card", "GET", "/officer", OFFICER_LOGIN),
    WrongSide("applicant opens the officer's case list", "gold-card", "GET", "/officer/cases", OFFICER_LOGIN),
    WrongSide("applicant opens a case in the officer console", "gold-card", "GET", "/officer/cases/{own_submitted}", OFFICER_LOGIN),
    WrongSide("applicant approves its own case", "gold-card", "POST", "/officer/cases/{own_submitted}/approve", OFFICER_LOGIN),
    WrongSide("applicant rejects a case", "gold-card", "POST", "/officer/cases/{victim_submitted}/reject", OFFICER_LOGIN),
    WrongSide("applicant asks for a supplement", "gold-card", "POST", "/officer/cases/{victim_submitted}/supplement", OFFICER_LOGIN),
    WrongSide("applicant marks a card ready", "gold-card", "POST", "/officer/cases/{own_paid_case}/card-ready", OFFICER_LOGIN),
    WrongSide("student opens the officer console", "student", "GET", "/officer/cases", OFFICER_LOGIN),
    WrongSide("student approves its own case", "student", "POST", "/officer/cases/{own_student_case}/approve", OFFICER_LOGIN),
    WrongSide("officer opens the Gold Card home", "officer", "GET", "/coa-frontend/gold-card/home", LOGIN),
    WrongSide("officer opens the other-reason home", "officer", "GET", "/coa-frontend/other-reason/home", LOGIN),
    WrongSide("officer opens the student home", "officer", "GET", "/coa-frontend/foreign-student/home", STUDENT_LOGIN),
    WrongSide("officer opens an applicant's draft list", "officer", "GET", f"{APPLY}/drafts", LOGIN),
    WrongSide("officer withdraws an applicant's case", "officer", "POST", "/coa-frontend/gold-card/progress/{victim_submitted}/withdraw", LOGIN),
    WrongSide("officer opens an applicant's receipt", "officer", "GET", "/coa-frontend/gold-card/downloads/receipts/{victim_paid_case}", LOGIN),
    WrongSide("student opens the Gold Card home", "student", "GET", "/coa-frontend/gold-card/home", LOGIN),
    WrongSide("student opens the other-reason application", "student", "GET", f"{OTHER}/new", LOGIN),
    WrongSide("four-in-one account opens the student home", "gold-card", "GET", "/coa-frontend/foreign-student/home", STUDENT_LOGIN),
    WrongSide("four-in-one account uploads to the student form", "gold-card", "POST", f"{EXTENSION}/uploads", STUDENT_LOGIN),
    WrongSide("four-in-one account crops a student photo", "gold-card", "POST", CROP, STUDENT_LOGIN),
]  # fmt: skip


@pytest.mark.parametrize("case", WRONG_SIDE, ids=[case.id for case in WRONG_SIDE])
def test_wrong_side(access_world, objects, judge, case):
    world = access_world
    browser = world.session(case.session)
    url = _objects_fill(case.path, objects)
    before = _posted_snapshot(world, case.method)
    response = _send(browser, case.method, url, case.path)
    after = _posted_snapshot(world, case.method)
    problems, did = _access_refused(response, case.login, before, after)
    judge(REFUSED, problems, did)


# -- malformed ids in every path parameter

BAD_IDS = {"20 digits": "9" * 20, "negative": "-1", "not a number": "abc", "over-long": "7" * 5_000}
PARAM_ROUTES = [
    ("anonymous", "GET", "/coa-frontend/four-in-one/entry/not-offered/{feature}", {"feature": "faq"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/cases/{number}", {"slug": "gold-card", "number": "own_case"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/menu/{item}", {"slug": "gold-card", "item": "todo"}),
    ("other-reason", "GET", f"{OTHER}/uploads/{{token}}", {"token": "own_upload"}),
    ("gold-card", "GET", f"{APPLY}/uploads/{{token}}", {"token": "own_gold_upload"}),
    ("gold-card", "GET", f"{APPLY}/drafts/{{draft_id}}/edit", {"draft_id": "own_draft"}),
    ("gold-card", "POST", f"{APPLY}/drafts/{{draft_id}}/save", {"draft_id": "own_draft"}),
    ("gold-card", "GET", f"{APPLY}/drafts/{{draft_id}}/preview", {"draft_id": "own_draft"}),
    ("gold-card", "GET", f"{APPLY}/drafts/{{draft_id}}", {"draft_id": "own_draft"}),
    ("gold-card", "POST", f"{APPLY}/drafts/{{draft_id}}/delete", {"draft_id": "own_draft"}),
    ("gold-card", "POST", f"{APPLY}/drafts/{{draft_id}}/submit", {"draft_id": "own_draft"}),
    ("gold-card", "GET", f"{APPLY}/complete/{{number}}", {"number": "own_case"}),
    ("gold-card", "GET", f"{CHANGE}/uploads/{{token}}", {"token": "own_change_upload"}),
    ("gold-card", "GET", f"{CHANGE}/complete/{{number}}", {"number": "own_change_case"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/progress", {"slug": "gold-card"}),
    ("gold-card", "POST", "/coa-frontend/{slug}/progress/{number}/withdraw", {"slug": "gold-card", "number": "own_submitted"}),
    ("officer", "GET", "/officer/cases/{number}", {"number": "own_submitted"}),
    ("officer", "POST", "/officer/cases/{number}/supplement", {"number": "own_submitted"}),
    ("officer", "POST", "/officer/cases/{number}/approve", {"number": "own_submitted"}),
    ("officer", "POST", "/officer/cases/{number}/reject", {"number": "own_submitted"}),
    ("officer", "POST", "/officer/cases/{number}/card-ready", {"number": "own_submitted"}),
    ("officer", "GET", "/officer/files/{upload_id}", {"upload_id": "own_case_file"}),
    ("gold-card", "GET", f"{SUPPLEMENTS}/{{number}}", {"number": "own_returned"}),
    ("gold-card", "GET", f"{SUPPLEMENTS}/{{number}}/form", {"number": "own_returned"}),
    ("gold-card", "GET", f"{SUPPLEMENTS}/uploads/{{token}}", {"token": "own_supplement_upload"}),
    ("gold-card", "POST", f"{SUPPLEMENTS}/{{number}}/form", {"number": "own_returned"}),
    ("gold-card", "GET", f"{SUPPLEMENTS}/{{number}}/complete", {"number": "own_returned"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/payment", {"slug": "gold-card"}),
    ("gold-card", "POST", "/coa-frontend/{slug}/payment", {"slug": "gold-card"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/payment/detail", {"slug": "gold-card"}),
    ("gold-card", "POST", "/coa-frontend/{slug}/payment/detail", {"slug": "gold-card"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/payment/methods", {"slug": "gold-card"}),
    ("gold-card", "POST", "/coa-frontend/{slug}/payment/methods", {"slug": "gold-card"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/payment/slips/{token}", {"slug": "gold-card", "token": "own_store_token"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/payment/results/{token}", {"slug": "gold-card", "token": "own_card_token"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/downloads/receipts", {"slug": "gold-card"}),
    ("gold-card", "GET", "/coa-frontend/{slug}/downloads/receipts/{number}", {"slug": "gold-card", "number": "own_paid_case"}),
    ("gold-card", "GET", "/mock-gateway/{method}/{token}", {"method": "convenience-store", "token": "own_store_token"}),
    ("gold-card", "POST", "/mock-gateway/{method}/{token}/pay", {"method": "convenience-store", "token": "own_store_token"}),
    ("gold-card", "POST", "/mock-gateway/{method}/{token}/cancel", {"method": "convenience-store", "token": "own_store_token"}),
    ("anonymous", "GET", "/coa-frontend/register/verify/{username}/{token}", {"username": "lan2024", "token": "abcdef"}),
    ("anonymous", "GET", "/coa-frontend/register/reset/{username}/{token}", {"username": "lan2024", "token": "abcdef"}),
    ("anonymous", "POST", "/coa-frontend/register/reset/{username}/{token}", {"username": "lan2024", "token": "abcdef"}),
    ("student", "GET", f"{EXTENSION}/uploads/{{token}}", {"token": "own_student_upload"}),
    ("student", "GET", f"{CROP}/{{token}}/{{which}}", {"token": "own_crop", "which": "original"}),
    ("anonymous", "GET", "/mailbox/{address}/{mail_id}", {"address": "lan@student.example.edu.tw", "mail_id": "1"}),
]  # fmt: skip
# A login name or a mailed token is not an id: it may be "abc" or "-1"; only its length is bounded.
_NAMES = {"username", "address"}
MALFORMED = [
    (session, method, path, good, name, label, bad)
    for session, method, path, good in PARAM_ROUTES
    for name in good
    if name != "address"
    for label, bad in BAD_IDS.items()
    if name not in _NAMES or label == "over-long"
]


@pytest.mark.parametrize(
    ("session", "method", "path", "good", "name", "label", "bad"),
    MALFORMED,
    ids=[
        f"{m} {p.replace('{' + n + '}', '<' + label + '>')}"
        for _, m, p, _, n, label, _ in MALFORMED
    ],
)
def test_malformed_id(access_world, objects, judge, session, method, path, good, name, label, bad):
    world = access_world
    browser = world.browser() if session == "anonymous" else world.session(session)
    values = {key: (objects.values.get(value, value)) for key, value in good.items()}
    values[name] = bad
    url = _fill(path, values)
    before = _posted_snapshot(world, method)
    response = _send(browser, method, url, path)
    after = _posted_snapshot(world, method)
    # A mailed link's page says the link is dead (410); for anything else: not found.
    statuses = (404, 410) if path.startswith("/coa-frontend/register/") else (404,)
    problems, did = _access_refused(response, "/nowhere", before, after, statuses=statuses)
    judge(REFUSED, problems, did)


# -- the mock as deployed: no control API, no mailbox


def _student_in_database(world: World, username: str, email: str) -> None:
    """A verified student account, written straight into the database (no control API)."""
    with world.app.state.sessions() as db:
        if db.scalars(select(Account).where(Account.username == username)).first() is None:
            db.add(Account(system="student", role="self", username=username,
                           password_hash=hash_password(PASSWORD), display_name="NGUYEN THI LAN",
                           email=email, verified=True, extra={}))  # fmt: skip
            db.commit()


BARE = [
    ("the mailbox of an address", "GET", "/mailbox/lan@student.example.edu.tw"),
    ("a mail in the mailbox", "GET", "/mailbox/lan@student.example.edu.tw/1"),
    ("the mailbox's root", "GET", "/mailbox/"),
    ("the control API's cases", "GET", "/__mock__/cases"),
    ("the control API's mail", "GET", "/__mock__/mail"),
    ("the control API's captcha answer", "GET", "/__mock__/captcha"),
    ("the control API's account state", "GET", "/__mock__/accounts/lan2024"),
    ("the control API creating an account", "POST", "/__mock__/accounts"),
    ("the control API wiping the platform", "POST", "/__mock__/reset"),
    ("the control API moving the clock", "POST", "/__mock__/clock"),
    ("the control API deciding a case", "POST", "/__mock__/cases/000000000000/review"),
    ("forgot password shows no reset link", "FORGOT", ""),
    ("a guessed reset token is dead", "GUESS", ""),
    ("a new password with a guessed reset token", "RESET", ""),
]


@pytest.mark.parametrize(("name", "method", "path"), BARE, ids=[name for name, _, _ in BARE])
def test_without_control_api(bare_world, judge, name, method, path):
    world = bare_world
    username, email = "lan2024", "lan@student.example.edu.tw"
    _student_in_database(world, username, email)
    with world.app.state.sessions() as db:
        hash_before = db.scalars(
            select(Account.password_hash).where(Account.username == username)
        ).one()
    browser = world.browser()
    problems: list[str] = []
    if method == "GET":
        response = browser.get(path, follow_redirects=False)
        statuses: tuple[int, ...] = (404,)
    elif method == "POST":
        response = browser.post(path, json={"username": "intruder", "action": "approve",
                                            "advance_seconds": 9999}, follow_redirects=False)  # fmt: skip
        statuses = (404,)
    elif method == "FORGOT":
        response = browser.post(FORGOT, data={"username": username, "email": email})
        statuses = (200,)
        if "/coa-frontend/register/reset/" in response.text:
            problems.append("the page shows the reset link")
    else:
        guessed = f"/coa-frontend/register/reset/{username}/{secrets.token_urlsafe(24)}"
        if method == "GUESS":
            response = browser.get(guessed)
        else:
            response = browser.post(
                guessed, data={"password": "owned1234", "password_confirm": "owned1234"}
            )
        statuses = (404, 410)
        if "owned1234" in response.text:
            problems.append("the password is shown back")
    with world.app.state.sessions() as db:
        hash_after = db.scalars(
            select(Account.password_hash).where(Account.username == username)
        ).one()
    if hash_after != hash_before:
        problems.append("the student's password changed")
    if server_error(response):
        problems.append(f"a server error ({response.status_code})")
    elif response.status_code not in statuses:
        problems.append(f"status {response.status_code}, not {statuses}")
    did = f"{response.status_code} «{brief(messages(response))}»"
    judge(REFUSED, problems, did)


# ============================================================================ 4. CSRF


@dataclass
class Target:
    """A real request a browser of the platform would send, ready to be forged."""

    cookies: dict[str, str]
    url: str
    data: dict[str, Any]
    multipart: bool = False
    closed: str = ""  # a page that must stay closed (a login, a flow's next step)
    file: tuple[str, bytes] = ("forged.png", b"")  # the file part of a multipart request
    keeps_captcha: bool = False  # the browser's captcha must stay the one it was shown


def _cookies(browser: Any) -> dict[str, str]:
    return {SESSION_COOKIE: browser.cookies[SESSION_COOKIE]}


def _anonymous_with_page(world: World, page: str) -> Any:
    browser = world.browser()
    assert browser.get(page).status_code == 200
    return browser


@pytest.fixture(scope="module")
def targets(csrf_world) -> dict[str, Target]:
    """Every state-changing route of the app, with a session and a body it would accept."""
    world = csrf_world
    found: dict[str, Target] = {}

    def add(route: str, browser: Any, url: str, data: dict[str, Any], **more: Any) -> None:
        found[route] = Target(_cookies(browser), url, data, **more)

    browser = _anonymous_with_page(world, f"{LOGIN}?system=gold-card")
    add("/coa-frontend/four-in-one/login", browser, LOGIN,
        {"username": "alice", "password": PASSWORD, "captcha": captcha_of(browser),
         "system": "gold-card", "role": "self"}, closed="/coa-frontend/gold-card/home")  # fmt: skip
    browser = _anonymous_with_page(world, f"{LOGIN}?system=gold-card")
    add("/coa-frontend/four-in-one/captcha/next", browser, "/coa-frontend/four-in-one/captcha/next",
        {}, keeps_captcha=True)  # fmt: skip

    # 其他事由: consent, query, uploads, submit
    browser = world.browser()
    login_four(browser, "alice", "other-reason")
    add(f"{OTHER}/consent", browser, f"{OTHER}/consent", {"agree": "yes"})
    browser = world.browser()
    opened = open_other_reason_query(world, browser)
    add(f"{OTHER}/query", browser, opened.url, opened.data, closed=f"{OTHER}/form")
    browser = world.browser()
    opened = open_other_reason(world, browser)
    add(f"{OTHER}/uploads", browser, f"{OTHER}/uploads", {"field": "passport"}, multipart=True)
    add(f"{OTHER}/submit", browser, opened.url, opened.data)

    # 就業金卡: eligibility, questions, consent, uploads, save, the drafts
    browser = world.browser()
    opened = open_questions(world, browser)
    add(f"{APPLY}/eligibility", browser, f"{APPLY}/eligibility",
        {"uino": opened.data["uino"], "birth_date": BIRTH})  # fmt: skip
    add(f"{APPLY}/questions", browser, opened.url, opened.data, closed=f"{APPLY}/new")
    browser = world.browser()
    opened = open_questions(world, browser)
    assert browser.post(opened.url, data=opened.data).status_code == 303
    add(f"{APPLY}/consent", browser, f"{APPLY}/consent", {"agree": "yes"})
    browser = world.browser()
    opened = open_gold_card(world, browser)
    add(f"{APPLY}/uploads", browser, f"{APPLY}/uploads", {"field": "passport"}, multipart=True)
    add(f"{APPLY}/save", browser, opened.url, opened.data)
    saver = world.browser()
    opened = open_gold_card(world, saver)
    saved = saver.post(opened.url, data=opened.data)
    assert saved.status_code == 303, messages(saved)
    draft_id = re.search(r"/drafts/(\d+)/", saved.headers["location"]).group(1)
    preview = saver.get(f"{APPLY}/drafts/{draft_id}/preview").text
    submit_token = re.search(r'name="submit_token" value="([^"]+)"', preview).group(1)
    add(f"{APPLY}/drafts/{{draft_id}}/save", saver, f"{APPLY}/drafts/{draft_id}/save",
        {**opened.data, "occupation": "forged"})  # fmt: skip
    add(f"{APPLY}/drafts/{{draft_id}}/delete", saver, f"{APPLY}/drafts/{draft_id}/delete", {})
    add(f"{APPLY}/drafts/{{draft_id}}/submit", saver, f"{APPLY}/drafts/{draft_id}/submit",
        {"submit_token": submit_token})  # fmt: skip

    # 資料異動: consent, query, uploads, submit
    browser = world.browser()
    login_four(browser, "alice", "gold-card")
    add(f"{CHANGE}/consent", browser, f"{CHANGE}/consent", {"agree": "yes"})
    browser = world.browser()
    opened = open_change_query(world, browser)
    add(f"{CHANGE}/query", browser, opened.url, opened.data, closed=f"{CHANGE}/form")
    browser = world.browser()
    opened = open_data_change(world, browser)
    add(
        f"{CHANGE}/uploads", browser, f"{CHANGE}/uploads", {"field": "new_passport"}, multipart=True
    )
    add(f"{CHANGE}/submit", browser, opened.url, opened.data)

    # 案件撤銷, the officer, 補正
    browser = world.session("gold-card")
    number = world.new_case("alice", status="已送件")
    add("/coa-frontend/{slug}/progress/{number}/withdraw", browser,
        f"/coa-frontend/gold-card/progress/{number}/withdraw", {})  # fmt: skip
    browser = _anonymous_with_page(world, OFFICER_LOGIN)
    add(OFFICER_LOGIN, browser, OFFICER_LOGIN,
        {"username": OFFICER[0], "password": OFFICER[1], "captcha": captcha_of(browser)},
        closed="/officer/cases")  # fmt: skip
    officer = world.browser()
    login_officer(officer, *OFFICER)
    number = world.new_case("bob", status="已送件")
    paid = world.new_case("bob", status="待繳費")
    with world.app.state.sessions() as db:  # paid at the counter: the card may be made
        row = db.scalars(select(Case).where(Case.number == paid)).one()
        row.status, row.paid_at = "已繳費", START
        db.commit()
    for action, data in (("supplement", {"comment-1": "請補件。"}), ("approve", {}),
                         ("reject", {"reason": "資格不符。"}), ("card-ready", {})):  # fmt: skip
        add(f"/officer/cases/{{number}}/{action}", officer,
            f"/officer/cases/{paid if action == 'card-ready' else number}/{action}", data)  # fmt: skip
    browser = world.browser()
    opened = open_supplement(world, browser)
    add(
        f"{SUPPLEMENTS}/uploads",
        browser,
        f"{SUPPLEMENTS}/uploads",
        {"field": "passport"},
        multipart=True,
    )
    add(f"{SUPPLEMENTS}/{{number}}/form", browser, opened.url, opened.data)

    # 線上繳費 and the gateway
    root = "/coa-frontend/gold-card/payment"
    browser = world.browser()
    login_four(browser, "alice", "gold-card")
    number = world.new_case("alice", fee=5300)
    add("/coa-frontend/{slug}/payment", browser, root, {"cases": [number]}, closed=f"{root}/detail")
    browser = world.browser()
    login_four(browser, "alice", "gold-card")
    number = world.new_case("alice", fee=5300)
    assert browser.post(root, data={"cases": [number]}).status_code == 303
    add(
        "/coa-frontend/{slug}/payment/detail",
        browser,
        f"{root}/detail",
        {},
        closed=f"{root}/methods",
    )
    browser = world.browser()
    opened = open_payment_methods(world, browser)
    add("/coa-frontend/{slug}/payment/methods", browser, opened.url, opened.data)
    browser = world.browser()
    opened = open_gateway(world, browser)
    add("/mock-gateway/{method}/{token}/pay", browser, opened.url, opened.data)
    add("/mock-gateway/{method}/{token}/cancel", browser, opened.url.replace("/pay", "/cancel"), {})

    # The student system
    browser = _anonymous_with_page(world, STUDENT_LOGIN)
    add(STUDENT_LOGIN, browser, STUDENT_LOGIN,
        {"username": "lan2024", "password": PASSWORD, "captcha": captcha_of(browser)},
        closed="/coa-frontend/foreign-student/home")  # fmt: skip
    browser = _anonymous_with_page(world, REGISTER)
    opened = open_registration(world, browser)
    add(REGISTER, browser, REGISTER, opened.data)
    browser = _anonymous_with_page(world, RESEND)
    opened = open_resend(world, browser)
    add(RESEND, browser, RESEND, opened.data)
    browser = _anonymous_with_page(world, FORGOT)
    add(FORGOT, browser, FORGOT, open_forgot(world, browser).data)
    browser = world.browser()
    opened = _open_reset(world, browser)
    add("/coa-frontend/register/reset/{username}/{token}", browser, opened.url, opened.data)
    browser = world.browser()
    opened = open_student_start(world, browser)
    add(f"{EXTENSION}/new", browser, opened.url, opened.data, closed=f"{EXTENSION}/form")
    browser = world.browser()
    opened = open_student(world, browser)
    add(
        f"{EXTENSION}/uploads",
        browser,
        f"{EXTENSION}/uploads",
        {"field": "passport"},
        multipart=True,
    )
    add(f"{EXTENSION}/submit", browser, opened.url, opened.data)
    add(CROP, browser, CROP, {}, multipart=True, file=("me.jpg", files.photo()))
    return found


POST_ROUTES = [
    "/coa-frontend/four-in-one/login", "/coa-frontend/four-in-one/captcha/next",
    f"{OTHER}/consent", f"{OTHER}/query", f"{OTHER}/uploads", f"{OTHER}/submit",
    f"{APPLY}/eligibility", f"{APPLY}/questions", f"{APPLY}/consent", f"{APPLY}/uploads",
    f"{APPLY}/save", f"{APPLY}/drafts/{{draft_id}}/save", f"{APPLY}/drafts/{{draft_id}}/delete",
    f"{APPLY}/drafts/{{draft_id}}/submit", f"{CHANGE}/consent", f"{CHANGE}/query",
    f"{CHANGE}/uploads", f"{CHANGE}/submit", "/coa-frontend/{slug}/progress/{number}/withdraw",
    OFFICER_LOGIN, "/officer/cases/{number}/supplement", "/officer/cases/{number}/approve",
    "/officer/cases/{number}/reject", "/officer/cases/{number}/card-ready",
    f"{SUPPLEMENTS}/uploads", f"{SUPPLEMENTS}/{{number}}/form", "/coa-frontend/{slug}/payment",
    "/coa-frontend/{slug}/payment/detail", "/coa-frontend/{slug}/payment/methods",
    "/mock-gateway/{method}/{token}/pay", "/mock-gateway/{method}/{token}/cancel",
    STUDENT_LOGIN, REGISTER, RESEND, FORGOT, "/coa-frontend/register/reset/{username}/{token}",
    f"{EXTENSION}/new", f"{EXTENSION}/uploads", f"{EXTENSION}/submit", CROP,
]  # fmt: skip
EVIL = "https://evil.example"
FORGERIES = {
    "no token": ({}, "", csrf.REFUSED),
    "a wrong token": ({"X-CSRF-Token": "0" * 64}, "", csrf.REFUSED),
    "another session's token in the form": ({}, "other", csrf.REFUSED),
    "the right token from another site (Origin)": ({"Origin": EVIL}, "right", csrf.FOREIGN),
    "the right token from another site (Referer only)": (
        {"Referer": f"{EVIL}/page"},
        "right",
        csrf.FOREIGN,
    ),
}
SENSITIVE = [OFFICER_LOGIN, "/officer/cases/{number}/approve",
             "/coa-frontend/{slug}/progress/{number}/withdraw", "/mock-gateway/{method}/{token}/pay"]  # fmt: skip
FORGED = [(route, name) for route in POST_ROUTES for name in FORGERIES] + [
    (route, "the right token from a sandboxed page (Origin: null)") for route in SENSITIVE
]


def test_every_state_changing_route_is_forged(csrf_world):
    world = csrf_world
    """The CSRF table covers every POST route of the app but the control API (not an input)."""
    from fastapi.routing import iter_route_contexts

    posts = {
        route.path
        for route in iter_route_contexts(world.app.routes)
        if "POST" in (route.methods or ()) and not (route.path or "").startswith("/__mock__/")
    }
    assert posts == set(POST_ROUTES)


@pytest.mark.parametrize(("route", "forgery"), FORGED, ids=[f"{f} → POST {r}" for r, f in FORGED])
def test_forged(csrf_world, targets, judge, route, forgery):
    world = csrf_world
    target = targets[route]
    secret = world.app.state.settings.secret_key
    headers, token, refusal_text = FORGERIES.get(
        forgery, ({"Origin": "null"}, "right", csrf.FOREIGN)
    )
    headers = dict(headers)
    data = dict(target.data)
    if token == "right":
        headers["X-CSRF-Token"] = csrf.token_for(secret, target.cookies[SESSION_COOKIE])
    elif token == "other":
        data["csrftoken"] = csrf.token_for(secret, secrets.token_urlsafe(24))
    client = world.plain(target.cookies)
    shown = captcha_of(client) if target.keeps_captcha else ""
    before = world.snapshot()
    if target.multipart:
        upload = (target.file[0], target.file[1] or files.png())
        sent = client.post(target.url, data=data, files={"file": upload}, headers=headers)
    else:
        sent = client.post(target.url, data=data, headers=headers)
    after = world.snapshot()
    more = []
    if target.closed:
        # With the cookies the answer set: a forged login must not have started a session.
        page = client.get(target.closed)
        if page.status_code != 303:
            more.append(f"{target.closed} opened ({page.status_code})")
    if target.keeps_captcha and captcha_of(client) != shown:
        more.append("the captcha was changed")
    problems, did = refusal(
        sent, before, after, labels=(refusal_text,), statuses=(403,), more=tuple(more)
    )
    judge(REFUSED, problems, did)


# ============================================================================ 5. concurrency


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with LiveMock(tmp_path_factory.mktemp("hostile-live"), name="hostile") as mock:
        mock.set_clock(START.isoformat(), frozen=False)
        yield Live(mock)


def test_concurrent(live, request, hostile_results):
    """A table: one server for every row (starting it is the slow part), each row an input."""
    failing = []
    for name, expected, run in CONCURRENT:
        logged = live.mock.log_path.read_text(encoding="utf-8", errors="replace")
        try:
            problems, did = run(live)
        except Exception as error:  # a row that could not even be set up is a failing input
            problems, did = [f"the input could not run: {type(error).__name__}: {error}"], "—"
        log = live.mock.log_path.read_text(encoding="utf-8", errors="replace")[len(logged) :]
        if "Traceback" in log:
            problems.append(
                "the server logged a traceback: " + brief(log.strip().splitlines()[-1], 120)
            )
        nodeid = f"{request.node.nodeid}::{name}"
        wrong = "; ".join(problems)
        report.record(
            hostile_results,
            report.Outcome(nodeid, "concurrency", expected, not problems,
                           brief(f"{did} — {wrong}" if problems else did, 400)),
        )  # fmt: skip
        report.mark_done(hostile_results, nodeid, "concurrency")
        if problems:
            failing.append(f"{name}: expected {expected}; the mock answered {did}; wrong: {wrong}")
    assert not failing, "[concurrency]\n" + "\n".join(failing)


# ============================================================================ 6. officer login


@pytest.mark.parametrize(
    ("name", "expected", "run"), OFFICER_LOGINS, ids=[n for n, _, _ in OFFICER_LOGINS]
)
def test_officer_login(officer_world, judge, name, expected, run):
    problems, did = run(officer_world)
    judge(expected, problems, did)
