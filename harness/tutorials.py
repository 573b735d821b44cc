"""Regenerate the published tutorials from a scenario run.

A tutorial's words live in ``harness/tutorial_texts/<id>.toml`` (title,
introduction, note, author and dates, and per step its heading and instruction);
its pictures come from the step manifest of the scenario that walked it. For each
text file this writes ``<run>/tutorials/<id>/index.md`` and ``index.html`` in the
layout of the published tutorials (STEP n, heading, instruction, screenshot with
the element to act on boxed in orange), with the screenshots under ``images/``.

Typed secrets and personal numbers recorded as a step's ``redactions`` are blurred
before the picture is published. Every picture comes from the published walk
(never from a variant); steps it did not record, or at which it failed, get a
visible placeholder and are listed at the top, never dropped or taken from
another run.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from PIL import Image, ImageFilter

from harness import manifest as manifest_io
from harness.highlight import draw_box
from harness.manifest import ScenarioManifest, StepRecord, TargetBox
from harness.texts import TutorialText, load_text, tutorial_ids

TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "tutorial.html"
TUTORIALS_DIR = "tutorials"
IMAGES_DIR = "images"
MISSING_PLACEHOLDER = "（此步驟本次未產生截圖）"
# Negative-path scenarios record refusals ("NEG.T9.8.expired"), not tutorial steps.
NEGATIVE_TUTORIAL = "NEG"

# Radius ~8 turns 14px text into a smear nobody can read back; the 2px pad also
# covers glyphs touching the input's border.
BLUR_RADIUS = 8
REDACTION_PAD_PX = 2
# Fixed encoder settings and no pnginfo: the same run gives byte-identical images,
# so regenerated tutorials only change in git when the screens did.
PNG_COMPRESS_LEVEL = 6

# CommonMark without raw HTML (the texts are Markdown, not markup); "breaks" keeps
# the seeds' single line breaks as the published pages show them.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True})


def is_negative(manifest: ScenarioManifest) -> bool:
    """A negative-path scenario: tagged NEG, or recording only NEG.* steps."""
    if manifest.tutorial == NEGATIVE_TUTORIAL:
        return True
    return bool(manifest.steps) and all(
        step.id.startswith(f"{NEGATIVE_TUTORIAL}.") for step in manifest.steps
    )


def pick_manifest(
    manifests: Iterable[ScenarioManifest], text: TutorialText
) -> ScenarioManifest | None:
    """The published walk of ``text``'s tutorial: a run tagged with it, not a variant.

    A variant (an employer filing, a Gold Card case paid on the student's payment
    screens) shows other data on the same screens; its pictures never stand in for
    the published walk's, even when that walk failed. Among several published
    walks, the one that passed, then the one with most steps, then the latest, then
    the scenario id, so the choice never depends on the order files were listed in.
    """
    wanted = {step.id for step in text.steps}
    best: tuple[tuple[bool, int, datetime, str], ScenarioManifest] | None = None
    for manifest in manifests:
        if manifest.tutorial != text.id or manifest.variant is not None or is_negative(manifest):
            continue
        covered = len(wanted & {step.id for step in manifest.steps})
        if covered == 0:
            continue  # tagged with the tutorial but walked none of its steps
        rank = (manifest.status == "passed", covered, manifest.started_at, manifest.scenario)
        if best is None or rank > best[0]:
            best = (rank, manifest)
    return best[1] if best else None


def _clamped(box: TargetBox, pad: int, size: tuple[int, int]) -> tuple[int, int, int, int]:
    width, height = size
    return (
        max(0, box.x - pad),
        max(0, box.y - pad),
        min(width, box.x + box.width + pad),
        min(height, box.y + box.height + pad),
    )


def blur_regions(image: Image.Image, boxes: Sequence[TargetBox]) -> Image.Image:
    """``image`` with every box (padded) blurred in place; other pixels untouched."""
    result = image.copy()
    for box in boxes:
        left, top, right, bottom = _clamped(box, REDACTION_PAD_PX, result.size)
        if right <= left or bottom <= top:
            continue  # the field was scrolled out of the viewport: nothing to hide
        # Blurring the crop, not the whole image, keeps every pixel outside exact.
        region = result.crop((left, top, right, bottom))
        result.paste(region.filter(ImageFilter.GaussianBlur(BLUR_RADIUS)), (left, top))
    return result


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def render_step_image(
    raw_png: bytes, target_box: TargetBox | None, redactions: Sequence[TargetBox] = ()
) -> bytes:
    """The published picture of a step: secrets blurred, then the target boxed in orange."""
    with Image.open(io.BytesIO(raw_png)) as source:
        # Screenshots carry no meaningful transparency; RGB keeps the output one mode.
        image = source.convert("RGB")
    png = _encode(blur_regions(image, redactions))
    if target_box is not None:
        png = draw_box(png, target_box)
    # Re-encode: draw_box's output and the raw file's chunks are not ours to fix.
    with Image.open(io.BytesIO(png)) as boxed:
        return _encode(boxed.convert("RGB"))


@dataclass(frozen=True)
class RenderedStep:
    """What the templates show of one step."""

    number: int
    id: str
    heading: str
    instruction: str  # Markdown
    instruction_html: Markup
    image: str | None  # relative to the tutorial's folder; None: the placeholder
    width: int | None
    height: int | None
    failed: bool


def _markdown_html(text: str) -> Markup:
    # markdown-it escapes the text itself (html=False), so its output is safe markup.
    return Markup(_MARKDOWN.render(text)) if text.strip() else Markup("")


def _records_by_id(manifest: ScenarioManifest | None) -> dict[str, StepRecord]:
    # A step recorded twice (a retried block) shows its last attempt.
    return {step.id: step for step in manifest.steps} if manifest else {}


def _render_steps(
    text: TutorialText, manifest: ScenarioManifest | None, run_dir: Path, out_dir: Path
) -> list[RenderedStep]:
    records = _records_by_id(manifest)
    images_dir = out_dir / IMAGES_DIR
    images_dir.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    rendered: list[RenderedStep] = []
    for number, step in enumerate(text.steps, start=1):
        record = records.get(step.id)
        raw = run_dir / record.raw_screenshot if record and record.raw_screenshot else None
        image: str | None = None
        width: int | None = None
        height: int | None = None
        # A step that failed shows its failure, not the screen the tutorial describes.
        passed = record is not None and record.status == "passed"
        if passed and record is not None and raw is not None and raw.is_file():
            png = render_step_image(raw.read_bytes(), record.target_box, record.redactions)
            name = f"step-{number:02d}.png"
            (images_dir / name).write_bytes(png)
            written.add(name)
            image = f"{IMAGES_DIR}/{name}"
            with Image.open(io.BytesIO(png)) as picture:
                width, height = picture.size
        rendered.append(
            RenderedStep(
                number=number,
                id=step.id,
                heading=step.heading,
                instruction=step.instruction.strip(),
                instruction_html=_markdown_html(step.instruction),
                image=image,
                width=width,
                height=height,
                failed=record is not None and record.status == "failed",
            )
        )
    # A picture left from an earlier build would show a step this run did not reach.
    for stale in images_dir.glob("step-*.png"):
        if stale.name not in written:
            stale.unlink()
    return rendered


def _published_date(day: date) -> str:
    return f"{day.year}/{day.month}/{day.day}"  # as printed: 2024/7/30


def _markdown_page(
    text: TutorialText, steps: Sequence[RenderedStep], manifest: ScenarioManifest | None
) -> str:
    missing = [step for step in steps if step.image is None]
    failed = [step for step in steps if step.failed]
    lines = [f"# {text.title}", ""]
    if manifest is None:
        lines += [f"> **找不到走過 {text.id} 的測試紀錄，所有步驟都沒有截圖。**", ""]
    if missing:
        listed = "、".join(f"STEP {step.number}（{step.id}）" for step in missing)
        lines += [f"> **本次未產生截圖的步驟：** {listed}", ""]
    if failed:
        listed = "、".join(f"STEP {step.number}（{step.id}）" for step in failed)
        lines += [f"> **本次執行失敗的步驟：** {listed}", ""]
    lines += [text.introduction.strip(), ""]
    if text.note.strip():
        lines += [text.note.strip(), ""]
    lines += [
        f"{len(steps)} Steps",
        "",
        "---",
        "",
        "**作者**  ",
        text.author,
        "",
        "**製作日期**  ",
        _published_date(text.made),
        "",
        "**最近更新**  ",
        _published_date(text.updated),
        "",
    ]
    for step in steps:
        lines += [f"## STEP {step.number}", "", f"### {step.heading}", ""]
        if step.instruction:
            lines += [step.instruction, ""]
        if step.image:
            lines += [f"![STEP {step.number}：{step.heading}]({step.image})", ""]
        else:
            lines += [f"> {MISSING_PLACEHOLDER}", ""]
    if manifest is not None:
        lines += ["---", "", _source_line(manifest), ""]
    return "\n".join(lines)


def _source_line(manifest: ScenarioManifest) -> str:
    started = manifest.started_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    return (
        f"截圖來源：`{manifest.scenario}`（{manifest.status}，{manifest.browser}，"
        f"seed {manifest.seed}，{started}）"
    )


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a renamed field fails the build, not the page
        keep_trailing_newline=True,
    )


def build_tutorial(
    run_dir: Path, text: TutorialText, manifests: Iterable[ScenarioManifest]
) -> Path:
    """Write one tutorial's index.md, index.html and images; return the index.html path."""
    manifest = pick_manifest(manifests, text)
    out_dir = run_dir / TUTORIALS_DIR / text.id
    steps = _render_steps(text, manifest, run_dir, out_dir)
    (out_dir / "index.md").write_text(_markdown_page(text, steps, manifest), encoding="utf-8")
    html = (
        _environment()
        .get_template(TEMPLATE_NAME)
        .render(
            text=text,
            introduction_html=_markdown_html(text.introduction),
            note_html=_markdown_html(text.note),
            made=_published_date(text.made),
            updated=_published_date(text.updated),
            steps=steps,
            missing=[step for step in steps if step.image is None],
            failed=[step for step in steps if step.failed],
            manifest=manifest,
            source=_markdown_html(_source_line(manifest)) if manifest else None,
            placeholder=MISSING_PLACEHOLDER,
        )
    )
    index = out_dir / "index.html"
    index.write_text(html, encoding="utf-8")
    return index


def build_tutorials(run_dir: Path, *, texts_dir: Path | None = None) -> list[Path]:
    """Regenerate every tutorial that has a text file; return the index.html paths."""
    manifests = manifest_io.load_all(run_dir)
    return [
        build_tutorial(run_dir, load_text(tutorial_id, texts_dir), manifests)
        for tutorial_id in tutorial_ids(texts_dir)
    ]
