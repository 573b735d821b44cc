"""The pixel layer: the step's unboxed screenshot against its baseline PNG.

Dynamic regions (the countdown, the captcha picture) are painted over first, in
the baseline as in the new picture. The comparison is pixelmatch's (a port of
mapbox/pixelmatch): anti-aliased pixels are ignored and a small per-pixel colour
tolerance applies. In the rendering environment the baselines were made in, the
screens are byte-for-byte repeatable, so a step fails when more than the run's
threshold (none, by default) of its pixels differ. Anywhere else the same count is
rendering drift: shown, never a failure by itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw
from pixelmatch.contrib.PIL import pixelmatch

from harness.manifest import TargetBox

MASK_COLOUR = (255, 0, 255)
PIXEL_TOLERANCE = 0.1  # pixelmatch's per-pixel colour threshold (0–1)
_DIFF_COLOUR = (255, 0, 0)
_TILE = 32
# pixelmatch judges a pixel anti-aliased from neighbours up to 2 px away.
_MARGIN = 3


@dataclass(frozen=True)
class PixelDifference:
    ratio: float  # share of the picture's pixels that differ
    diff: Image.Image  # pixelmatch's picture of where


def masked(png: bytes, masks: list[TargetBox]) -> Image.Image:
    """The screenshot as RGB with every dynamic region painted over."""
    with Image.open(io.BytesIO(png)) as source:
        image = source.convert("RGB")
    draw = ImageDraw.Draw(image)
    for box in masks:
        draw.rectangle(
            (box.x, box.y, box.x + box.width - 1, box.y + box.height - 1), fill=MASK_COLOUR
        )
    return image


def compare(expected: Image.Image, actual: Image.Image) -> PixelDifference:
    """pixelmatch's count and picture of the pixels that differ.

    pixelmatch is pure Python (about 5 s for a whole 1280×900 screen); it runs only
    on the tiles where any byte differs, each with a margin wide enough for its
    anti-aliasing test, so the count is the same as over the whole picture.
    """
    if expected.size != actual.size:
        return PixelDifference(ratio=1.0, diff=Image.new("RGBA", actual.size, MASK_COLOUR))
    before, after = expected.convert("RGB"), actual.convert("RGB")
    width, height = after.size
    diff = Image.new("RGBA", after.size)
    # The faded picture pixelmatch draws under its marks (its fast path for equal images).
    pixelmatch(before, before, diff)
    changed = ImageChops.difference(before, after)
    mismatched = 0
    if changed.getbbox() is not None:
        for top in range(0, height, _TILE):
            for left in range(0, width, _TILE):
                core = (left, top, min(left + _TILE, width), min(top + _TILE, height))
                if changed.crop(core).getbbox() is not None:
                    mismatched += _compare_tile(before, after, core, diff)
    return PixelDifference(ratio=mismatched / (width * height), diff=diff)


def _compare_tile(
    before: Image.Image, after: Image.Image, core: tuple[int, int, int, int], diff: Image.Image
) -> int:
    width, height = after.size
    outer = (
        max(0, core[0] - _MARGIN),
        max(0, core[1] - _MARGIN),
        min(width, core[2] + _MARGIN),
        min(height, core[3] + _MARGIN),
    )
    marks = Image.new("RGBA", (outer[2] - outer[0], outer[3] - outer[1]))
    pixelmatch(
        before.crop(outer),
        after.crop(outer),
        marks,
        threshold=PIXEL_TOLERANCE,
        includeAA=False,
        diff_color=_DIFF_COLOUR,
    )
    inner = marks.crop(
        (core[0] - outer[0], core[1] - outer[1], core[2] - outer[0], core[3] - outer[1])
    )
    diff.paste(inner, core[:2])
    colours = inner.getcolors(maxcolors=inner.width * inner.height) or []
    return sum(count for count, colour in colours if colour == (*_DIFF_COLOUR, 255))


def save(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # No metadata, fixed settings: the same pixels always give the same bytes.
    image.save(path, format="PNG", optimize=False, compress_level=6)


def load(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")
