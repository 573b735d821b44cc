"""Hostile payloads, and what makes an answer a proper refusal.

A refusal answers with one of the expected statuses (never a 500), says something that
names the field, stores nothing (two ``World.snapshot`` compared) and shows nothing of
a markup payload back unescaped, in a page or in JSON.
"""

from __future__ import annotations

from typing import Any

from tests.hostile import report
from tests.hostile.mock import brief, changes, is_text, messages

REFUSED, ACCEPTED = report.REFUSED, report.ACCEPTED

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG_MAIL = "<svg/onload=alert(1)>@example.com"
SQL = "' OR '1'='1' --"
DROP = "'; DROP TABLE cases; --"
# The dangerous cores of the payloads: none may come back verbatim in a page or JSON.
XSS = (SCRIPT, "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FULL_WIDTH_LETTERS = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
)


def reflected(responses: list[Any], payload: str) -> str:
    """A problem if a markup payload comes back verbatim in a page or JSON body."""
    if not payload or not any(char in payload for char in '<>"'):
        return ""
    probes = {payload} | {marker for marker in XSS if marker in payload}
    for response in responses:
        if response is None or not is_text(response):
            continue
        for probe in sorted(probes, key=len):
            if probe in response.text:
                return f"reflected {brief(probe, 40)!r} unescaped ({response.request.url.path})"
    return ""


def server_error(response: Any) -> bool:
    return response.status_code >= 500 or (is_text(response) and "系統忙碌中" in response.text)


def refusal(
    response: Any,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    labels: tuple[str, ...] = (),
    says: tuple[str, ...] = (),
    statuses: tuple[int, ...] = (400, 422),
    payload: str = "",
    ignore: frozenset[str] = frozenset(),
    more: tuple[str, ...] = (),
) -> tuple[list[str], str]:
    """What is wrong with a refusal, and what the mock did, in a line."""
    said = messages(response)
    stored = changes(before, after, ignore=ignore)
    problems = [problem for problem in more if problem]
    status = response.status_code
    if server_error(response):
        problems.append(f"a server error ({status})")
    elif status not in statuses:
        problems.append(f"status {status}, not {'/'.join(map(str, statuses))}")
    if labels and not any(label in said for label in labels):
        problems.append(f"the message does not name {' / '.join(labels)}")
    problems += [
        f"the message does not say {fragment!r}"
        for fragment in says
        if not any(alternative in said for alternative in fragment.split("|"))
    ]
    if stored:
        problems.append("stored: " + "; ".join(stored))
    leak = reflected([response], payload)
    if leak:
        problems.append(leak)
    did = f"{status} «{brief(said) or '(no message)'}», " + (
        "stored " + "; ".join(stored) if stored else "nothing stored"
    )
    return problems, did
