"""大頭照自動裁切: turn an ordinary photo into a 35×45 mm passport-style ID photo.

Applicants upload phone snapshots, not studio photos, and the officer then rejects them
for the wrong framing. This service finds the face with OpenCV's Haar frontal-face
cascade and frames it the way a passport photo is framed (the head about 70–80 % of
the height, the face centred left to right, the eyes a little above the middle). When
no face is found it still returns the largest centred 35:45 crop, with a notice asking
the applicant to check the result, so a clean photo is never refused just because the
detector missed it.

The result is a 413×531 JPEG (35×45 mm at 300 dpi) under the platform's 512K limit.
Everything is deterministic: the same upload always gives the same bytes, so tests and
the review screen can compare outputs.
"""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps

from mock_platform.rules import uploads as upload_rules

OUTPUT_SIZE = (413, 531)  # 35×45 mm at 300 dpi: Taiwan's passport photo size
LIMIT_KB = 512  # the processed photo must be under this, like every other image upload
FIELD = "大頭照檔案上傳"
NO_FACE_NOTICE = (
    "未偵測到臉部，已改以圖片中央裁切；請確認處理後的照片符合規格（臉部正面、五官清楚）。"
)
FACE_FOUND_NOTICE = "已偵測到臉部，並依護照照片比例（3.5 × 4.5 公分）自動裁切。"

# The original may be a full-resolution camera photo, far over LIMIT_KB; cropping and
# re-encoding is what brings it under, so only absurd uploads are refused outright.
# Its pixels are bounded by the upload gate's budget (rules/uploads.py, MAX_PIXELS),
# checked from the header before anything is decoded.
MAX_UPLOAD_KB = 5 * 1024
# Below this the 413×531 output would be a blurry upscale of almost nothing.
MIN_SIZE = (200, 260)
ACCEPTED_KINDS = frozenset({"JPEG", "PNG", "BMP"})

# Passport framing (see _face_crop). Haar's box runs from the forehead to about the chin;
# the crown is roughly half a box above it and the chin a tenth of a box below, so the
# whole head is ~1.6 boxes tall. A crop 2.1 boxes tall puts the head at ~75 % of the
# height (the rule is 70–80 %), and the box centre at 53 % from the top leaves ~8 % of
# air above the crown and the neck and shoulders below the chin. With the centre any
# higher (45 %) the crown of a full hairdo is cut off.
CROP_HEIGHT_PER_FACE = 2.1
FACE_CENTRE_FROM_TOP = 0.53
ASPECT_W, ASPECT_H = 35, 45

# Detection runs on a copy no larger than this (longest side): Haar cost grows with the
# pixel count, and a face big enough for an ID photo is still found at this scale.
DETECT_MAX_SIDE = 1024
JPEG_QUALITY = 90
MIN_JPEG_QUALITY = 40
# A colour profile is normally a few KB; a freak one must not push the photo over LIMIT_KB.
MAX_ICC_BYTES = 64 * 1024

Box = tuple[int, int, int, int]  # x, y, w, h


class PhotoRejected(ValueError):
    """An upload the crop refuses; the text names the field so it can be shown as is."""


@dataclass(frozen=True)
class CroppedPhoto:
    """The processed photo and how it was framed.

    Boxes are (x, y, w, h) in pixels of the original after its EXIF orientation has been
    applied, i.e. the photo as the applicant sees it, so the page can draw them over it.
    """

    jpeg: bytes
    face_found: bool
    face_box: Box | None
    crop_box: Box
    notice: str
    original_kind: str  # JPEG, PNG or BMP: how the original is served back


def crop_passport_photo(data: bytes) -> CroppedPhoto:
    """Crop ``data`` (a JPEG, PNG or BMP upload) to a passport-style 413×531 JPEG.

    Raises PhotoRejected, with a message naming the field, for an empty, oversized,
    non-image or too small upload, and for anything the upload gate refuses (too many
    pixels, damaged, bytes after the image). CPU-bound: call it from a worker thread.
    """
    kind = _pass_gate(data)
    # The crop holds decoded copies of the original: it takes a decoding slot as the gate does.
    with upload_rules.DECODE_SLOTS:
        return _crop(data, kind)


def _crop(data: bytes, kind: str) -> CroppedPhoto:
    image = _open(data, kind)
    face = _largest_face(image)
    if face is None:
        crop = _centre_crop(image.size)
        notice = NO_FACE_NOTICE
    else:
        crop = _face_crop(face, image.size)
        notice = FACE_FOUND_NOTICE
    x, y, w, h = crop
    framed = image.crop((x, y, x + w, y + h)).resize(OUTPUT_SIZE, Image.Resampling.LANCZOS)
    return CroppedPhoto(
        jpeg=_encode(framed, icc_profile=image.info.get("icc_profile")),
        face_found=face is not None,
        face_box=face,
        crop_box=crop,
        notice=notice,
        original_kind=kind,
    )


def _pass_gate(data: bytes) -> str:
    """The upload gate every upload passes (rules/uploads.py), judged by content alone:
    the original's kind, or PhotoRejected with the gate's message."""
    if not data:
        raise PhotoRejected(f"{FIELD}：請先選擇檔案")
    too_big = upload_rules.size_problem(FIELD, len(data), limit_kb=MAX_UPLOAD_KB)
    if too_big:
        raise PhotoRejected(too_big)
    try:
        # Judged by content, not by name: a PDF or a renamed text file is refused here.
        kind = upload_rules.identify(FIELD, data)
        if kind not in ACCEPTED_KINDS:
            raise PhotoRejected(f"{FIELD}：檔案格式須為 JPG、JPEG、PNG 或 BMP 圖檔")
        upload_rules.check_content(FIELD, data, kind)
    except upload_rules.UploadRejected as refused:
        raise PhotoRejected(str(refused)) from None
    return kind


