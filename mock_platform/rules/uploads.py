"""Upload rules of the 應檢附文件 block: the one gate every uploaded file passes.

The tutorials list JPG|JPEG|PNG|BMP|PDF "under 1024K". A name is easy to fake, so the
file is opened: images by Pillow, PDFs by pypdf. The extension must agree with what
the content turns out to be, and a PDF must not be encrypted (T5.11: 「上傳的文件請勿加密」):
the reviewing officer could not open it.

Uploads come from anyone, so the gate also holds against files made to hurt: it never
raises anything but ``UploadRejected`` (a message naming the field, shown as is), and it
looks before it spends: the name and the size first, then the image's pixel count as
its header states it, and only then a full decode. A file must also end where its
format says it ends (nothing smuggled behind the image or the PDF), and a PDF must not
carry anything a viewer would run (JavaScript, automatic or launch actions, embedded
files, rich media, XFA forms).

Everything here is CPU work on untrusted bytes: callers run it in a worker thread.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from mock_platform.rules import text

EXTENSION_KINDS: dict[str, str] = {
    ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".bmp": "BMP", ".pdf": "PDF",
}  # fmt: skip
IMAGE_KINDS = frozenset({"JPEG", "PNG", "BMP"})
# Pillow tries only these decoders: any other plugin is attack surface we never need.
_IMAGE_FORMATS = sorted(IMAGE_KINDS)
ALLOWED_TEXT = "JPG、JPEG、PNG、BMP 或 PDF"

# The pixel budget, read from the header before anything is decoded. A decoded pixel
# takes up to 4 bytes, and a 17 KB PNG can claim 12000×12000 (144 MP, up to 580 MB).
# 40 megapixels (at most 160 MB decoded) is beyond any document a person scans or
# photographs: an A4 page is 2480×3508 at 300 dpi (8.7 MP) and 4960×7016 at 600 dpi
# (34.8 MP); a 12 MP phone photo is 4032×3024. A side over 10000 px is no document
# either (a 100000×400 strip fits the pixel count). Pillow's own bomb check starts at
# 89 MP, so it only fires for files this budget refuses anyway.
MAX_PIXELS = 40_000_000
MAX_SIDE = 10_000

# A name is shown back to the applicant and the officer: 100 characters before the
# extension is more than any real file name; an extension is at most ".jpeg".
MAX_STEM_CHARS = 100
MAX_SUFFIX_CHARS = 10
# Characters Windows allows in no file name, so no file dialog there sends them; "<", ">"
# and '"' are markup besides. ":" stays allowed: macOS files show a "/" typed in Finder
# as ":", as in "2024:07:30 passport.pdf".
_NAME_SYMBOLS = '<>"|?*'

# Bytes allowed after a JPEG's EOI: hardware encoders pad a still to a 4-byte boundary
# with NULs (every Raspberry Pi camera frame ends FF D9 00 00 00) and some cameras pad
# with 0xFF. A few such bytes carry nothing; anything else is a payload.
_JPEG_PADDING_MAX = 16
# After a PDF's last %%EOF writers put a line break ("\n", "\r\n"); allow a little PDF
# white-space (NUL, TAB, LF, FF, CR, space: ISO 32000-1, 7.2.2) and nothing else.
_PDF_TAIL_MAX = 32
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "
# Objects a PDF of at most a few megabytes can plausibly hold; past this it is made to
# keep the checker busy rather than to be read.
_MAX_PDF_NODES = 200_000
# Decoding is where the memory goes (up to MAX_PIXELS × 4 bytes an image), and the thread
# pool runs up to 40 checks at once: only a few decode at the same time, the rest wait.
DECODE_SLOTS = threading.BoundedSemaphore(4)

# What each kind of active content is called in a message.
_JAVASCRIPT = "JavaScript 程式"
_AUTO_ACTION = "自動執行的動作（/AA）"
_OPEN_ACTION = "開啟時自動執行的動作（/OpenAction）"
_LAUNCH = "開啟外部程式的動作（/Launch）"
_EMBEDDED = "內嵌檔案（/EmbeddedFile）"
_RICH_MEDIA = "多媒體內容（/RichMedia）"
_XFA = "XFA 動態表單"
# Dictionary keys that are active content wherever they appear.
_ACTIVE_KEYS: dict[str, str] = {
    "/JS": _JAVASCRIPT,
    "/JavaScript": _JAVASCRIPT,  # the catalog's /Names tree of document scripts
    "/AA": _AUTO_ACTION,
    "/EmbeddedFiles": _EMBEDDED,
    "/EF": _EMBEDDED,  # a file specification's embedded file stream
    "/RichMediaContent": _RICH_MEDIA,
    "/XFA": _XFA,
}
# Names that make an action or an annotation active, as the value of /S, /Subtype or /Type.
_ACTIVE_NAMES: dict[str, str] = {
    "/JavaScript": _JAVASCRIPT,
    "/Launch": _LAUNCH,
    "/EmbeddedFile": _EMBEDDED,
    "/FileAttachment": _EMBEDDED,
    "/GoToE": _EMBEDDED,
    "/RichMedia": _RICH_MEDIA,
    "/RichMediaExecute": _RICH_MEDIA,
}
_KIND_KEYS = ("/S", "/Subtype", "/Type")
# A link may lead to a web page or an e-mail; "javascript:" runs a script in the viewer,
# "file:" and the like open something on the officer's computer.
_SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_UNSAFE_LINK = "會執行程式或開啟本機檔案的連結（{scheme}:）"
_URI_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# A last net over the raw bytes, for objects no reference reaches. Only long names:
# short ones (/JS, /AA) turn up by chance in a megabyte of compressed data.
_RAW_ACTIVE = re.compile(rb"/(JavaScript|Launch|EmbeddedFile|RichMedia)")
_RAW_NAMES: dict[bytes, str] = {
    b"JavaScript": _JAVASCRIPT,
    b"Launch": _LAUNCH,
    b"EmbeddedFile": _EMBEDDED,
    b"RichMedia": _RICH_MEDIA,
}


class UploadRejected(ValueError):
    """A file the platform refuses; the text names the field and what is wrong."""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the gate: what it is, and its name as it may be shown."""

    kind: str
    filename: str


