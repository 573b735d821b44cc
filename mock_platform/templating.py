"""Jinja2 set-up: one ``base.html``, with ``pages/`` and ``partials/`` beneath it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from mock_platform import csrf, systems
from mock_platform.clock import TAIPEI

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals.update(
    platform_name=systems.PLATFORM_NAME,
    platform_name_en=systems.PLATFORM_NAME_EN,
    agency_name=systems.AGENCY_NAME,
    agency_name_en=systems.AGENCY_NAME_EN,
    home_path=systems.HOME_PATH,
    student_system_name=systems.STUDENT_SYSTEM_NAME,
    student_system_name_en=systems.STUDENT_SYSTEM_NAME_EN,
    taipei=TAIPEI,
    utc=UTC,
)


def taipei_date(moment: datetime) -> str:
    """A stored instant as the Taipei date users read (SQLite drops the zone; it is UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(TAIPEI).strftime("%Y/%m/%d")


TEMPLATES.env.filters["taipei_date"] = taipei_date


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    # The student system's pages (its own, and the shared payment ones) wear its banner.
    system = context.get("system")
    context.setdefault("student", getattr(system, "platform", "") == systems.STUDENT)
    # Every form carries it; scripts send it from the page's meta tag (mock_platform/csrf.py).
    context["csrf_token"] = csrf.page_token(request)
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
