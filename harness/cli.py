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
        bool, typer.Option("--control-api/--no-control-api", help="Serve /__mock__/ (test mode).")
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


ReportsDir = Annotated[Path, typer.Option(help="The reports folder a pytest run wrote.")]


@app.command()
def report(reports_dir: ReportsDir = Path("reports")) -> None:
    """Write reports/index.html from the step manifests of the last run.

    Example: coa-e2e report --reports-dir reports, then open reports/index.html.
    """
    from harness.report import build_report

    typer.echo(build_report(reports_dir))


@app.command()
def tutorials(reports_dir: ReportsDir = Path("reports")) -> None:
    """Regenerate every tutorial (Markdown and HTML) from the last run's screenshots.

    Example: coa-e2e tutorials, then open reports/tutorials/T9/index.html.
    """
    from harness.tutorials import build_tutorials

    for path in build_tutorials(reports_dir):
        typer.echo(path)
