"""Public pages of the four-in-one platform: home, system intros, login-method choice."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from mock_platform import systems
from mock_platform.rules import choices, expertise
from mock_platform.templating import render

router = APIRouter()

NOT_OFFERED: dict[str, str] = {
    **{slug: label for slug, label, path in systems.HOME_ITEMS if path is None},
    "english": "English 版網頁",
    "faq": "常見問答",
    "register": "註冊帳號",
    "resend-verification": "重發認證信",
    "forgot-account": "忘記帳號",
    "forgot-password": "忘記密碼",
    "citizen-certificate": "自然人憑證登入",
}


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse(f"{systems.HOME_PATH}?lang=zh")


@router.get(systems.HOME_PATH, response_class=HTMLResponse)
def platform_home(request: Request) -> HTMLResponse:
    return render(
        request,
        "pages/home.html",
        items=systems.HOME_ITEMS,
        bulletins=systems.BULLETINS,
    )


@router.get("/coa-frontend/four-in-one/entry/not-offered/{feature}", response_class=HTMLResponse)
def not_offered(request: Request, feature: str) -> HTMLResponse:
    if feature not in NOT_OFFERED:
        raise HTTPException(404)
    return render(request, "pages/not_offered.html", feature=NOT_OFFERED[feature])


@router.get("/coa-frontend/other-reason/intro", response_class=HTMLResponse)
def other_reason_intro(request: Request) -> HTMLResponse:
    return render(request, "pages/other_reason/intro.html", system=systems.SYSTEMS["other-reason"])


@router.get("/coa-frontend/other-reason/login", response_class=HTMLResponse)
def other_reason_login_method(request: Request) -> HTMLResponse:
    return render(
        request, "pages/other_reason/login_method.html", system=systems.SYSTEMS["other-reason"]
    )


@router.get("/coa-frontend/other-reason/service-stations", response_class=HTMLResponse)
def service_stations(request: Request) -> HTMLResponse:
    """「內政部移民署服務站聯絡資訊」, linked beside 領證地點."""
    return render(request, "pages/service_stations.html", stations=choices.SERVICE_STATIONS)


@router.get("/coa-frontend/other-reason/address-example", response_class=HTMLResponse)
def address_example(request: Request) -> HTMLResponse:
    """「地址填寫範例說明」, linked under the address blocks."""
    return render(request, "pages/address_example.html")


@router.get(systems.SYSTEMS["gold-card"].intro_path, response_class=HTMLResponse)
def gold_card_intro(request: Request) -> HTMLResponse:
    """P-intro-goldcard."""
    return render(request, "pages/gold_card/intro.html", fields=expertise.FIELDS)


@router.get(f"{systems.GOLD_CARD_ROOT}/role", response_class=HTMLResponse)
def gold_card_role(request: Request) -> HTMLResponse:
    """P-role: 「外國人自行申請」「雇主提出申請」「委託代辦機構提出申請」."""
    return render(request, "pages/gold_card/role.html", roles=systems.ROLES)


@router.get(f"{systems.GOLD_CARD_ROOT}/qualifications", response_class=HTMLResponse)
def gold_card_qualifications(request: Request) -> HTMLResponse:
    return render(
        request, "pages/gold_card/qualifications.html", qualifications=expertise.QUALIFICATIONS
    )
