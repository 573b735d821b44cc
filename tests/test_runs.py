"""The harness plugin as a user meets it: pytest run in a subprocess on a folder of its own.

Commands that only read leave an existing reports folder byte-identical; a run of
scenarios writes a new run folder and keeps the older ones; a visual difference
never stops a walk, the test fails once at its end naming every differing step and
layer; ``coa-e2e accept`` takes a change over.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

WALK = '''
import os

import pytest

PAGE = """<!doctype html><html lang="zh-Hant"><body style="margin:40px;font-family:sans-serif">
<h1>{title}</h1>
<p class="hint">{hint}</p>
<button type="button" style="background:{colour};color:#fff;padding:3px 10px">清除</button>
</body></html>"""

pytestmark = pytest.mark.tutorial("NEG")


def test_walk(page, steps):
    changed = os.environ.get("WALK_CHANGED") == "1"
    hint = "請逐一填寫所需資料" if changed else "請逐一填寫及上傳所需資料"
    page.set_content(PAGE.format(title="申請資料", hint=hint, colour="#c0392b"))
    with steps.step("NEG.walk.hint", "hint"):
        pass
    colour = "#e67e22" if changed else "#c0392b"
    page.set_content(PAGE.format(title="應檢附文件", hint="上傳", colour=colour))
    with steps.step("NEG.walk.colour", "colour"):
        pass
    page.set_content(PAGE.format(title="送出", hint="確認", colour="#c0392b"))
    with steps.step("NEG.walk.end", "the walk goes on"):
        assert page.get_by_role("button", name="清除").is_visible()
'''


def _pytest(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its content's hash, and every symlink's target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder holding the project's conftest and one small walk, run as users run it."""
    (tmp_path / "conftest.py").write_text(
        (REPO / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "test_walk.py").write_text(WALK, encoding="utf-8")
    (tmp_path / "test_unit.py").write_text("def test_unit():\n    assert 1 + 1 == 2\n")
    return tmp_path


@pytest.fixture
def earlier_run(project: Path) -> Path:
    """A reports folder with an earlier run's evidence in it."""
    run = project / "reports" / "runs" / "20240730-100000-abcdef"
    (run / "steps").mkdir(parents=True)
    (run / "steps" / "old.json").write_text('{"scenario": "old"}\n')
    (run / "run.json").write_text('{"passed": 7}\n')
    (project / "reports" / "latest").symlink_to(Path("runs", run.name))
    return project / "reports"


@pytest.mark.parametrize(
    "args",
    [["--collect-only", "-q"], ["--fixtures"], ["--help"], ["test_unit.py"]],
    ids=["collect-only", "fixtures", "help", "unit-tests"],
)
def test_commands_that_run_no_scenario_leave_reports_alone(
    project: Path, earlier_run: Path, args: list[str]
):
    before = _tree(earlier_run)

    done = _pytest(project, *args)

    assert done.returncode == 0, done.stdout + done.stderr
    assert _tree(earlier_run) == before
    assert "coa-e2e report" not in done.stdout


def test_a_walk_goes_on_past_visual_differences_and_fails_once(project: Path, earlier_run: Path):
    before = _tree(earlier_run)
    baselines = project / "baselines"
    common = ["test_walk.py", "--tutorial-mode", "--seed", "7", "--baselines-dir", str(baselines)]

    recorded = _pytest(project, *common, "--visual=update")
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert "baselines updated for 3 step(s)" in recorded.stdout
    assert (baselines / "environment.json").is_file()

    same = _pytest(project, *common, "--visual=compare")
    assert same.returncode == 0, same.stdout + same.stderr

    changed = _pytest(project, *common, "--visual=compare", env={"WALK_CHANGED": "1"})
    assert changed.returncode == 1, changed.stdout
    assert "1 failed" in changed.stdout
    assert "visual: 2 step(s) differ from their baselines (the walk went on)" in changed.stdout
    assert "NEG.walk.hint structure: accessibility tree differs" in changed.stdout
    assert "NEG.walk.colour style: what is seen differs" in changed.stdout
    assert "rgb(192, 57, 43) → rgb(230, 126, 34)" in changed.stdout

    runs = sorted((earlier_run / "runs").iterdir())
    assert len(runs) == 4  # the earlier run and three new ones, none replaced
    latest = (earlier_run / "latest").resolve()
    assert latest == runs[-1].resolve()
    manifest = json.loads(next((latest / "steps").glob("*.json")).read_text(encoding="utf-8"))
    assert [step["id"] for step in manifest["steps"]] == [
        "NEG.walk.hint",
        "NEG.walk.colour",
        "NEG.walk.end",
    ]
    assert [step["status"] for step in manifest["steps"]] == ["passed"] * 3
    assert [step["visual"]["status"] for step in manifest["steps"]] == [
        "failed",
        "failed",
        "passed",
    ]
    assert manifest["status"] == "failed"
    assert manifest["finished_at"] and manifest["duration_ms"] > 0
    assert (latest / "index.html").is_file() and (latest / "run.json").is_file()
    assert {k: v for k, v in _tree(earlier_run).items() if k.startswith("runs/2024")} == {
        k: v for k, v in before.items() if k.startswith("runs/2024")
    }

    accepted = subprocess.run(
        [str(Path(sys.executable).with_name("coa-e2e")), "accept", str(latest),
         "--step", "NEG.walk.colour", "--baselines-dir", str(baselines)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith("accepted NEG.walk.colour (style, pixels) of ")

    again = _pytest(project, *common, "--visual=compare", env={"WALK_CHANGED": "1"})
    assert again.returncode == 1
    assert "visual: 1 step(s) differ" in again.stdout
    differing = {line.split()[0] for line in again.stdout.splitlines() if line.startswith("  NEG.")}
    assert differing == {"NEG.walk.hint"}