class _OverBudget(Exception):
    """An image whose header states more pixels than the budget (None: Pillow refused it)."""

    def __init__(self, size: tuple[int, int] | None) -> None:
        super().__init__(size)
        self.size = size


# --------------------------------------------------------------------------- the gate


def validate(
    label: str, filename: str, data: bytes, *, limit_kb: int, images_only: bool = False
) -> str:
    """Return the content kind of an acceptable file, or raise UploadRejected."""
    return check(label, filename, data, limit_kb=limit_kb, images_only=images_only).kind


def check(
    label: str, filename: str, data: bytes, *, limit_kb: int, images_only: bool = False
) -> CheckedFile:
    """The whole gate: the file's kind and cleaned name, or UploadRejected naming ``label``."""
    if not data:
        raise UploadRejected(f"{label}：檔案是空的，請重新選擇檔案")
    name = check_name(label, filename)
    suffix = PurePath(name).suffix.lower()
    expected = _expected_kind(label, suffix, images_only=images_only)
    too_big = size_problem(label, len(data), limit_kb=limit_kb)
    if too_big:
        raise UploadRejected(too_big)
    actual = identify(label, data)
    if actual is None:
        raise UploadRejected(
            f"{label}：檔案內容不是有效的 {expected} 檔（副檔名為 {suffix}，但內容不符），"
            "請上傳正確的檔案"
        )
    if actual != expected:
        raise UploadRejected(
            f"{label}：副檔名 {suffix} 與檔案內容（{actual}）不符，請上傳正確的檔案"
        )
    check_content(label, data, actual)
    return CheckedFile(kind=actual, filename=name)


def _expected_kind(label: str, suffix: str, *, images_only: bool) -> str:
    expected = EXTENSION_KINDS.get(suffix)
    if expected is None or (images_only and expected == "PDF"):
        allowed = "JPG、JPEG、PNG 或 BMP 圖檔" if images_only else ALLOWED_TEXT
        shown = suffix or "（無副檔名）"
        raise UploadRejected(f"{label}：檔案格式須為 {allowed}，您選擇的檔案是 {shown}")
    return expected


