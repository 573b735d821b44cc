"""The layered visual check without a browser: drift pairs, edits, text layers, environment.

``tests/data/visual-drift/`` holds real step screenshots of the same screens under
two Debian Chromium builds (156.0.8078.79, the old baselines, and .108); nothing in
the application changed between them. The pixel layer must call every pair drift
when the environments differ, and must fail the same screens with a real edit in
the baselines' own environment. (Across builds the structure and style layers
catch real edits; they need the live page: tests/test_visual_live.py.)
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageOps
from pixelmatch.contrib.PIL import pixelmatch

from harness.manifest import TargetBox
from harness.visual import Snapshot, VisualConfig, baselines, check, pixels, structure, style
from harness.visual.environment import BaselineEnvironment, RenderingEnvironment, record_update

DRIFT = Path(__file__).parent / "data" / "visual-drift"
OLD, NEW = "chromium 156.0.8078.79", "chromium 156.0.8078.108"
DEBIAN = "Debian GNU/Linux 12 (bookworm) x86_64"
FONTS = {"fonts-noto-cjk": "1:20220127+repack1-1"}
RED_BUTTON = (192, 57, 43)  # the mock's 「清除」 button


def _env(browser: str) -> RenderingEnvironment:
    return RenderingEnvironment(browser=browser, os=DEBIAN, packages=FONTS)


def _pairs() -> list[pytest.param]:
    found = []
    for old in sorted(DRIFT.glob("*/*.chromium-156.0.8078.79.png")):
        new = old.with_name(old.name.replace("8078.79", "8078.108"))
        step = old.name.split(".chromium-")[0]
        found.append(pytest.param(old, new, id=f"{old.parent.name[:48]}-{step}"))
    return found


PAIRS = _pairs()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _judge(baseline: Image.Image, screen: Image.Image, *, made_in: str, run_in: str, tmp: Path):
    """Run the real check: baselines on disk (equal text layers), then compare ``screen``."""
    folder = tmp / "baselines"
    pixels.save(baseline.convert("RGB"), baselines.baseline(folder, "scenario", "T9.9", "pixels"))
    for layer in ("structure", "style"):
        path = baselines.baseline(folder, "scenario", "T9.9", layer)
        path.write_text("- same\n", encoding="utf-8")
    config = VisualConfig(
        mode="compare",
        baselines_dir=folder,
        threshold=0.0,
        run_environment=_env(run_in),
        recorded=BaselineEnvironment(environment=_env(made_in)),
    )
    snapshot = Snapshot(png=_png(screen), masks=[], structure="- same\n", style="- same\n")
    return check(
        config, snapshot=snapshot, scenario="scenario", step_id="T9.9", run_dir=tmp / "run"
    )


def _red_button(image: Image.Image) -> tuple[int, int, int, int]:
    """The bounding box of the first 「清除」 button: a red run at least 30 px wide."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    data = rgb.load()
    needle = bytes(RED_BUTTON) * 30  # the red 「*」 of a required field is narrower
    for y in range(height):
        row = rgb.crop((0, y, width, y + 1)).tobytes()
        start = row.find(needle)
        while start != -1 and start % 3:
            start = row.find(needle, start + 1)
        if start == -1:
            continue
        x = start // 3
        right, bottom = x, y
        while right + 1 < width and data[right + 1, y] == RED_BUTTON:
            right += 1
        while bottom + 1 < height and data[x, bottom + 1] == RED_BUTTON:
            bottom += 1
        return (x - 2, y - 2, right + 3, bottom + 3)  # rounded corners included
    raise AssertionError("no red button on this screen")


def _with_word_changed(image: Image.Image, button: tuple[int, int, int, int]) -> Image.Image:
    changed = image.copy()
    label = changed.crop((button[0] + 4, button[1] + 4, button[2] - 4, button[3] - 4))
    changed.paste(ImageOps.mirror(label), (button[0] + 4, button[1] + 4))  # 清除 → other glyphs
    return changed


def _with_colour_changed(image: Image.Image, button: tuple[int, int, int, int]) -> Image.Image:
    changed = image.copy()
    data = changed.load()
    for y in range(button[1], button[3]):
        for x in range(button[0], button[2]):
            if data[x, y][:3] == RED_BUTTON:
                data[x, y] = (230, 126, 34)
    return changed


def _background_at(image: Image.Image, button: tuple[int, int, int, int]) -> tuple[int, ...]:
    return image.getpixel((button[0] - 3, button[1] + 2))


def _with_control_moved(image: Image.Image, button: tuple[int, int, int, int]) -> Image.Image:
    changed = image.copy()
    piece = changed.crop(button)
    ImageDraw.Draw(changed).rectangle(
        (button[0], button[1], button[2] - 1, button[3] - 1), fill=_background_at(image, button)
    )
    changed.paste(piece, (button[0] + 8, button[1]))
    return changed


