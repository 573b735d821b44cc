"""Pure rules of the mock: 統一證號, receipt numbers, uploads and dates (no app, no browser)."""

from __future__ import annotations

import io
import random
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from fixtures import sample_files
from fixtures.uino import create_uino, with_bad_check_digit
from mock_platform.rules import dates, receipt, uino, uploads

FORMAT_MESSAGE = "統一證號格式錯誤"
CHECK_MESSAGE = "統一證號檢查碼錯誤"


# --- 統一證號 ---------------------------------------------------------------------------


def test_tutorial_number_is_valid():
    assert uino.validate("A800013146") == "A800013146"
    assert uino.is_valid("A800013146")


@pytest.mark.parametrize("wrong", [d for d in "0123456789" if d != "6"])
def test_every_wrong_last_digit_fails_the_check(wrong):
    number = "A80001314" + wrong
    assert not uino.is_valid(number)
    with pytest.raises(uino.UINumberError, match=CHECK_MESSAGE):
        uino.validate(number)


def test_check_digit_matches_the_national_id_weighting():
    # Independent of the fixtures: the textbook national ID A123456789 and the
    # agency's published new-format example A800000014 both complete correctly.
    assert uino.check_digit("A12345678") == 9
    assert uino.check_digit("A80000001") == 4
    assert uino.is_valid("A800000014")


@pytest.mark.parametrize(
    "value",
    [
        "AB12345678",  # old-format 居留證 number: two letters
        "A123456789",  # national ID layout: second digit 1/2, not 8/9
        "A700013146",  # second digit outside 8/9
        "A80001314",  # nine characters
        "A8000131460",  # eleven characters
        "1800013146",  # no letter
        "A80001314X",  # letter as check digit
        "A８00013146",  # full-width digit
        "A-800013146",
    ],
)
def test_old_and_malformed_formats_get_the_format_message(value):
    assert not uino.is_valid(value)
    with pytest.raises(uino.UINumberError) as caught:
        uino.validate(value)
    assert str(caught.value).startswith(FORMAT_MESSAGE)
    assert "A800013146" in str(caught.value)  # the example shown to the user


@pytest.mark.parametrize("value", ["", "   "])
def test_blank_number_is_required(value):
    with pytest.raises(uino.UINumberError, match="統一證號為必填"):
        uino.validate(value)


@pytest.mark.parametrize("typed", ["a800013146", " A800013146 ", "\ta800013146\n"])
def test_lower_case_and_surrounding_spaces_are_forgiven(typed):
    assert uino.validate(typed) == "A800013146"
    assert uino.is_valid(typed)


def test_two_hundred_generated_numbers_are_valid_and_their_broken_twins_are_not():
    seen = set()
    for seed in range(200):
        number = create_uino(rng=random.Random(seed))
        seen.add(number)
        assert uino.NEW_FORMAT.match(number), number
        assert uino.validate(number) == number
        assert uino.validate(number.lower()) == number
        broken = with_bad_check_digit(number)
        assert broken[:9] == number[:9] and broken != number
        assert not uino.is_valid(broken), broken
        with pytest.raises(uino.UINumberError, match=CHECK_MESSAGE):
            uino.validate(broken)
    assert len(seen) > 190  # the seeds really give different numbers


# --- receipt numbers ----------------------------------------------------------------------


def test_receipt_layout():
    number = receipt.make_number("other_reason", datetime(2026, 1, 1), 1)
    assert number.startswith("11555")
    assert len(number) == 12 and number.isdigit()
    assert number[:3] == "115"  # ROC year of 2026
    assert number[3:5] == receipt.SYSTEM_CODES["other_reason"] == "55"
    assert number[5:11] == "000001"
    assert int(number[11]) == receipt.luhn_digit(number[:11])
    assert receipt.is_valid(number)


def test_receipt_year_system_and_serial_vary():
    assert receipt.make_number("gold_card", datetime(2024, 7, 30), 1035).startswith("11351001035")
    assert receipt.make_number("other_reason", datetime(2027, 12, 31), 999_999)[:11] == (
        "11655999999"
    )
    assert receipt.roc_year(datetime(1912, 1, 1)) == 1


def test_luhn_digit_is_the_standard_one():
    assert receipt.luhn_digit("7992739871") == 3  # the textbook example


def test_receipt_rejects_any_changed_digit():
    number = receipt.make_number("other_reason", datetime(2026, 1, 1), 1)
    for position in range(12):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            changed = number[:position] + digit + number[position + 1 :]
            assert not receipt.is_valid(changed), changed


