"""The tutorial renderer, no browser: synthetic manifests and tiny PNGs in tmp_path."""

from __future__ import annotations

import io
import re
import statistics
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from harness import manifest, texts, tutorials
from harness.catalog import find_catalog, load_catalog
from harness.highlight import BOX_MARGIN_PX
from harness.manifest import ScenarioManifest, StepRecord, TargetBox

ORANGE = (0xFF, 0x8C, 0x00)
CATALOG = load_catalog(find_catalog())
T9 = tutorials.load_text("T9")
SIZE = (320, 200)
TARGET = TargetBox(x=200, y=120, width=60, height=30)
SECRET = TargetBox(x=20, y=20, width=100, height=24)


def _png(reports: Path, name: str) -> str:
    """A screen-like PNG: grey page, black/white stripes (sharp "text") in the secret field."""
    image = Image.new("RGB", SIZE, (230, 232, 235))
    draw = ImageDraw.Draw(image)
    for x in range(SECRET.x, SECRET.x + SECRET.width, 2):
        draw.line((x, SECRET.y, x, SECRET.y + SECRET.height - 1), fill=(0, 0, 0))
        draw.line((x + 1, SECRET.y, x + 1, SECRET.y + SECRET.height - 1), fill=(255, 255, 255))
    draw.rectangle((150, 60, 170, 70), fill=(20, 90, 200))  # something to keep untouched
    relative = f"screens/run/{name}.raw.png"
    (reports / relative).parent.mkdir(parents=True, exist_ok=True)
    image.save(reports / relative)
    return relative


def _record(reports: Path, step_id: str, status: str = "passed", **extra: object) -> StepRecord:
    return StepRecord(
        id=step_id,
        title=step_id,
        status=status,  # type: ignore[arg-type]
        duration_ms=10,
        raw_screenshot=_png(reports, step_id),
        target_box=TARGET,
        **extra,  # type: ignore[arg-type]
    )


def _write_manifest(
    reports: Path,
    scenario: str,
    step_ids: list[str],
    *,
    tutorial: str | None = "T9",
    status: str = "passed",
    redact: bool = True,
    variant: str | None = None,
    failed_at: str | None = None,
) -> None:
    steps = [
        _record(
            reports,
            step_id,
            redactions=[SECRET] if redact else [],
            status="failed" if step_id == failed_at else "passed",
        )
        for step_id in step_ids
    ]
    manifest.write(
        ScenarioManifest(
            scenario=scenario,
            tutorial=tutorial,
            variant=variant,
            status=status,  # type: ignore[arg-type]
            seed=1,
            browser="chromium 1",
            started_at=datetime(2026, 1, 1, tzinfo=UTC),
            steps=steps,
        ),
        reports,
    )


ALL_T9 = [step.id for step in T9.steps]


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    _write_manifest(tmp_path, "scenarios/t9.py::test_t9[chromium]", ALL_T9)
    return tmp_path


def _t9(indexes: list[Path]) -> Path:
    """T9's page among every tutorial that has a text file."""
    [index] = [path for path in indexes if path.parent.name == "T9"]
    return index


