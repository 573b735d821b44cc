"""Files made to hurt an upload gate, and a few honest ones to compare with.

Everything is generated here, from Pillow, pypdf and raw bytes, and cached per process
(the same bytes every time; pypdf's encryption aside). ``raw_pdf`` writes a PDF object
by object with a correct cross-reference table, for what pypdf's writer will not
produce (names spelt with # escapes, cyclic page trees, incremental updates).
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zlib
from collections.abc import Callable

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

# ---------------------------------------------------------------------------- images


def image(
    kind: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **options: object
) -> bytes:
    colour: object = 128 if mode in ("1", "L") else (200, 120, 40)
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, kind, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


@functools.cache
def png() -> bytes:
    return image("PNG")


@functools.cache
def jpeg() -> bytes:
    return image("JPEG", (320, 240), quality=85)


@functools.cache
def bmp() -> bytes:
    return image("BMP", (40, 30))


@functools.cache
def photo() -> bytes:
    """An ID photo JPEG the photo fields and the crop take (413×531)."""
    rng = random.Random(7)
    picture = Image.new("RGB", (413, 531), (210, 220, 230))
    for _ in range(300):
        x, y = rng.randrange(413), rng.randrange(531)
        picture.putpixel((x, y), (rng.randrange(256), 90, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@functools.cache
def noise_png(side: int = 300) -> bytes:
    """A PNG whose pixel data does not compress: its IDAT is long enough to cut in half."""
    rng = random.Random(side)
    picture = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def noise_jpeg(min_kb: int) -> bytes:
    """A real JPEG of at least ``min_kb`` KB (noise barely compresses)."""
    rng = random.Random(min_kb)
    side = 400
    while True:
        picture = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=95)
        if buffer.tell() >= min_kb * 1024:
            return buffer.getvalue()
        side = int(side * 1.15)


def jpeg_between(low_kb: int, high_kb: int) -> bytes:
    """A real JPEG whose size is in [low_kb, high_kb) KB."""
    return _jpeg_between(low_kb, high_kb)


@functools.cache
def _jpeg_between(low_kb: int, high_kb: int) -> bytes:
    rng = random.Random(low_kb * 7 + high_kb)
    width = 300
    while width < 4000:
        height = 300
        picture = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=92)
        size = buffer.tell()
        if low_kb * 1024 <= size < high_kb * 1024:
            return buffer.getvalue()
        # Noise JPEGs grow about linearly with the width: aim at the middle.
        target = (low_kb + high_kb) / 2 * 1024
        width = max(width + 1, int(width * target / size))
    raise AssertionError(f"no JPEG between {low_kb} and {high_kb} KB")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int, *, idat: bytes = b"") -> bytes:
    """A PNG of a few dozen bytes whose header claims ``width``×``height`` RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(idat))
        + _png_chunk(b"IEND", b"")
    )


def png_bad_crc() -> bytes:
    data = bytearray(png())
    data[29] ^= 0xFF  # the IHDR chunk's CRC (8 signature + 4 length + 4 type + 13 body)
    return bytes(data)


def png_ztxt_bomb() -> bytes:
    """A valid small PNG carrying a zTXt chunk that inflates to 64 MB."""
    source = png()
    bomb = _png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"\x00" * (64 << 20), 9))
    return source[:-12] + bomb + source[-12:]


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF0) is patched to claim another size."""
    data = bytearray(jpeg())
    at = data.find(b"\xff\xc0")
    data[at + 5 : at + 7] = height.to_bytes(2, "big")
    data[at + 7 : at + 9] = width.to_bytes(2, "big")
    return bytes(data)


def bmp_claiming(width: int, height: int) -> bytes:
    """A small real BMP whose info header claims ``width``×``height`` pixels."""
    data = bytearray(bmp())
    data[18:22] = width.to_bytes(4, "little", signed=True)
    data[22:26] = height.to_bytes(4, "little", signed=True)
    return bytes(data)


@functools.cache
def big_blank_png(side: int) -> bytes:
    """A real 1-bit PNG of side×side pixels: tiny on disk, huge once decoded."""
    return image("PNG", (side, side), "1", optimize=True)


def jpeg_with_comment(comment: bytes) -> bytes:
    """A JPEG with a COM segment right after SOI (inside the image, not after it)."""
    source = jpeg()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return source[:2] + segment + source[2:]


def gif() -> bytes:
    return image("GIF", (40, 30), "P")


def gif_js_polyglot() -> bytes:
    """A GIF header that is also a line of JavaScript (GIF89a/*…*/=alert(1)//)."""
    return b"GIF89a/*\x0a\x00\x0a\x00\x00\x00\x00*/=alert(1)//;" + b"\x00" * 16 + b"\x3b"


def webp() -> bytes:
    return image("WEBP", (40, 30))


def tiff() -> bytes:
    return image("TIFF", (40, 30))


def ico() -> bytes:
    return image("ICO", (32, 32))


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
    b'onload="alert(1)"><script>alert(document.cookie)</script></svg>\n'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
ZIP = (
    b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    b"\x00\x00\x00\x00\x05\x00\x00\x00a.php<?php ?>"
    b"PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
TEXT = b"This is a plain text file, not a picture.\n"


# ---------------------------------------------------------------------------- PDFs


def pdf(change: Callable[[PdfWriter], None] | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if change is not None:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@functools.cache
def plain_pdf() -> bytes:
    return pdf()


def _action(**entries: object) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject(f"/{key}"): value if not isinstance(value, str) else _pdf_value(value)
            for key, value in entries.items()
        }
    )


def _pdf_value(value: str) -> object:
    return NameObject(value) if value.startswith("/") else TextStringObject(value)


def open_action_javascript(writer: PdfWriter) -> None:
    action = writer._add_object(_action(S="/JavaScript", JS="app.alert('pwned');"))
    writer.root_object[NameObject("/OpenAction")] = action


def open_action_launch(writer: PdfWriter) -> None:
    action = writer._add_object(_action(S="/Launch", F="C:\\Windows\\System32\\calc.exe"))
    writer.root_object[NameObject("/OpenAction")] = action


def page_additional_action(writer: PdfWriter) -> None:
    opened = _action(S="/URI", URI="https://evil.example/track")
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): opened})