def _open(data: bytes, kind: str) -> Image.Image:
    """The upload, already through the gate, as an upright RGB image of a usable size."""
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as opened:
            icc_profile = opened.info.get("icc_profile")
            # Phones store photos sideways and record the turn in EXIF; undo it first so
            # the face is upright for the detector and for the crop.
            upright = ImageOps.exif_transpose(opened)
            image = _to_rgb(upright)
    except Exception as error:  # the gate decoded it already; a failure here is still "damaged"
        raise PhotoRejected(f"{FIELD}：檔案內容已損毀或不完整，無法開啟，請重新上傳") from error
    image.info.pop("icc_profile", None)
    if icc_profile and len(icc_profile) <= MAX_ICC_BYTES:
        image.info["icc_profile"] = icc_profile
    width, height = image.size
    min_width, min_height = MIN_SIZE
    if width < min_width or height < min_height:
        raise PhotoRejected(
            f"{FIELD}：圖片太小（寬 {width}、高 {height} 像素），"
            f"請上傳至少 {min_width} × {min_height} 像素的照片"
        )
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white: ID photos need a plain light background."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


@functools.cache
def _cascade() -> cv2.CascadeClassifier:
    """The frontal-face cascade, parsed once: reading its XML takes longer than a detection."""
    path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():
        raise RuntimeError(f"cannot load the Haar cascade at {path}")
    return cascade


# OpenCV does not promise that one CascadeClassifier may be used by several threads at
# once, and the web server runs requests in a thread pool.
_DETECT_LOCK = threading.Lock()


def _largest_face(image: Image.Image) -> Box | None:
    """The biggest frontal face in ``image`` (x, y, w, h in its pixels), or None.

    The largest one is the applicant; smaller hits are people behind them or faces on a
    poster.
    """
    width, height = image.size
    scale = min(1.0, DETECT_MAX_SIDE / max(width, height))
    small = image
    if scale < 1.0:
        small_size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = image.resize(small_size, Image.Resampling.BILINEAR)
    gray = cv2.equalizeHist(cv2.cvtColor(np.asarray(small), cv2.COLOR_RGB2GRAY))
    # A face smaller than a tenth of the picture is too small to make an ID photo from.
    min_side = max(24, min(small.size) // 10)
    with _DETECT_LOCK:
        found = _cascade().detectMultiScale(
            gray, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side)
        )
    if len(found) == 0:
        return None
    # Ties are broken by position so the choice never depends on the detector's order.
    fx, fy, fw, fh = max(
        (tuple(int(v) for v in face) for face in found),
        key=lambda face: (face[2] * face[3], -face[1], -face[0]),
    )
    if scale == 1.0:
        return fx, fy, fw, fh
    x, y = round(fx / scale), round(fy / scale)
    right, bottom = min(width, round((fx + fw) / scale)), min(height, round((fy + fh) / scale))
    return x, y, right - x, bottom - y


def _face_crop(face: Box, image_size: tuple[int, int]) -> Box:
    """A 35:45 rectangle framing ``face`` like a passport photo, kept inside the image.

    The crop is CROP_HEIGHT_PER_FACE face boxes tall, with the face centred left to right
    and its centre FACE_CENTRE_FROM_TOP down from the top; near an edge the rectangle slides inward rather than
    cutting the head off, and it shrinks only if the image itself is too small.
    """
    fx, fy, fw, fh = face
    width, height = _fit_aspect(round(fh * CROP_HEIGHT_PER_FACE), image_size)
    centre_x = fx + fw / 2
    centre_y = fy + fh / 2
    left = _clamp(round(centre_x - width / 2), 0, image_size[0] - width)
    top = _clamp(round(centre_y - height * FACE_CENTRE_FROM_TOP), 0, image_size[1] - height)
    return left, top, width, height


def _centre_crop(image_size: tuple[int, int]) -> Box:
    """The largest 35:45 rectangle in the middle of the image, for when no face is found."""
    width, height = _fit_aspect(image_size[1], image_size)
    return (image_size[0] - width) // 2, (image_size[1] - height) // 2, width, height


def _fit_aspect(wanted_height: int, image_size: tuple[int, int]) -> tuple[int, int]:
    """(w, h) in 35:45 with h as near ``wanted_height`` as the image allows."""
    image_width, image_height = image_size
    height = min(wanted_height, image_height)
    width = round(height * ASPECT_W / ASPECT_H)
    if width > image_width:
        width = image_width
        height = min(image_height, round(width * ASPECT_H / ASPECT_W))
    return max(1, width), max(1, height)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def _encode(image: Image.Image, *, icc_profile: bytes | None) -> bytes:
    """JPEG at 300 dpi under LIMIT_KB, lowering the quality only if it has to.

    EXIF is dropped on purpose: the orientation is already applied, and a phone's EXIF
    carries the place and time the photo was taken, which the platform has no use for.
    The colour profile is kept so colours look the same as in the original.
    """
    quality = JPEG_QUALITY
    while True:
        buffer = io.BytesIO()
        image.save(
            buffer,
            "JPEG",
            quality=quality,
            dpi=(300, 300),
            optimize=True,
            icc_profile=icc_profile,
        )
        if buffer.tell() < LIMIT_KB * 1024 or quality <= MIN_JPEG_QUALITY:
            return buffer.getvalue()
        quality -= 10