@pytest.mark.parametrize(
    "value", ["", "11555000001", "1155500000180", "11555000001X", "1155500O0018"]
)
def test_receipt_rejects_wrong_shapes(value):
    assert not receipt.is_valid(value)


@pytest.mark.parametrize("serial", [0, -1, 1_000_000])
def test_receipt_serial_out_of_range_raises(serial):
    with pytest.raises(ValueError, match="serial out of range"):
        receipt.make_number("other_reason", datetime(2026, 1, 1), serial)


def test_receipt_unknown_system_raises():
    with pytest.raises(KeyError):
        receipt.make_number("no_such_system", datetime(2026, 1, 1), 1)


# --- uploads ------------------------------------------------------------------------------

LABEL = "護照"
LIMIT = 1024


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("samples")
    return {
        "jpeg": sample_files.make_photo(folder / "photo.jpg").read_bytes(),
        "png": sample_files.make_permit_png(folder / "permit.png").read_bytes(),
        "pdf": sample_files.make_passport_pdf(
            folder / "passport.pdf", applicant_name="GREENING, G."
        ).read_bytes(),
        "text_pdf": sample_files.make_text_renamed_pdf(folder / "fake.pdf").read_bytes(),
        "bmp": _image_bytes("BMP", (40, 30)),
        "gif": _image_bytes("GIF", (40, 30)),
    }


def _image_bytes(kind: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, kind)
    return buffer.getvalue()


def png_of_exact_size(total: int) -> bytes:
    """A valid PNG of exactly ``total`` bytes: a small image plus a tEXt chunk as padding."""
    base = _image_bytes("PNG", (16, 16))
    keyword = "Comment"
    # A tEXt chunk costs 12 bytes (length, type, CRC) + keyword + NUL + text.
    text_length = total - len(base) - 12 - len(keyword) - 1
    info = PngInfo()
    info.add_text(keyword, "x" * text_length)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 120, 40)).save(buffer, "PNG", pnginfo=info)
    data = buffer.getvalue()
    assert len(data) == total
    return data


@pytest.mark.parametrize(
    ("filename", "key", "kind"),
    [
        ("photo.jpg", "jpeg", "JPEG"),
        ("PHOTO.JPEG", "jpeg", "JPEG"),
        ("permit.png", "png", "PNG"),
        ("scan.bmp", "bmp", "BMP"),
        ("passport.pdf", "pdf", "PDF"),
    ],
)
def test_real_files_are_accepted_with_their_kind(samples, filename, key, kind):
    assert uploads.validate(LABEL, filename, samples[key], limit_kb=LIMIT) == kind


def test_size_limit_is_strictly_under_1024k():
    exactly = png_of_exact_size(1024 * 1024)
    under = png_of_exact_size(1023 * 1024)
    assert uploads.validate(LABEL, "big.png", under, limit_kb=LIMIT) == "PNG"
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.validate(LABEL, "big.png", exactly, limit_kb=LIMIT)
    message = str(caught.value)
    assert message.startswith(f"{LABEL}：")
    assert "1,024K" in message and "小於 1024K" in message


def test_size_limit_follows_the_limit_parameter(samples):
    data = samples["jpeg"]
    just_above = len(data) // 1024 + 1  # the file is below this many KB
    assert uploads.validate(LABEL, "p.jpg", data, limit_kb=just_above) == "JPEG"
    with pytest.raises(uploads.UploadRejected, match="超過上限"):
        uploads.validate(LABEL, "p.jpg", data, limit_kb=just_above - 1)


def test_oversize_jpeg_from_the_fixtures_is_refused(tmp_path: Path):
    data = sample_files.make_oversize_jpeg(tmp_path / "big.jpg").read_bytes()
    assert len(data) > 1100 * 1024
    with pytest.raises(uploads.UploadRejected, match=f"^{LABEL}：檔案大小為 .*超過上限"):
        uploads.validate(LABEL, "big.jpg", data, limit_kb=LIMIT)


def test_text_named_pdf_is_refused_as_not_a_pdf(samples):
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.validate(LABEL, "passport.pdf", samples["text_pdf"], limit_kb=LIMIT)
    message = str(caught.value)
    assert message.startswith(f"{LABEL}：")
    assert "不是有效的 PDF 檔" in message


def test_broken_pdf_with_a_pdf_header_is_refused():
    data = b"%PDF-1.7\nthis is not really a PDF at all\n"
    with pytest.raises(uploads.UploadRejected, match="不是有效的 PDF 檔"):
        uploads.validate(LABEL, "passport.pdf", data, limit_kb=LIMIT)


