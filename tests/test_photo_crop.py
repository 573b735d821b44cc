"""大頭照自動裁切: face-centred passport crop, the no-face fallback, and refused uploads."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from fixtures.sample_files import (
    PORTRAIT,
    make_face_photo,
    make_faceless_photo,
    make_oversize_jpeg,
    make_passport_pdf,
    make_text_renamed_pdf,
)
from mock_platform.services import photo_crop
from mock_platform.services.photo_crop import (
    FACE_FOUND_NOTICE,
    FIELD,
    LIMIT_KB,
    NO_FACE_NOTICE,
    OUTPUT_SIZE,
    PhotoRejected,
    crop_passport_photo,
)

PREFIX = f"{FIELD}："


@pytest.fixture(scope="module")
def face_bytes(tmp_path_factory):
    return make_face_photo(tmp_path_factory.mktemp("photos") / "face.jpg").read_bytes()


@pytest.fixture(scope="module")
def faceless_bytes(tmp_path_factory):
    return make_faceless_photo(tmp_path_factory.mktemp("photos") / "landscape.jpg").read_bytes()


@pytest.fixture(scope="module")
def face_result(face_bytes):
    return crop_passport_photo(face_bytes)


def _size(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _faces(data):
    """Faces the same Haar cascade finds in a JPEG, as (x, y, w, h) tuples."""
    with Image.open(io.BytesIO(data)) as image:
        gray = cv2.equalizeHist(cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2GRAY))
    side = min(gray.shape) // 10
    found = photo_crop._cascade().detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=5, minSize=(side, side)
    )
    return [tuple(int(v) for v in face) for face in found]


def _inside(inner, outer):
    ix, iy, iw, ih = inner
    ox, oy, ow, oh = outer
    return ox <= ix and oy <= iy and ix + iw <= ox + ow and iy + ih <= oy + oh


def test_committed_portrait_has_exactly_one_face():
    assert len(_faces(PORTRAIT.read_bytes())) == 1


def test_face_is_found_in_the_astronaut_photo(face_result):
    assert face_result.face_found
    assert face_result.face_box is not None
    assert face_result.notice == FACE_FOUND_NOTICE


def test_output_is_a_413_by_531_jpeg_under_the_limit(face_result):
    with Image.open(io.BytesIO(face_result.jpeg)) as image:
        assert image.format == "JPEG"
        assert image.size == OUTPUT_SIZE == (413, 531)
        assert image.mode == "RGB"
        assert round(image.info["dpi"][0]) == 300
    assert len(face_result.jpeg) < LIMIT_KB * 1024


def test_crop_box_is_35_by_45_and_inside_the_original(face_bytes, face_result):
    x, y, w, h = face_result.crop_box
    assert abs(w - h * 35 / 45) <= 1
    width, height = _size(face_bytes)
    assert _inside(face_result.crop_box, (0, 0, width, height))


def test_face_is_framed_like_a_passport_photo(face_result):
    fx, fy, fw, fh = face_result.face_box
    cx, cy, cw, ch = face_result.crop_box
    assert _inside(face_result.face_box, face_result.crop_box)
    assert 0.40 <= fh / ch <= 0.65
    # Centred left to right; a little below the middle, leaving room above the crown.
    assert abs((fx + fw / 2) - (cx + cw / 2)) <= 1
    assert 0.40 <= (fy + fh / 2 - cy) / ch <= 0.60


def test_the_processed_photo_still_shows_a_centred_face(face_result):
    faces = _faces(face_result.jpeg)
    assert faces
    x, _, w, _ = max(faces, key=lambda face: face[2] * face[3])
    width = OUTPUT_SIZE[0]
    assert width / 3 <= x + w / 2 <= width * 2 / 3


def test_the_raw_512_portrait_is_cropped_too():
    result = crop_passport_photo(PORTRAIT.read_bytes())
    assert result.face_found
    assert _inside(result.crop_box, (0, 0, 512, 512))
    assert _size(result.jpeg) == OUTPUT_SIZE


def test_exif_rotated_photo_is_turned_upright_first(face_bytes, face_result):
    # A phone stores the pixels sideways and says "rotate 90° clockwise" (orientation 6).
    with Image.open(io.BytesIO(face_bytes)) as image:
        sideways = image.transpose(Image.Transpose.ROTATE_90)
        exif = Image.Exif()
        exif[0x0112] = 6
        buffer = io.BytesIO()
        sideways.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    result = crop_passport_photo(buffer.getvalue())
    assert result.face_found
    # Same face, give or take the detector's few pixels after a second JPEG round.
    for got, want in zip(result.face_box, face_result.face_box, strict=True):
        assert abs(got - want) <= 12


def test_faceless_photo_falls_back_to_a_centred_crop(faceless_bytes):
    result = crop_passport_photo(faceless_bytes)
    assert not result.face_found
    assert result.face_box is None
    assert result.notice == NO_FACE_NOTICE
    width, height = _size(faceless_bytes)
    x, y, w, h = result.crop_box
    assert h == height  # the largest 35:45 rectangle in a landscape is full height
    assert abs(w - h * 35 / 45) <= 1
    assert abs(x - (width - w - x)) <= 1 and y == 0
    assert _size(result.jpeg) == OUTPUT_SIZE
    assert len(result.jpeg) < LIMIT_KB * 1024


def test_same_photo_gives_the_same_bytes(face_bytes, faceless_bytes):
    assert crop_passport_photo(face_bytes) == crop_passport_photo(face_bytes)
    assert crop_passport_photo(faceless_bytes).jpeg == crop_passport_photo(faceless_bytes).jpeg


def test_png_with_transparency_is_laid_on_white(face_bytes):
    with Image.open(io.BytesIO(face_bytes)) as image:
        rgba = image.convert("RGBA")
    rgba.putalpha(0)  # fully transparent: all that is left is the white underlay
    buffer = io.BytesIO()
    rgba.save(buffer, "PNG")
    result = crop_passport_photo(buffer.getvalue())
    with Image.open(io.BytesIO(result.jpeg)) as image:
        assert min(image.convert("L").getextrema()) >= 250


def test_quality_is_lowered_until_under_the_limit(monkeypatch, face_bytes, face_result):
    limit_kb = len(face_result.jpeg) // 1024 - 5
    monkeypatch.setattr(photo_crop, "LIMIT_KB", limit_kb)
    result = crop_passport_photo(face_bytes)
    assert len(result.jpeg) < limit_kb * 1024
    assert _size(result.jpeg) == OUTPUT_SIZE


@pytest.mark.parametrize("maker", ["pdf", "text"])
def test_pdf_and_text_are_refused(tmp_path, maker):
    if maker == "pdf":
        data = make_passport_pdf(tmp_path / "passport.pdf", applicant_name="DOE, JANE").read_bytes()
    else:
        data = make_text_renamed_pdf(tmp_path / "note.jpg").read_bytes()
    with pytest.raises(PhotoRejected) as refused:
        crop_passport_photo(data)
    assert str(refused.value).startswith(PREFIX)
    assert "JPG、JPEG、PNG 或 BMP" in str(refused.value)


def test_empty_upload_is_refused():
    with pytest.raises(PhotoRejected, match=f"^{PREFIX}請先選擇檔案"):
        crop_passport_photo(b"")


def test_tiny_image_is_refused_naming_the_field():
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), (200, 200, 200)).save(buffer, "JPEG")
    with pytest.raises(PhotoRejected) as refused:
        crop_passport_photo(buffer.getvalue())
    message = str(refused.value)
    assert message.startswith(PREFIX)
    assert "寬 100、高 100" in message and "200 × 260" in message


def test_truncated_image_is_refused(face_bytes):
    with pytest.raises(PhotoRejected, match=f"^{PREFIX}"):
        crop_passport_photo(face_bytes[: len(face_bytes) // 2])


def test_original_over_5_mb_is_refused(tmp_path):
    data = make_oversize_jpeg(tmp_path / "huge.jpg", min_kb=5 * 1024 + 50).read_bytes()
    with pytest.raises(PhotoRejected) as refused:
        crop_passport_photo(data)
    assert str(refused.value).startswith(PREFIX)
    assert "超過上限" in str(refused.value)


def test_large_original_under_5_mb_is_accepted(face_bytes):
    # A phone photo is far over the 512K output limit; only the output must be under it.
    with Image.open(io.BytesIO(face_bytes)) as image:
        big = image.resize((2048, 2048), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    big.save(buffer, "PNG")
    assert buffer.tell() > LIMIT_KB * 1024
    result = crop_passport_photo(buffer.getvalue())
    assert result.face_found
    assert len(result.jpeg) < LIMIT_KB * 1024
