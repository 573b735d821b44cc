"""The structure layer: the page's accessibility tree as Playwright's ARIA snapshot.

Playwright computes the snapshot from the DOM itself, not from the browser's
pixels, so it is the same on every browser build: a changed, added or missing
label, field, button, heading or state shows here on any machine. Values that
change by design are normalised before the snapshot is stored or compared: the
texts and links the mock marks ``data-dynamic`` (countdown, captcha, mail links
carrying a token), the mock's host and port, and 12-digit case and receipt numbers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from playwright.sync_api import Page

DYNAMIC = "‹dynamic›"
SECRET = "‹password›"
HOST = "‹mock›"
CASE_NUMBER = "‹case-number›"
TOKEN = "‹token›"
SNAPSHOT_TIMEOUT_MS = 10_000
DIFF_CONTEXT_LINES = 2

_LOCAL_ORIGIN = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?")
# Receipt and case numbers (YYY SS NNNNNN C) are counted by the server; a digit
# run of another length is data, compared as it is.
_CASE_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")
# A path segment of 16 or more hex digits is a random id the server drew (a photo
# crop, a payment slip): a new one every run.
_TOKEN_SEGMENT = re.compile(r"(?<=/)[0-9a-f]{16,}(?=[/?#\s\"]|$)", re.MULTILINE)

# Typed passwords stay out of committed files, as they stay out of tutorials.
_PASSWORDS_JS = """
() => [...document.querySelectorAll("input[type=password]")].map((el) => el.value)
  .filter((value) => value.length > 1)
"""
# Every text and link target inside an element the mock marks as dynamic.
_DYNAMIC_VALUES_JS = """
(selector) => {
  const values = [];
  for (const root of document.querySelectorAll(selector)) {
    const text = (root.innerText || "").trim();
    if (text) values.push(text, ...text.split(/\\s*\\n\\s*/));
    for (const el of [root, ...root.querySelectorAll("[href],[src]")]) {
      for (const name of ["href", "src"]) {
        const raw = el.getAttribute(name);
        if (raw) values.push(raw, el[name] || raw);
      }
    }
  }
  return values.filter((value) => value.trim().length > 1);
}
"""


def capture(page: Page, *, base_url: str | None, dynamic_selector: str) -> str:
    """The page's normalised ARIA snapshot, as YAML."""
    dynamic = page.evaluate(_DYNAMIC_VALUES_JS, dynamic_selector)
    passwords = page.evaluate(_PASSWORDS_JS)
    snapshot = page.locator("body").aria_snapshot(timeout=SNAPSHOT_TIMEOUT_MS)
    return normalise(snapshot, base_url=base_url, dynamic_values=dynamic, passwords=passwords)


def normalise(
    snapshot: str,
    *,
    base_url: str | None,
    dynamic_values: list[str],
    passwords: Sequence[str] = (),
) -> str:
    """``snapshot`` with the values that change by design replaced by placeholders."""
    text = snapshot
    for password in sorted(set(passwords), key=len, reverse=True):
        text = text.replace(f": {password}", f": {SECRET}")
    # Longest first: a whole mail line before the link it contains.
    for value in sorted(set(dynamic_values), key=len, reverse=True):
        text = text.replace(value, DYNAMIC)
    if base_url:
        text = text.replace(base_url.rstrip("/"), HOST)
    text = _LOCAL_ORIGIN.sub(HOST, text)
    text = _TOKEN_SEGMENT.sub(TOKEN, text)
    text = _CASE_NUMBER.sub(CASE_NUMBER, text)
    return text.rstrip("\n") + "\n"


def compare(expected: str, actual: str, *, expected_name: str, actual_name: str) -> list[str]:
    """A unified diff of the two snapshots; empty when they are the same."""
    return list(
        difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            fromfile=expected_name,
            tofile=actual_name,
            n=DIFF_CONTEXT_LINES,
            lineterm="",
        )
    )


def summary(diff: list[str]) -> str:
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    return f"accessibility tree differs: {removed} line(s) removed, {added} added"