def size_problem(label: str, size: int, *, limit_kb: int) -> str | None:
    """The message for a file of ``size`` bytes that is not under ``limit_kb``, else None."""
    size_kb = size / 1024
    if size_kb < limit_kb:
        return None
    return f"{label}：檔案大小為 {size_kb:,.0f}K，超過上限，檔案請小於 {limit_kb}K"


# --------------------------------------------------------------------------- the name


def check_name(label: str, filename: str) -> str:
    """``filename`` as it may be stored and shown (NFC, trimmed), or UploadRejected.

    Control and bidirectional characters are refused rather than stripped: a name that
    reads differently than it is (「gpj.exe」 shown for "exe.jpg") is a trick, not a typo.
    Path parts are refused too: browsers send the bare name, only a forged request
    sends "../../x.png"; and so are symbols no Windows file name has (markup among them).
    """
    name = unicodedata.normalize("NFC", filename)
    if "/" in name or "\\" in name:
        raise UploadRejected(f"{label}：檔案名稱不可包含路徑（/ 或 \\），請重新命名檔案後再上傳")
    if any(symbol in name for symbol in _NAME_SYMBOLS):
        raise UploadRejected(
            f"{label}：檔案名稱不可包含 {' '.join(_NAME_SYMBOLS)} 等符號，請重新命名檔案後再上傳"
        )
    try:
        # text.clean is the platform's one control-character rule; no length limit here.
        name = text.clean(label, name, max_length=len(name))
    except text.TextRejected:
        raise UploadRejected(
            f"{label}：檔案名稱含有無法顯示的控制字元（例如 NUL 或文字方向控制字元），"
            "請重新命名檔案後再上傳"
        ) from None
    path = PurePath(name)
    if len(path.stem) > MAX_STEM_CHARS or len(path.suffix) > MAX_SUFFIX_CHARS:
        raise UploadRejected(
            f"{label}：檔案名稱太長（{len(name):,} 個字），副檔名前最多 {MAX_STEM_CHARS} 個字，"
            "請縮短檔名後再上傳"
        )
    return name


# --------------------------------------------------------------------------- the kind


def identify(label: str, data: bytes) -> str | None:
    """What the bytes are, JPEG, PNG, BMP or PDF, from the header; None for anything else.

    Nothing is decoded: an image's header is read and checked against the pixel budget
    (UploadRejected naming ``label`` if over it) before Pillow verifies its structure.
    """
    if data.startswith(b"%PDF-"):
        return "PDF" if _pdf_reader(data) is not None else None
    try:
        return _image_kind(data)
    except _OverBudget as over:
        raise UploadRejected(_pixels_message(label, over.size)) from None


def sniff(data: bytes) -> str | None:
    """What the bytes really are: JPEG, PNG, BMP, PDF, or None for anything else
    (an image over the pixel budget included)."""
    try:
        return identify("", data)
    except UploadRejected:
        return None


def _image_kind(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data), formats=_IMAGE_FORMATS) as image:
            kind, size = image.format, image.size
            if _over_budget(size):
                raise _OverBudget(size)
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refused the header's size itself (the warning is raised only where
        # warnings are errors); either way it is far over the budget.
        raise _OverBudget(None) from None
    except _OverBudget:
        raise
    except Exception:  # hostile bytes reach Pillow's internals: any failure is "not an image"
        return None
    return kind if kind in IMAGE_KINDS else None


def _over_budget(size: tuple[int, int]) -> bool:
    width, height = size
    return width * height > MAX_PIXELS or max(width, height) > MAX_SIDE


def _pixels_message(label: str, size: tuple[int, int] | None) -> str:
    stated = "像素數量遠超過上限" if size is None else f"寬 {size[0]:,}、高 {size[1]:,} 像素"
    return (
        f"{label}：圖片尺寸過大（{stated}），請縮小至 {MAX_PIXELS // 10_000:,} 萬像素以內、"
        f"長寬都不超過 {MAX_SIDE:,} 像素後再上傳"
    )


def is_encrypted_pdf(data: bytes) -> bool:
    """A PDF with a password or other encryption; only called on bytes sniffed as PDF."""
    reader = _pdf_reader(data)
    return reader is not None and reader.is_encrypted