def _image(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")


def test_pages_have_the_published_layout(reports: Path) -> None:
    index = _t9(tutorials.build_tutorials(reports))

    assert index == reports / "tutorials" / "T9" / "index.html"
    html = index.read_text(encoding="utf-8")
    markdown = (index.parent / "index.md").read_text(encoding="utf-8")
    for page in (html, markdown):
        assert T9.title in page
        assert "14 Steps" in page
        assert "就業金卡辦公室" in page and "2024/7/30" in page
        assert T9.note in page
        for number, step in enumerate(T9.steps, start=1):
            assert re.search(rf"STEP {number}(?!\d)", page), number
            assert step.heading in page
        assert tutorials.MISSING_PLACEHOLDER not in page
    # The headings come in the tutorial's order.
    positions = [html.index(f"<h3>{step.heading}</h3>") for step in T9.steps]
    assert positions == sorted(positions)
    assert "<ol>" in html and "<li>申請人的「統一證號」</li>" in html  # STEP 8's list
    assert "/coa-frontend/four-in-one/entry/main?lang=zh" in html
    assert 'src="images/step-14.png"' in html
    assert "](images/step-01.png)" in markdown


def test_every_step_gets_an_image(reports: Path) -> None:
    tutorials.build_tutorials(reports)

    images = sorted((reports / "tutorials" / "T9" / "images").iterdir())
    assert [path.name for path in images] == [f"step-{n:02d}.png" for n in range(1, 15)]
    assert _image(images[0]).size == SIZE


def test_target_is_boxed_in_orange(reports: Path) -> None:
    tutorials.build_tutorials(reports)

    image = _image(reports / "tutorials" / "T9" / "images" / "step-07.png")
    middle_y = TARGET.y + TARGET.height // 2
    assert image.getpixel((TARGET.x - BOX_MARGIN_PX, middle_y)) == ORANGE
    assert image.getpixel((TARGET.x + TARGET.width + BOX_MARGIN_PX - 1, middle_y)) == ORANGE
    assert image.getpixel((TARGET.x + 5, middle_y)) != ORANGE  # the element itself is not painted


def test_redactions_are_blurred_and_nothing_else(reports: Path) -> None:
    tutorials.build_tutorials(reports)

    raw = _image(reports / "screens" / "run" / "T9.4.raw.png")
    out = _image(reports / "tutorials" / "T9" / "images" / "step-04.png")
    inside = [
        (x, y)
        for x in range(SECRET.x + 4, SECRET.x + SECRET.width - 4)
        for y in range(SECRET.y + 4, SECRET.y + SECRET.height - 4)
    ]

    def spread(image: Image.Image) -> float:
        return statistics.pvariance(image.getpixel(point)[0] for point in inside)

    assert spread(raw) > 10_000  # stripes of 0 and 255
    assert spread(out) < spread(raw) / 50  # smoothed to a grey nobody can read
    pad = tutorials.REDACTION_PAD_PX
    near_secret = (
        SECRET.x - pad,
        SECRET.y - pad,
        SECRET.x + SECRET.width + pad,
        SECRET.y + SECRET.height + pad,
    )
    margin = BOX_MARGIN_PX + 4  # the orange line and its width around the target
    near_target = (
        TARGET.x - margin,
        TARGET.y - margin,
        TARGET.x + TARGET.width + margin,
        TARGET.y + TARGET.height + margin,
    )

    def within(point: tuple[int, int], box: tuple[int, int, int, int]) -> bool:
        return box[0] <= point[0] < box[2] and box[1] <= point[1] < box[3]

    changed = [
        (x, y)
        for x in range(SIZE[0])
        for y in range(SIZE[1])
        if raw.getpixel((x, y)) != out.getpixel((x, y))
    ]
    assert changed
    assert all(within(p, near_secret) or within(p, near_target) for p in changed)


def test_build_is_byte_identical(reports: Path) -> None:
    tutorials.build_tutorials(reports)
    folder = reports / "tutorials" / "T9"
    first = {path.name: path.read_bytes() for path in (folder / "images").iterdir()}
    first_html = (folder / "index.html").read_bytes()

    tutorials.build_tutorials(reports)

    second = {path.name: path.read_bytes() for path in (folder / "images").iterdir()}
    assert first == second
    assert (folder / "index.html").read_bytes() == first_html


def test_missing_step_gets_a_placeholder_and_is_listed(tmp_path: Path) -> None:
    reached = [step_id for step_id in ALL_T9 if step_id != "T9.5"]
    _write_manifest(tmp_path, "scenarios/t9.py::test_t9[chromium]", reached)

    index = _t9(tutorials.build_tutorials(tmp_path))

    html = index.read_text(encoding="utf-8")
    markdown = (index.parent / "index.md").read_text(encoding="utf-8")
    for page in (html, markdown):
        assert page.count(tutorials.MISSING_PLACEHOLDER) == 1
        assert "STEP 5（T9.5）" in page  # named at the top
        assert "請留意右上方的登出倒數時間" in page  # the step itself is still there
        assert "14 Steps" in page
    assert not (index.parent / "images" / "step-05.png").exists()
    assert (index.parent / "images" / "step-06.png").exists()


def test_stale_images_of_an_earlier_build_are_removed(reports: Path) -> None:
    tutorials.build_tutorials(reports)
    for path in (reports / "steps").iterdir():
        path.unlink()
    _write_manifest(reports, "scenarios/t9.py::test_t9[chromium]", ALL_T9[:3])

    tutorials.build_tutorials(reports)

    images = sorted(p.name for p in (reports / "tutorials" / "T9" / "images").iterdir())
    assert images == ["step-01.png", "step-02.png", "step-03.png"]


def test_negative_scenarios_are_ignored(tmp_path: Path) -> None:
    _write_manifest(tmp_path, "scenarios/t9.py::test_t9[chromium]", ALL_T9[:2])
    # A refusal scenario that recorded under T9's ids must not stand in for the walk.
    _write_manifest(tmp_path, "scenarios/neg.py::test_a[chromium]", ALL_T9, tutorial="NEG")
    _write_manifest(tmp_path, "scenarios/neg.py::test_b[chromium]", ["NEG.T9.8.expired"])

    index = _t9(tutorials.build_tutorials(tmp_path))

    html = index.read_text(encoding="utf-8")
    assert "scenarios/t9.py::test_t9[chromium]" in html
    assert "neg.py" not in html
    assert html.count(tutorials.MISSING_PLACEHOLDER) == 12


def test_pick_prefers_passed_then_most_steps(tmp_path: Path) -> None:
    _write_manifest(tmp_path, "a::failed_all[chromium]", ALL_T9, status="failed")
    _write_manifest(tmp_path, "b::passed_few[chromium]", ALL_T9[:3])
    _write_manifest(tmp_path, "c::passed_more[chromium]", ALL_T9[:9])
    _write_manifest(tmp_path, "d::other_tutorial[chromium]", ["T8.1"], tutorial="T8")

    picked = tutorials.pick_manifest(manifest.load_all(tmp_path), T9)

    assert picked is not None and picked.scenario == "c::passed_more[chromium]"


def test_no_run_still_writes_every_step(tmp_path: Path) -> None:
    index = _t9(tutorials.build_tutorials(tmp_path))

    html = index.read_text(encoding="utf-8")
    assert html.count(tutorials.MISSING_PLACEHOLDER) == 14
    assert "找不到走過 T9 的測試紀錄" in html


def test_text_files_are_found_and_checked(tmp_path: Path) -> None:
    assert "T9" in tutorials.tutorial_ids()
    (tmp_path / "X1.toml").write_text(
        'title = "x"\nintroduction = "x"\nauthor = "x"\nmade = 2024-01-01\n'
        'updated = 2024-01-01\n[[steps]]\nid = "X1.2"\nheading = "h"\n',
        encoding="utf-8",
    )
    assert tutorials.tutorial_ids(tmp_path) == ["X1"]
    with pytest.raises(ValueError, match="X1.1"):
        tutorials.load_text("X1", tmp_path)


@pytest.mark.parametrize("tutorial_id", texts.tutorial_ids())
def test_every_text_matches_the_catalog(tutorial_id: str) -> None:
    text = texts.load_text(tutorial_id)

    assert [step.id for step in text.steps] == CATALOG.ids(tutorial_id)


def test_every_catalog_tutorial_has_a_text() -> None:
    assert texts.tutorial_ids() == sorted(tutorial.id for tutorial in CATALOG.tutorials)


def test_a_variant_never_stands_in_for_the_published_walk(tmp_path: Path) -> None:
    _write_manifest(
        tmp_path, "a::published[chromium]", ALL_T9[:9], status="failed", failed_at="T9.9"
    )
    _write_manifest(tmp_path, "b::employer[chromium]", ALL_T9, variant="employer")

    index = _t9(tutorials.build_tutorials(tmp_path))

    html = index.read_text(encoding="utf-8")
    assert "a::published[chromium]" in html and "employer" not in html
    images = sorted(p.name for p in (index.parent / "images").iterdir())
    assert images == [f"step-{n:02d}.png" for n in range(1, 9)]  # STEP 1..8


def test_a_walk_that_failed_at_step_k_keeps_steps_before_it(tmp_path: Path) -> None:
    _write_manifest(
        tmp_path, "a::published[chromium]", ALL_T9[:9], status="failed", failed_at="T9.9"
    )

    index = _t9(tutorials.build_tutorials(tmp_path))

    markdown = (index.parent / "index.md").read_text(encoding="utf-8")
    assert markdown.count(tutorials.MISSING_PLACEHOLDER) == 6  # STEP 9..14
    assert "本次執行失敗的步驟：** STEP 9（T9.9）" in markdown
    for number in range(1, 9):
        assert f"![STEP {number}：" in markdown
    assert "![STEP 9：" not in markdown
    assert "14 Steps" in markdown


def test_no_published_walk_means_every_step_missing(tmp_path: Path) -> None:
    _write_manifest(tmp_path, "b::employer[chromium]", ALL_T9, variant="employer")

    index = _t9(tutorials.build_tutorials(tmp_path))

    html = index.read_text(encoding="utf-8")
    assert html.count(tutorials.MISSING_PLACEHOLDER) == 14
    assert not list((index.parent / "images").iterdir())


def test_t9_text_keeps_the_seed_words() -> None:
    assert T9.title == "9. 其他事由居留證 - 就業金卡換發其他事由居留證教學"
    assert T9.author == "就業金卡辦公室"
    assert T9.steps[6].heading == "同意系統使用聲明事項"
    assert "請由此登入" in T9.steps[0].instruction
    assert "註2：就業金卡換發其他事由居留證者不需提供離職日。" in T9.steps[12].instruction
    # Screenshot descriptions and page dumps are the pictures' job.
    assert not any("screenshot" in step.instruction.lower() for step in T9.steps)


def test_render_step_image_without_target_or_redactions() -> None:
    source = io.BytesIO()
    Image.new("RGBA", (8, 8), (1, 2, 3, 255)).save(source, format="PNG")

    png = tutorials.render_step_image(source.getvalue(), None)

    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "RGB"
        assert image.getpixel((4, 4)) == (1, 2, 3)
        assert "tIME" not in image.info and not image.text