def _with_control_missing(image: Image.Image, button: tuple[int, int, int, int]) -> Image.Image:
    changed = image.copy()
    ImageDraw.Draw(changed).rectangle(
        (button[0], button[1], button[2] - 1, button[3] - 1), fill=_background_at(image, button)
    )
    return changed


EDITS = {
    "changed word": _with_word_changed,
    "changed button colour": _with_colour_changed,
    "control moved by 8 px": _with_control_moved,
    "missing control": _with_control_missing,
}


def test_the_drift_pairs_are_here():
    # Guards the parametrised tests: an empty glob would make them vacuous.
    assert len(PAIRS) == 15


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_a_browser_update_is_drift_not_a_failure(old: Path, new: Path, tmp_path: Path):
    verdict = _judge(pixels.load(old), pixels.load(new), made_in=OLD, run_in=NEW, tmp=tmp_path)

    assert verdict.status == "drift"
    layer = verdict.layer("pixels")
    assert layer is not None and layer.status == "drift" and not layer.is_failure
    assert layer.diff_ratio is not None and 0.001 < layer.diff_ratio < 0.02  # 0.12 %–1.09 %
    assert "rendering drift" in layer.summary and OLD in layer.summary
    assert (tmp_path / "run" / layer.diff).is_file()  # the diff is still shown
    assert verdict.failures == []


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_the_same_pair_fails_where_it_should_be_identical(old: Path, new: Path, tmp_path: Path):
    # Had .108 been the baselines' own build, this much change would be real.
    verdict = _judge(pixels.load(old), pixels.load(new), made_in=NEW, run_in=NEW, tmp=tmp_path)

    assert verdict.status == "failed"
    assert [layer.layer for layer in verdict.failures] == ["pixels"]


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize(("old", "new"), PAIRS[-1:] + PAIRS[6:7])
def test_a_real_edit_fails_on_the_same_build(old: Path, new: Path, edit: str, tmp_path: Path):
    screen = pixels.load(new)
    edited = EDITS[edit](screen, _red_button(screen))

    verdict = _judge(screen, edited, made_in=NEW, run_in=NEW, tmp=tmp_path)

    assert verdict.status == "failed", edit
    layer = verdict.layer("pixels")
    assert layer is not None and layer.status == "failed"
    assert "threshold" in layer.summary


@pytest.mark.parametrize(("old", "new"), PAIRS[:1])
def test_an_unchanged_screen_passes(old: Path, new: Path, tmp_path: Path):
    screen = pixels.load(new)

    verdict = _judge(screen, screen.copy(), made_in=NEW, run_in=NEW, tmp=tmp_path)

    assert verdict.status == "passed"
    assert not (tmp_path / "run").exists()  # nothing to show, nothing written


def test_tiled_pixelmatch_counts_like_the_whole_picture():
    old, new = PAIRS[6].values[:2]
    before, after = pixels.load(old), pixels.load(new)
    box = (100, 250, 700, 600)  # a region full of drift, small enough to run whole
    whole = pixelmatch(
        before.crop(box), after.crop(box), Image.new("RGBA", (600, 350)), includeAA=False
    )

    tiled = pixels.compare(before.crop(box), after.crop(box))

    assert whole > 100
    assert round(tiled.ratio * 600 * 350) == whole


def test_dynamic_regions_are_painted_over():
    image = Image.new("RGB", (40, 20), (255, 255, 255))

    masked = pixels.masked(_png(image), [TargetBox(x=5, y=5, width=10, height=4)])

    assert masked.getpixel((5, 5)) == pixels.MASK_COLOUR
    assert masked.getpixel((14, 8)) == pixels.MASK_COLOUR
    assert masked.getpixel((15, 9)) == (255, 255, 255)


# --- structure -------------------------------------------------------------------


def test_structure_normalises_what_changes_by_design():
    snapshot = (
        '- timer "登出倒數": 登出倒數：29:52\n'
        '- textbox "密碼": Secret123\n'
        '- link "驗證":\n  - /url: http://127.0.0.1:41234/coa-frontend/register/verify/amy/tok3n\n'
        '- cell "113551000012"\n'
        '- cell "A800013146"\n'
    )

    text = structure.normalise(
        snapshot,
        base_url="http://127.0.0.1:41234",
        dynamic_values=["29:52", "/coa-frontend/register/verify/amy/tok3n"],
        passwords=["Secret123"],
    )

    assert "29:52" not in text and "登出倒數：‹dynamic›" in text
    assert "Secret123" not in text and "‹password›" in text
    assert "41234" not in text and "tok3n" not in text
    assert '- cell "‹case-number›"' in text
    assert '- cell "A800013146"' in text  # data, not a counter: compared as it is