def _pdf_reader(data: bytes) -> PdfReader | None:
    try:
        return PdfReader(io.BytesIO(data))
    except Exception:  # hostile bytes reach pypdf's internals: any failure is "not a PDF"
        return None


# --------------------------------------------------------------------------- the content


def check_content(label: str, data: bytes, kind: str) -> None:
    """The deep checks of bytes ``identify`` found to be ``kind``: UploadRejected if any fails."""
    if kind == "PDF":
        _check_pdf(label, data)
    else:
        _check_image(label, data, kind)


def _damaged(label: str) -> UploadRejected:
    return UploadRejected(f"{label}：檔案內容已損毀或不完整，無法開啟，請重新上傳")


def _check_image(label: str, data: bytes, kind: str) -> None:
    """Fully decoded (a truncated file fails here), then nothing after the image's end."""
    try:
        with DECODE_SLOTS, Image.open(io.BytesIO(data), formats=[kind]) as image:
            if _over_budget(image.size):  # identify() saw the same header; callers may skip it
                raise _OverBudget(image.size)
            image.load()
    except _OverBudget as over:
        raise UploadRejected(_pixels_message(label, over.size)) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(_pixels_message(label, None)) from None
    except Exception:  # any decoder failure on untrusted bytes means "damaged"
        raise _damaged(label) from None
    end = _IMAGE_ENDS[kind](data)
    if end is None:
        raise _damaged(label)
    tail = data[end:]
    if tail and not (kind == "JPEG" and _is_jpeg_padding(tail)):
        raise UploadRejected(_trailing_message(label, f"{kind} 圖檔結束", len(tail)))


def _trailing_message(label: str, where: str, count: int) -> str:
    return (
        f"{label}：檔案在 {where}之後還夾帶了 {count:,} 位元組的其他資料，"
        "請以原本的軟體重新存檔後再上傳"
    )


def _is_jpeg_padding(tail: bytes) -> bool:
    return len(tail) <= _JPEG_PADDING_MAX and (not tail.strip(b"\x00") or not tail.strip(b"\xff"))


