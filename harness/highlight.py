"""Draw the orange box the published tutorials put around the element to click."""

from __future__ import annotations

import io
from collections.abc import Mapping

from PIL import Image, ImageDraw

from harness.manifest import TargetBox

BOX_COLOUR = "#FF8C00"
BOX_WIDTH_PX = 4
BOX_MARGIN_PX = 6


def draw_box(png: bytes, box: TargetBox | Mapping[str, float]) -> bytes:
    """Return ``png`` with an orange rectangle drawn just outside ``box``.

    The line sits in a margin around the element, so the element itself stays
    as the screen shows it.
    """
    if isinstance(box, TargetBox):
        box = box.model_dump()
    with Image.open(io.BytesIO(png)) as source:
        image = source.convert("RGBA") if source.mode not in ("RGB", "RGBA") else source.copy()
    left = box["x"] - BOX_MARGIN_PX
    top = box["y"] - BOX_MARGIN_PX
    # PIL's rectangle includes its far corner, hence the -1.
    right = box["x"] + box["width"] + BOX_MARGIN_PX - 1
    bottom = box["y"] + box["height"] + BOX_MARGIN_PX - 1
    # An element at the viewport's edge still gets the sides that fit.
    left, top = max(0, round(left)), max(0, round(top))
    right, bottom = min(image.width - 1, round(right)), min(image.height - 1, round(bottom))
    if right > left and bottom > top:
        ImageDraw.Draw(image).rectangle(
            (left, top, right, bottom), outline=BOX_COLOUR, width=BOX_WIDTH_PX
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