def test_structure_diff_names_the_changed_line():
    expected = '- paragraph: 請逐一填寫及上傳所需資料\n- button "送出"\n'
    actual = '- paragraph: 請逐一填寫所需資料\n- button "送出"\n'

    diff = structure.compare(expected, actual, expected_name="baseline", actual_name="run")

    assert "-- paragraph: 請逐一填寫及上傳所需資料" in diff
    assert "+- paragraph: 請逐一填寫所需資料" in diff
    assert structure.summary(diff) == "accessibility tree differs: 1 line(s) removed, 1 added"
    assert structure.compare(expected, expected, expected_name="a", actual_name="b") == []


# --- style -----------------------------------------------------------------------

FORM = """section.panel @96,100 1088x600 { background-color: rgb(255, 255, 255); padding: 18px 24px 18px 24px }
  p.hint @121,120 400x21 { color: rgb(34, 34, 34); font: normal 400 15px/normal }
  input[type=file] @134,139 ?x25 { color: rgb(34, 34, 34); font: normal 400 13.3333px/normal }
  button.button.button-danger @605,139 46x25 { color: rgb(255, 255, 255); background-color: rgb(192, 57, 43); padding: 3px 10px 3px 10px }
  button.button @700,139 60x34 { color: rgb(255, 255, 255); background-color: rgb(31, 95, 153); padding: 8px 18px 8px 18px }
"""


def test_style_is_equal_to_itself_and_tolerates_glyph_drift():
    drifted = FORM.replace("@605,139 46x25", "@604,139 46x25").replace("400x21", "402x21")

    assert style.compare(FORM, FORM) == []
    assert style.compare(FORM, drifted) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("rgb(192, 57, 43)", "rgb(230, 126, 34)"),
            "background-color rgb(192, 57, 43) → rgb(230, 126, 34)",
        ),
        (("@700,139 60x34", "@708,139 60x34"), "moved by +8,+0 px"),
        (
            ("8px 18px 8px 18px", "8px 20px 8px 20px"),
            "padding 8px 18px 8px 18px → 8px 20px 8px 20px",
        ),
        (("@700,139 60x34", "@700,139 68x34"), "width 60 → 68 px"),
    ],
    ids=["button colour", "moved 8 px", "padding", "wider"],
)
def test_style_catches_what_a_person_sees(change: tuple[str, str], expected: str):
    differences = style.compare(FORM, FORM.replace(*change))

    assert len(differences) == 1
    assert expected in differences[0]
    assert "button.button" in differences[0]


def test_style_names_a_missing_control_once():
    without = "\n".join(line for line in FORM.splitlines() if "button-danger" not in line)

    differences = style.compare(FORM, without)

    assert differences == ["missing: section.panel > button.button.button-danger @605,139"]


def test_style_says_a_moved_section_once_not_for_every_child():
    moved = FORM.replace("@96,100", "@96,130").replace(",120 ", ",150 ").replace(",139 ", ",169 ")

    differences = style.compare(FORM, moved)

    assert differences == ["section.panel: moved by +0,+30 px"]


# --- environment -----------------------------------------------------------------


def test_environment_differences_are_named():
    old, new = _env(OLD), _env(NEW).model_copy(update={"packages": {}})

    assert new.differences(old) == [
        f"browser: {OLD} → {NEW}",
        "fonts-noto-cjk: 1:20220127+repack1-1 → not installed",
    ]
    assert old.differences(old) == []


def test_a_complete_update_makes_the_run_the_baselines_environment(tmp_path: Path):
    keys = {"s/T9.1", "s/T9.2"}
    record_update(tmp_path, _env(OLD), keys, keys)

    recorded = record_update(tmp_path, _env(NEW), keys, keys)

    assert recorded.environment == _env(NEW)
    assert recorded.recorded_elsewhere == {}


def test_a_step_accepted_elsewhere_keeps_its_own_environment(tmp_path: Path):
    keys = {"s/T9.1", "s/T9.2"}
    record_update(tmp_path, _env(OLD), keys, keys)

    recorded = record_update(tmp_path, _env(NEW), {"s/T9.2"}, keys)

    assert recorded.environment == _env(OLD)
    assert recorded.for_step("s/T9.2") == _env(NEW)
    assert recorded.for_step("s/T9.1") == _env(OLD)
    # Re-recorded where the rest was made, the step is simply the folder's again.
    again = record_update(tmp_path, _env(OLD), {"s/T9.2"}, keys)
    assert again.recorded_elsewhere == {}
