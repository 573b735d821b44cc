"""Upload rules of the 應檢附文件 block: type judged by content, and the size limit.

The tutorials list JPG|JPEG|PNG|BMP|PDF "under 1024K". A name is easy to fake, so the
file is opened: images by Pillow, PDFs by pypdf. The extension must agree with what
the content turns out to be, and a PDF must not be encrypted (T5.11: 「上傳的文件請勿加密」):
the reviewing officer could not open it.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

EXTENSION_KINDS: dict[str, str] = {
    ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".bmp": "BMP", ".pdf": "PDF",
}  # fmt: skip
IMAGE_KINDS = frozenset({"JPEG", "PNG", "BMP"})
ALLOWED_TEXT = "JPG、JPEG、PNG、BMP 或 PDF"


class UploadRejected(ValueError):
    """A file the platform refuses; the text names the field and what is wrong."""


def sniff(data: bytes) -> str | None:
    """What the bytes really are: JPEG, PNG, BMP, PDF, or None for anything else."""
    if data.startswith(b"%PDF-"):
        try:
            PdfReader(io.BytesIO(data))
        except (PdfReadError, ValueError, KeyError, OSError):
            return None
        return "PDF"
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    return kind if kind in IMAGE_KINDS else None


def is_encrypted_pdf(data: bytes) -> bool:
    """A PDF with a password or other encryption; only called on bytes sniffed as PDF."""
    try:
        return PdfReader(io.BytesIO(data)).is_encrypted
    except (PdfReadError, ValueError, KeyError, OSError):
        return False


def size_problem(label: str, size: int, *, limit_kb: int) -> str | None:
    """The message for a file of ``size`` bytes that is not under ``limit_kb``, else None."""
    size_kb = size / 1024
    if size_kb < limit_kb:
        return None
    return f"{label}：檔案大小為 {size_kb:,.0f}K，超過上限，檔案請小於 {limit_kb}K"


def validate(
    label: str, filename: str, data: bytes, *, limit_kb: int, images_only: bool = False
) -> str:
    """Return the content kind of an acceptable file, or raise UploadRejected."""
    suffix = PurePath(filename).suffix.lower()
    allowed = "JPG、JPEG、PNG 或 BMP 圖檔" if images_only else ALLOWED_TEXT
    if not data:
        raise UploadRejected(f"{label}：檔案是空的，請重新選擇檔案")
    expected = EXTENSION_KINDS.get(suffix)
    if expected is None or (images_only and expected == "PDF"):
        shown = suffix or "（無副檔名）"
        raise UploadRejected(f"{label}：檔案格式須為 {allowed}，您選擇的檔案是 {shown}")
    too_big = size_problem(label, len(data), limit_kb=limit_kb)
    if too_big:
        raise UploadRejected(too_big)
    actual = sniff(data)
    if actual is None:
        raise UploadRejected(
            f"{label}：檔案內容不是有效的 {expected} 檔（副檔名為 {suffix}，但內容不符），"
            "請上傳正確的檔案"
        )
    if actual != expected:
        raise UploadRejected(
            f"{label}：副檔名 {suffix} 與檔案內容（{actual}）不符，請上傳正確的檔案"
        )
    if actual == "PDF" and is_encrypted_pdf(data):
        raise UploadRejected(
            f"{label}：檔案已加密（設有密碼保護），審核人員無法開啟，請上傳未加密的檔案"
        )
    return actual
