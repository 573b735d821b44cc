"""The results table of the hostile-input suite, printed once per run, xdist or not.

Why not ``pytest_terminal_summary``: only a root conftest or an installed plugin can
implement it for the process that prints the summary (under xdist that is the
controller, which never imports a test module), and this suite may add neither.

What is done instead: every input's outcome is appended, as one JSON line, to a file
in a folder every process of the run shares (``run_folder``: the run's pytest-N
basetemp, which xdist workers' basetemps sit in). A session-scoped fixture of the
suite calls ``print_when_complete`` when its process ends its session; the process
that finds every hostile test the run selected ended (each xdist worker collects all
of them) prints the table, once (an O_EXCL marker file), on the real stderr with
pytest's capture suspended. Under xdist a worker's stdout goes nowhere but its stderr
is the run's terminal, so in ``pytest -n 2 tests`` the table shows at the end of the
progress dots, before the failures and the summary line; without xdist, likewise.

The last hostile input to finish ran in some process that uses the fixture; that
process's session ends after it, so at least that process sees the table complete.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

RESULTS = "hostile-results"
PRINTED = "printed"
REFUSED = "refused"
ACCEPTED = "accepted"
# The categories, in the order the table lists them.
CATEGORIES = ("uploads", "fields", "access control", "CSRF", "concurrency", "officer login")


@dataclass(frozen=True)
class Outcome:
    """One hostile input: what was expected, whether the mock did it, what it did."""

    nodeid: str
    category: str
    expected: str  # REFUSED or ACCEPTED
    ok: bool
    did: str


def run_folder(factory: pytest.TempPathFactory, config: pytest.Config) -> Path:
    """A folder of this run only, shared by the xdist controller's workers."""
    base = factory.getbasetemp()
    shared = base.parent if hasattr(config, "workerinput") else base
    folder = shared / RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def record(folder: Path, outcome: Outcome) -> None:
    line = json.dumps(asdict(outcome), ensure_ascii=False) + "\n"
    # One write of one line per call, in append mode: lines of two processes never mix.
    with (folder / f"{os.getpid()}.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(line)


DONE = "__done__"  # an input has ended (its outcome may be missing: its set-up failed)
ENDED = "__ended__"  # a table-driven test has ended: its rows are the inputs, not it


def mark_done(folder: Path, nodeid: str, category: str, *, counted: bool = True) -> None:
    """The test (or a row of a table-driven test) has ended, even if its set-up failed."""
    record(folder, Outcome(nodeid, category, "", False, DONE if counted else ENDED))


def load(folder: Path) -> tuple[dict[str, Outcome], dict[str, str], set[str]]:
    """The recorded outcomes by node id, the category of every input that ended, and the
    node ids of every test that ended."""
    outcomes: dict[str, Outcome] = {}
    done: dict[str, str] = {}
    ended: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            outcome = Outcome(**json.loads(line))
            if outcome.did == DONE:
                done[outcome.nodeid] = outcome.category
                ended.add(outcome.nodeid)
            elif outcome.did == ENDED:
                ended.add(outcome.nodeid)
            else:
                outcomes[outcome.nodeid] = outcome
    return outcomes, done, ended


def table(outcomes: dict[str, Outcome], done: dict[str, str]) -> list[str]:
    """The table's lines: per category, inputs, refused / accepted as expected, not."""
    inputs: Counter[str] = Counter(done.values())
    refused = Counter(o.category for o in outcomes.values() if o.ok and o.expected == REFUSED)
    accepted = Counter(o.category for o in outcomes.values() if o.ok and o.expected == ACCEPTED)
    header = (
        "category",
        "inputs",
        "refused as expected",
        "accepted as expected",
        "not as expected",
    )
    rows = [
        (
            category,
            inputs[category],
            refused[category],
            accepted[category],
            inputs[category] - refused[category] - accepted[category],
        )
        for category in CATEGORIES
        if inputs[category]
    ]
    total = tuple(sum(row[column] for row in rows) for column in range(1, 5))
    rows.append(("total", *total))
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(5)]

    def line(row: tuple[object, ...]) -> str:
        cells = [str(row[0]).ljust(widths[0])]
        cells += [str(cell).rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return " | ".join(cells)

    rule = "-+-".join("-" * width for width in widths)
    lines = ["", "hostile inputs (tests/test_hostile.py)", line(header), rule]
    lines += [line(row) for row in rows[:-1]] + [rule, line(rows[-1])]
    failing = sorted(
        (o for o in outcomes.values() if not o.ok), key=lambda o: (o.category, o.nodeid)
    )
    missing = sorted(set(done) - set(outcomes))
    if failing or missing:
        lines.append("not as expected:")
        lines += [f"  [{o.category}] {_name(o.nodeid)}: {o.did}" for o in failing]
        lines += [f"  {_name(nodeid)}: ended before its outcome" for nodeid in missing]
    return lines + [""]


def _name(nodeid: str) -> str:
    return readable(nodeid.split("::", 1)[-1])


def readable(test_id: str) -> str:
    """A test id as written: pytest escapes what is not ASCII (「\\u73fe\\u8077」)."""
    try:
        return test_id.encode("ascii").decode("unicode_escape")
    except UnicodeError:  # not an escaped id: it is shown as it is
        return test_id


def print_when_complete(folder: Path, config: pytest.Config, expected: set[str]) -> None:
    """Print the table if every one of ``expected`` (node ids) has ended; once per run."""
    _, _, ended = load(folder)
    if not expected or not expected <= ended:
        return
    try:
        os.close(os.open(folder / PRINTED, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    outcomes, done, _ = load(folder)
    lines = table(outcomes, done)
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else _nothing():
        sys.stderr.write("\n".join(lines) + "\n")
        sys.stderr.flush()


class _nothing:  # noqa: N801 - a stand-in context manager
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
