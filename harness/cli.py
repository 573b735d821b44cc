"""The ``coa-e2e`` command: serve the mock, build the report, regenerate the tutorials."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mock_platform.server import build_settings
from mock_platform.server import serve as serve_mock

app = typer.Typer(
    help="coa-e2e: the NIA platforms' mock and its end-to-end harness.", no_args_is_help=True
)


@app.callback()
def main() -> None:
    """coa-e2e: the NIA platforms' mock and its end-to-end harness."""


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    db: Annotated[
        str, typer.Option(help="SQLite file or SQLAlchemy URL; data survives a restart.")
    ] = "var/mock.sqlite3",
    uploads: Annotated[Path, typer.Option(help="Folder for uploaded files.")] = Path("var/uploads"),
    control_api: Annotated[
        bool,
        typer.Option(
            "--control-api/--no-control-api", help="Serve /__mock__/ and the /mailbox/ (test mode)."
        ),
    ] = True,
    tutorial_mode: Annotated[
        bool, typer.Option(help="Frozen clock and fixed captcha, for screenshots.")
    ] = False,
) -> None:
    """Run the bundled mock platform.

    Example: coa-e2e serve --port 8000 --db var/mock.sqlite3, then open
    http://127.0.0.1:8000/coa-frontend/four-in-one/entry/main?lang=zh
    (demo account: demo / Demo1234; holder A800013146 born 1999/09/09).
    """
    settings = build_settings(
        db=db, uploads=uploads, control_api=control_api, tutorial_mode=tutorial_mode
    )
    typer.echo(
        f"mock platform on http://{host}:{port}/coa-frontend/four-in-one/entry/main?lang=zh",
        err=True,
    )
    serve_mock(settings, host=host, port=port)


RunFolder = Annotated[
    Path,
    typer.Argument(
        help="A run folder (reports/runs/<run-id>) or a reports folder, whose latest run is used."
    ),
]


def _run_folder(path: Path) -> Path:
    from harness.runs import RunNotFoundError, resolve

    try:
        return resolve(path)
    except RunNotFoundError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=1) from None


@app.command()
def report(run: RunFolder = Path("reports")) -> None:
    """Write the run's index.html from its step manifests.

    Example: coa-e2e report, then open reports/latest/index.html.
    """
    from harness.report import build_report

    typer.echo(build_report(_run_folder(run)))


@app.command()
def tutorials(run: RunFolder = Path("reports")) -> None:
    """Regenerate every tutorial (Markdown and HTML) from the run's screenshots.

    Example: coa-e2e tutorials, then open reports/latest/tutorials/T9/index.html.
    """
    from harness.tutorials import build_tutorials

    for path in build_tutorials(_run_folder(run)):
        typer.echo(path)


@app.command()
def accept(
    run: RunFolder = Path("reports"),
    scenario: Annotated[
        str | None, typer.Option(help="Only scenarios whose node id contains this text.")
    ] = None,
    step: Annotated[str | None, typer.Option(help="Only this step, e.g. T9.11.")] = None,
    baselines_dir: Annotated[Path, typer.Option(help="The committed baselines to update.")] = Path(
        "baselines"
    ),
) -> None:
    """Accept the visual changes a run found: its captures become the baselines.

    Example: coa-e2e accept --scenario test_t9_other_reason --step T9.11
    (then review `git diff baselines/` and commit).
    """
    from harness.visual.accept import accept as accept_changes

    accepted = accept_changes(_run_folder(run), baselines_dir, scenario=scenario, step_id=step)
    if not accepted:
        typer.echo("error: no failed visual check matches; nothing accepted", err=True)
        raise typer.Exit(code=1)
    for item in accepted:
        typer.echo(f"accepted {item.step_id} ({', '.join(item.layers)}) of {item.scenario}")
