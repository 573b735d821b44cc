"""The systems of the four-in-one platform the mock serves, and their fixed texts."""

from __future__ import annotations

from dataclasses import dataclass

PLATFORM_NAME = "外國專業人才申辦窗口平臺"
PLATFORM_NAME_EN = "Foreign Professionals Online Application Platform"
AGENCY_NAME = "中華民國內政部移民署"
AGENCY_NAME_EN = "NATIONAL IMMIGRATION AGENCY, MINISTRY OF THE INTERIOR, REPUBLIC OF CHINA (TAIWAN)"
HOME_PATH = "/coa-frontend/four-in-one/entry/main"


@dataclass(frozen=True)
class System:
    """One system of the platform: where it lives and what its menu is called."""

    slug: str
    name: str
    intro_path: str
    home_path: str
    apply_menu: str


SYSTEMS: dict[str, System] = {
    "other-reason": System(
        slug="other-reason",
        name="其他事由延期線上申辦系統",
        intro_path="/coa-frontend/other-reason/intro",
        home_path="/coa-frontend/other-reason/home",
        apply_menu="線上申請",
    ),
}

# The 「線上申辦項目」 icons of the platform home; those without a path are not in the mock.
HOME_ITEMS: list[tuple[str, str, str | None]] = [
    ("gold-card", "就業金卡", None),
    ("employment-pass", "就業PASS卡", None),
    ("entrepreneur", "創業家簽證及外僑居留證", None),
    ("family", "依親親屬", None),
    ("other-reason", "其他事由延期", SYSTEMS["other-reason"].intro_path),
]

BULLETINS: list[dict[str, str]] = [
    {
        "important": "",
        "title": "本署訂於113年7月10、11、12日進行系統維護作業，系統維護期間將暫時停止服務，"
        "造成不便，尚請見諒。",
        "unit": "移民管理組系統設計科",
        "date": "2024/07/09",
    },
    {
        "important": "重要",
        "title": "就業金卡申請案件，請於核准後至本平臺「線上繳費」完成繳費，繳費完成後不予退還。",
        "unit": "移民事務組",
        "date": "2024/06/03",
    },
]
