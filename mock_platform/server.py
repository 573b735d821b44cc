"""Run the mock with uvicorn: ``python -m mock_platform.server`` or ``coa-e2e serve``."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from mock_platform.app import create_app
from mock_platform.settings import MockSettings


def build_settings(
    *, db: str | None, uploads: Path | None, control_api: bool, tutorial_mode: bool
) -> MockSettings:
    overrides: dict[str, object] = {"control_api": control_api, "tutorial_mode": tutorial_mode}
    if db:
        overrides["database_url"] = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    if uploads:
        overrides["upload_dir"] = uploads
    return MockSettings(**overrides)


def serve(settings: MockSettings, *, host: str, port: int) -> None:
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--db", help="SQLAlchemy URL or a SQLite file path")
    parser.add_argument("--uploads", type=Path)
    parser.add_argument("--no-control-api", action="store_true")
    parser.add_argument("--tutorial-mode", action="store_true")
    args = parser.parse_args()
    settings = build_settings(
        db=args.db,
        uploads=args.uploads,
        control_api=not args.no_control_api,
        tutorial_mode=args.tutorial_mode,
    )
    serve(settings, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
