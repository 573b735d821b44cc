"""The style layer: a fingerprint of what a person sees change on the screen.

For every element that paints something inside the viewport (text, a control, an
image, a background, a border or a shadow) it records the computed colours, font,
borders, padding, radius, shadow and opacity, and the element's box. Computed
styles are CSS, decided before any pixel is drawn, so they are the same on every
browser build; boxes come from layout and may move a pixel or two between builds
(a native file input grows with the browser's own font), so they are compared
with a small tolerance: a control moved by 8 px fails, glyph drift does not.

The fingerprint is a text file, one element per line, indented like the DOM:

    button.btn.btn-danger @598,412 64x34 { color: rgb(255, 255, 255); background: … }
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from playwright.sync_api import Page

# Boxes may differ this much between browser builds (measured: up to 3 px around
# native file inputs between Chromium 156.0.8078.79 and .108) and still match.
BOX_TOLERANCE_PX = 4

# One line per painting element in the viewport. Wrappers that paint nothing are
# skipped (their children carry the layout), elements inside a [data-dynamic]
# region are left out and the region's own size is not recorded: its text changes
# by design. A native file input's width is the browser's own UI and not recorded.
_FINGERPRINT_JS = """
({dynamicSelector, origin}) => {
  const viewW = document.documentElement.clientWidth, viewH = window.innerHeight;
  const body = document.body;
  const bodyFont = getComputedStyle(body).fontFamily;
  const controls = new Set(["IMG", "svg", "INPUT", "SELECT", "TEXTAREA", "BUTTON", "CANVAS",
    "VIDEO", "IFRAME", "OBJECT", "PROGRESS", "METER", "HR"]);
  const skipped = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "HEAD", "META", "LINK"]);
  const clean = (value) => value.split(origin).join("").replace(/url\\("data:[^"]*"\\)/g, "url(data:…)");
  const transparent = (colour) => colour === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(colour);
  const ownText = (el) => [...el.childNodes].some(
    (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== "");
  const lines = [];
  const visit = (el, depth, insideDynamic) => {
    if (skipped.has(el.tagName)) return;
    const style = getComputedStyle(el);
    if (style.display === "none") return;
    const dynamic = el.matches(dynamicSelector);
    const rect = el.getBoundingClientRect();
    const onScreen = rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0
      && rect.left < viewW && rect.top < viewH;
    const visible = style.visibility === "visible" && parseFloat(style.opacity) > 0;
    const text = ownText(el), control = controls.has(el.tagName);
    const props = [];
    if (text || control) {
      props.push(["color", style.color]);
      props.push(["font", `${style.fontStyle} ${style.fontWeight} ${style.fontSize}/${style.lineHeight}`]);
      if (style.fontFamily !== bodyFont) props.push(["font-family", style.fontFamily]);
      if (style.textDecorationLine !== "none") props.push(["text-decoration", style.textDecorationLine]);
      if (style.textTransform !== "none") props.push(["text-transform", style.textTransform]);
    }
    if (!transparent(style.backgroundColor)) props.push(["background-color", style.backgroundColor]);
    if (style.backgroundImage !== "none") props.push(["background-image", clean(style.backgroundImage)]);
    const sides = ["Top", "Right", "Bottom", "Left"].map((side) => {
      const width = style[`border${side}Width`], kind = style[`border${side}Style`];
      return kind === "none" || width === "0px" ? "none" : `${width} ${kind} ${style[`border${side}Color`]}`;
    });
    const bordered = sides.some((side) => side !== "none");
    if (bordered) props.push(["border", new Set(sides).size === 1 ? sides[0] : sides.join(" / ")]);
    if (style.borderRadius !== "0px") props.push(["border-radius", style.borderRadius]);
    if (style.boxShadow !== "none") props.push(["box-shadow", style.boxShadow]);
    if (style.opacity !== "1") props.push(["opacity", style.opacity]);
    const paints = text || control || bordered || props.some(([name]) =>
      name.startsWith("background") || name === "box-shadow");
    const shown = paints && onScreen && visible && !insideDynamic;
    if (shown) {
      const padding = [style.paddingTop, style.paddingRight, style.paddingBottom, style.paddingLeft];
      if (padding.some((value) => value !== "0px")) props.push(["padding", padding.join(" ")]);
      let key = el.tagName.toLowerCase();
      if (el.id) key += "#" + el.id;
      else if (el.classList.length) key += "." + [...el.classList].sort().join(".");
      if (el.tagName === "INPUT") key += `[type=${el.type}]`;
      let box;
      if (dynamic) box = `@${Math.round(rect.x)},${Math.round(rect.y)} ?x?`;
      else if (el.tagName === "INPUT" && el.type === "file")
        box = `@${Math.round(rect.x)},${Math.round(rect.y)} ?x${Math.round(rect.height)}`;
      else box = `@${Math.round(rect.x)},${Math.round(rect.y)} ${Math.round(rect.width)}x${Math.round(rect.height)}`;
      const body = props.map(([name, value]) => `${name}: ${value}`).join("; ");
      lines.push(`${"  ".repeat(depth)}${key} ${box} { ${body} }`);
    }
    for (const child of el.children) visit(child, shown ? depth + 1 : depth, insideDynamic || dynamic);
  };
  for (const child of body.children) visit(child, 0, false);
  return lines.join("\\n");
}
"""

_LINE = re.compile(
    r"^(?P<indent> *)(?P<key>\S+) @(?P<x>-?\d+),(?P<y>-?\d+) (?P<w>\?|\d+)x(?P<h>\?|\d+) \{ (?P<props>.*) \}$"
)


def capture(page: Page, *, base_url: str | None, dynamic_selector: str) -> str:
    """The viewport's style fingerprint, as text."""
    origin = (base_url or "").rstrip("/") or "\u0000"
    text = page.evaluate(_FINGERPRINT_JS, {"dynamicSelector": dynamic_selector, "origin": origin})
    return str(text).rstrip("\n") + "\n"


@dataclass(frozen=True)
class Element:
    """One line of a fingerprint."""

    path: str  # the keys of the recorded ancestors and the element, for messages
    depth: int
    key: str
    x: int
    y: int
    width: int | None
    height: int | None
    props: tuple[tuple[str, str], ...]

    @property
    def identity(self) -> tuple[int, str]:
        return (self.depth, self.key)


def parse(text: str) -> list[Element]:
    elements: list[Element] = []
    ancestors: list[str] = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        depth = len(match["indent"]) // 2
        del ancestors[depth:]
        ancestors.append(match["key"])
        props = tuple(
            tuple(part.split(": ", 1))  # type: ignore[misc]
            for part in match["props"].split("; ")
            if ": " in part
        )
        elements.append(
            Element(
                path=" > ".join(ancestors[-3:]),
                depth=depth,
                key=match["key"],
                x=int(match["x"]),
                y=int(match["y"]),
                width=None if match["w"] == "?" else int(match["w"]),
                height=None if match["h"] == "?" else int(match["h"]),
                props=props,  # type: ignore[arg-type]
            )
        )
    return elements


def compare(expected: str, actual: str, *, tolerance: int = BOX_TOLERANCE_PX) -> list[str]:
    """What a person would see change, one line per difference; empty when none."""
    before, after = parse(expected), parse(actual)
    matcher = difflib.SequenceMatcher(
        None, [e.identity for e in before], [e.identity for e in after], autojunk=False
    )
    differences: list[str] = []
    # A section pushed down moves everything in it; say so once, at the section.
    parent_moves: dict[int, tuple[int, int]] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for old, new in zip(before[i1:i2], after[j1:j2], strict=True):
                moved = (new.x - old.x, new.y - old.y)
                inherited = parent_moves.get(old.depth - 1, (0, 0))
                parent_moves[old.depth] = moved
                differences += _element_differences(old, new, moved, inherited, tolerance)
            continue
        parent_moves.clear()
        differences += [f"missing: {old.path} @{old.x},{old.y}" for old in before[i1:i2]]
        differences += [f"added: {new.path} @{new.x},{new.y}" for new in after[j1:j2]]
    return differences


def _element_differences(
    old: Element,
    new: Element,
    moved: tuple[int, int],
    inherited: tuple[int, int],
    tolerance: int,
) -> list[str]:
    found = []
    old_props, new_props = dict(old.props), dict(new.props)
    for name in sorted(set(old_props) | set(new_props)):
        if old_props.get(name) != new_props.get(name):
            found.append(
                f"{new.path}: {name} {old_props.get(name, '(none)')} → {new_props.get(name, '(none)')}"
            )
    own = (moved[0] - inherited[0], moved[1] - inherited[1])
    if max(abs(moved[0]), abs(moved[1])) > tolerance and max(abs(own[0]), abs(own[1])) > tolerance:
        found.append(f"{new.path}: moved by {moved[0]:+d},{moved[1]:+d} px")
    for name, was, now in (("width", old.width, new.width), ("height", old.height, new.height)):
        if was is not None and now is not None and abs(now - was) > tolerance:
            found.append(f"{new.path}: {name} {was} → {now} px")
    return found


def summary(differences: list[str]) -> str:
    return f"what is seen differs in {len(differences)} place(s): {differences[0]}"