def catalog_additional_action(writer: PdfWriter) -> None:
    closing = _action(S="/JavaScript", JS="app.launchURL('https://evil.example');")
    writer.root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): closing})


def names_javascript(writer: PdfWriter) -> None:
    script = writer._add_object(_action(S="/JavaScript", JS="app.alert(1);"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )


def embedded_file(writer: PdfWriter) -> None:
    writer.add_attachment("invoice.exe", b"MZ an attachment the officer would open")


def _annotation(writer: PdfWriter, **entries: object) -> None:
    annotation = _action(Type="/Annot", **entries)
    annotation[NameObject("/Rect")] = ArrayObject([FloatObject(v) for v in (0, 0, 200, 200)])
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def link_launch(writer: PdfWriter) -> None:
    _annotation(writer, Subtype="/Link", A=_action(S="/Launch", F="cmd.exe"))


def link_javascript_uri(writer: PdfWriter) -> None:
    _annotation(
        writer, Subtype="/Link", A=_action(S="/URI", URI="javascript:alert(document.cookie)")
    )


def link_https(writer: PdfWriter) -> None:
    _annotation(writer, Subtype="/Link", A=_action(S="/URI", URI="https://www.immigration.gov.tw/"))


def file_attachment_annotation(writer: PdfWriter) -> None:
    _annotation(writer, Subtype="/FileAttachment", Contents="see attached")


def rich_media(writer: PdfWriter) -> None:
    _annotation(writer, Subtype="/RichMedia")


def xfa_form(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}
    )


def goto_embedded(writer: PdfWriter) -> None:
    target = DictionaryObject(
        {NameObject("/R"): NameObject("/C"), NameObject("/N"): TextStringObject("x")}
    )
    action = _action(S="/GoToE")
    action[NameObject("/T")] = target
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)


def orphan_javascript(writer: PdfWriter) -> None:
    """A script object nothing refers to: only a scan of the raw bytes finds it."""
    writer._add_object(_action(S="/JavaScript", JS="app.alert('orphan');"))


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# The three objects of a minimal one-page document; ``raw_pdf`` numbers them 1–3.
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def raw_pdf(objects: list[bytes], *, root: int = 1, header: bytes = b"%PDF-1.7\n") -> bytes:
    """A PDF of ``objects`` (numbered from 1) with a correct xref table and trailer."""
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        start,
    )
    return bytes(out)


def hex_escaped_javascript() -> bytes:
    """/OpenAction << /S /JavaScript /JS (…) >> with both names spelt in # escapes."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Open#41ction 4 0 R >>"
    action = b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    return raw_pdf([catalog, PAGES, PAGE, action])


def cyclic_page_tree() -> bytes:
    """A page tree whose /Kids holds itself: a walker that trusts it never ends."""
    pages = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    return raw_pdf([CATALOG, pages, PAGE])


def huge_page_count() -> bytes:
    """One page, but the tree claims a billion of them."""
    return raw_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>", PAGE])


def deeply_nested() -> bytes:
    """An array nested 50,000 levels deep in the catalog: a recursive parser's stack."""
    depth = 50_000
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Junk " + b"[" * depth + b"]" * depth + b" >>"
    return raw_pdf([catalog, PAGES, PAGE])


def many_arrays(count: int = 300_000) -> bytes:
    """Hundreds of thousands of empty arrays (under 1 MB): work for a checker, no content."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Junk [" + b"[]" * count + b"] >>"
    return raw_pdf([catalog, PAGES, PAGE])


def incremental_javascript() -> bytes:
    """An honest PDF plus an incremental update that adds an /OpenAction script."""
    base = raw_pdf([CATALOG, PAGES, PAGE])
    previous = int(base.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    out = bytearray(base)
    catalog_at = len(out)
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>\nendobj\n"
    action_at = len(out)
    out += b"4 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n"
    start = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n1 1\n%010d 00000 n \n4 1\n%010d 00000 n \n" % (
        catalog_at,
        action_at,
    )
    out += b"trailer\n<< /Size 5 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        previous,
        start,
    )
    return bytes(out)


def html_pdf_polyglot() -> bytes:
    """Starts like a PDF, is an HTML page: no PDF structure at all."""
    return b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