def test_png_named_jpg_is_refused_as_a_mismatch(samples):
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.validate(LABEL, "permit.jpg", samples["png"], limit_kb=LIMIT)
    message = str(caught.value)
    assert message.startswith(f"{LABEL}：")
    assert ".jpg" in message and "PNG" in message and "不符" in message


@pytest.mark.parametrize(
    ("filename", "key"),
    [
        ("notes.txt", "text_pdf"),
        ("anim.gif", "gif"),
        ("no_extension", "jpeg"),
        ("x.jpg.exe", "jpeg"),
    ],
)
def test_other_extensions_are_refused(samples, filename, key):
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.validate(LABEL, filename, samples[key], limit_kb=LIMIT)
    message = str(caught.value)
    assert message.startswith(f"{LABEL}：檔案格式須為 JPG、JPEG、PNG、BMP 或 PDF")


def test_gif_content_behind_an_image_extension_is_refused(samples):
    with pytest.raises(uploads.UploadRejected, match="不是有效的 PNG 檔"):
        uploads.validate(LABEL, "anim.png", samples["gif"], limit_kb=LIMIT)


def test_empty_file_is_refused():
    with pytest.raises(uploads.UploadRejected, match=f"^{LABEL}：檔案是空的"):
        uploads.validate(LABEL, "photo.jpg", b"", limit_kb=LIMIT)


def test_images_only_refuses_a_pdf_but_takes_an_image(samples):
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.validate(
            "照片上傳", "passport.pdf", samples["pdf"], limit_kb=LIMIT, images_only=True
        )
    assert str(caught.value).startswith("照片上傳：檔案格式須為 JPG、JPEG、PNG 或 BMP 圖檔")
    assert uploads.validate("照片上傳", "p.jpg", samples["jpeg"], limit_kb=LIMIT, images_only=True)


@pytest.mark.parametrize("label", ["護照", "居留證", "照片上傳", "其他相關證明文件(無則免)"])
def test_every_refusal_starts_with_the_label(samples, label):
    cases = [
        ("x.jpg", b""),
        ("x.txt", samples["jpeg"]),
        ("x.pdf", samples["text_pdf"]),
        ("x.jpg", samples["png"]),
        ("x.png", png_of_exact_size(LIMIT * 1024)),
    ]
    for filename, data in cases:
        with pytest.raises(uploads.UploadRejected) as caught:
            uploads.validate(label, filename, data, limit_kb=LIMIT)
        assert str(caught.value).startswith(f"{label}："), (filename, str(caught.value))
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.validate(label, "x.pdf", samples["pdf"], limit_kb=LIMIT, images_only=True)
    assert str(caught.value).startswith(f"{label}：")


def test_sniff_reports_the_real_kind(samples):
    assert uploads.sniff(samples["jpeg"]) == "JPEG"
    assert uploads.sniff(samples["png"]) == "PNG"
    assert uploads.sniff(samples["bmp"]) == "BMP"
    assert uploads.sniff(samples["pdf"]) == "PDF"
    assert uploads.sniff(samples["gif"]) is None
    assert uploads.sniff(samples["text_pdf"]) is None


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024/07/30", date(2024, 7, 30)),
        (" 1999/09/09 ", date(1999, 9, 9)),
        ("2024/02/29", date(2024, 2, 29)),
    ],
)
def test_dates_in_yyyy_mm_dd_are_accepted(text, expected):
    assert dates.parse("出生日期(西元)", text) == expected


@pytest.mark.parametrize(
    "text", ["2024-07-30", "2024/7/30", "30/07/2024", "113/07/30", "", "2024/07/30 10:00"]
)
def test_other_date_layouts_are_refused_with_the_format(text):
    with pytest.raises(dates.DateError) as caught:
        dates.parse("護照效期(西元)", text)
    assert str(caught.value) == "護照效期(西元)：日期格式須為 YYYY/MM/DD（例如 2030/08/08）"


@pytest.mark.parametrize("text", ["2024/02/30", "2023/02/29", "2024/13/01", "2024/00/10"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(dates.DateError) as caught:
        dates.parse("護照效期(西元)", text)
    assert str(caught.value) == f"護照效期(西元)：{text} 不是有效的日期"


def test_show_round_trips():
    assert dates.show(date(2030, 8, 8)) == "2030/08/08"
    assert dates.parse("x", dates.show(date(2030, 8, 8))) == date(2030, 8, 8)