# Markers without a length field: TEM and the restart markers RST0–RST7.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def _jpeg_end(data: bytes) -> int | None:
    """Just past the EOI that ends the image, following the segments (an EOI inside an
    EXIF thumbnail or a forged FF D9 in a payload is not the end), or None if none."""
    pos, size = 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            return None
        while pos < size and data[pos] == 0xFF:  # fill bytes may precede a marker
            pos += 1
        if pos >= size:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return pos
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0x00, 0xD8) or pos + 2 > size:
            return None
        pos += int.from_bytes(data[pos : pos + 2], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data follows the header
            pos = _end_of_scan(data, pos)
    return None


def _end_of_scan(data: bytes, pos: int) -> int:
    """Where the marker after a scan's entropy-coded data starts (or the end of data)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
            pos += 2
            continue
        return pos


def _png_end(data: bytes) -> int | None:
    """Just past the IEND chunk, walking the chunks from the signature; None if none."""
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunk = data[pos + 4 : pos + 8]
        pos += 12 + length
        if chunk == b"IEND":
            return pos if pos <= len(data) else None
    return None


def _bmp_end(data: bytes) -> int | None:
    """The file size the BMP header declares; when it declares 0, the pixel array's end."""
    declared = int.from_bytes(data[2:6], "little")
    if declared:
        return declared
    offset = int.from_bytes(data[10:14], "little")
    header_size = int.from_bytes(data[14:18], "little")
    if header_size < 40:  # an OS/2 core header states no image size
        return None
    image_size = int.from_bytes(data[34:38], "little")
    if image_size:
        return offset + image_size
    width = int.from_bytes(data[18:22], "little", signed=True)
    height = int.from_bytes(data[22:26], "little", signed=True)
    bits = int.from_bytes(data[28:30], "little")
    compression = int.from_bytes(data[30:34], "little")
    if compression not in (0, 3, 6):  # only uncompressed rows have a size to compute
        return None
    return offset + (abs(width) * bits + 31) // 32 * 4 * abs(height)


_IMAGE_ENDS = {"JPEG": _jpeg_end, "PNG": _png_end, "BMP": _bmp_end}


def _check_pdf(label: str, data: bytes) -> None:
    """Not encrypted, nothing after %%EOF, every object readable, no active content."""
    reader = _pdf_reader(data)
    if reader is None:
        raise _damaged(label)
    if reader.is_encrypted:
        raise UploadRejected(
            f"{label}：檔案已加密（設有密碼保護），審核人員無法開啟，請上傳未加密的檔案"
        )
    tail = _after_last_eof(data)
    if tail is None:
        raise _damaged(label)
    if len(tail) > _PDF_TAIL_MAX or tail.strip(_PDF_WHITESPACE):
        raise UploadRejected(_trailing_message(label, "PDF 結尾（%%EOF）", len(tail)))
    try:
        found = _active_content(reader)
    except _TooComplex:
        raise UploadRejected(
            f"{label}：PDF 檔的結構過於複雜，無法檢查，請以「列印成 PDF」另存後再上傳"
        ) from None
    except Exception:  # a broken object deep in a hostile file means "damaged"
        raise _damaged(label) from None
    found = found or _raw_active_content(data)
    if found:
        raise UploadRejected(
            f"{label}：PDF 檔含有{found}，基於安全考量無法受理，"
            "請移除後重新存檔（例如以「列印成 PDF」另存）再上傳"
        )


def _after_last_eof(data: bytes) -> bytes | None:
    marker = data.rfind(b"%%EOF")
    return None if marker < 0 else data[marker + len(b"%%EOF") :]


class _TooComplex(Exception):
    """More objects than a document of the allowed size plausibly has."""


def _active_content(reader: PdfReader) -> str | None:
    """What active content the document carries (for the message), or None.

    Every object reachable from the trailer is looked at, the catalog and every page's
    annotations included, whatever the nesting; stream data is never decoded. Walking
    the page tree first also proves every page can be read.
    """
    _check_page_tree(reader)
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            found = _active_in(node)
            if found:
                return found
            stack.extend(dict.values(node))  # as stored: references are followed above
        elif isinstance(node, ArrayObject):
            stack.extend(list(node))
        else:
            continue
        visited += 1
        if visited > _MAX_PDF_NODES:
            raise _TooComplex
    return None


def _check_page_tree(reader: PdfReader) -> None:
    """Every page resolves, and there are as many as the tree declares: a viewer that
    trusts a /Count of a billion would set out to lay out a billion pages."""
    pages = len(reader.pages)
    declared = reader.root_object["/Pages"].get("/Count")
    if pages == 0 or declared != pages:
        raise ValueError(f"{pages} pages, /Count {declared}")


def _active_in(node: DictionaryObject) -> str | None:
    for key in node:
        if key in _ACTIVE_KEYS:
            return _ACTIVE_KEYS[key]
    for key in _KIND_KEYS:
        value = node.get(key)
        if isinstance(value, NameObject) and value in _ACTIVE_NAMES:
            return _ACTIVE_NAMES[value]
    if "/OpenAction" in node and _is_action(node["/OpenAction"]):
        return _OPEN_ACTION
    if node.get("/S") == "/URI":
        return _unsafe_link(node.get("/URI"))
    return None


def _unsafe_link(uri: object) -> str | None:
    """What is wrong with a link's target, or None for a web page, an e-mail, a relative one."""
    # Viewers ignore blanks and control characters, so "java\tscript:" is "javascript:".
    raw = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
    target = re.sub(r"[\x00-\x20\x7f]", "", raw)
    scheme = _URI_SCHEME.match(target)
    if scheme is None or scheme.group(1).lower() in _SAFE_LINK_SCHEMES:
        return None
    return _UNSAFE_LINK.format(scheme=scheme.group(1).lower())


def _is_action(value: object) -> bool:
    """An /OpenAction that does something: a destination (an array) or a plain /GoTo
    only turns to a page, which word processors write and nothing runs."""
    if not isinstance(value, DictionaryObject):
        return False
    return value.get("/S") != "/GoTo" or "/Next" in value


def _raw_active_content(data: bytes) -> str | None:
    match = _RAW_ACTIVE.search(data)
    return None if match is None else _RAW_NAMES[match.group(1)]
