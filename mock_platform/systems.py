"""The systems the mock serves (four on the four-in-one platform, one student system),
and their fixed texts."""

from __future__ import annotations

from dataclasses import dataclass

PLATFORM_NAME = "外國專業人才申辦窗口平臺"
PLATFORM_NAME_EN = "Foreign Professionals Online Application Platform"
AGENCY_NAME = "中華民國內政部移民署"
AGENCY_NAME_EN = "NATIONAL IMMIGRATION AGENCY, MINISTRY OF THE INTERIOR, REPUBLIC OF CHINA (TAIWAN)"
HOME_PATH = "/coa-frontend/four-in-one/entry/main"


@dataclass(frozen=True)
class MenuItem:
    """An entry of a drop-down: a real page, or (``path`` None) an honest not-offered page."""

    label: str
    path: str | None = None
    key: str = ""  # the not-offered page's slug, for items without a path


@dataclass(frozen=True)
class Menu:
    title: str
    items: tuple[MenuItem, ...]


FOUR_IN_ONE = "four_in_one"  # Account.system of the platform's members
STUDENT = "student"  # Account.system of the Students Online Application System


@dataclass(frozen=True)
class System:
    """One system: where it lives, what its menu bar offers, whose accounts it takes.

    ``case_prefix`` is the start of its cases' ``Case.system`` (a Gold Card system also
    holds its data-change cases, ``gold_card_change``); ``platform`` picks the header and
    footer (the student system has its own) and which accounts may log in.
    """

    slug: str
    name: str
    intro_path: str
    home_path: str
    menus: tuple[Menu, ...]
    case_prefix: str = ""
    platform: str = FOUR_IN_ONE
    login_path: str = ""

    @property
    def login_url(self) -> str:
        return self.login_path or f"/coa-frontend/four-in-one/login?system={self.slug}"

    def not_offered(self, key: str) -> str | None:
        """The label of the menu item ``key`` when the mock does not build it."""
        for menu in self.menus:
            for item in menu.items:
                if item.path is None and item.key == key:
                    return item.label
        return None


def _not_offered(label: str, key: str) -> MenuItem:
    return MenuItem(label, None, key)


GOLD_CARD_ROOT = "/coa-frontend/gold-card"
OTHER_REASON_ROOT = "/coa-frontend/other-reason"
STUDENT_ROOT = "/coa-frontend/foreign-student"
STUDENT_LOGIN_PATH = f"{STUDENT_ROOT}/individual/login"
STUDENT_SYSTEM_NAME = "外國與外僑、大陸與港澳、無戶籍國民學生線上申辦系統"
STUDENT_SYSTEM_NAME_EN = "Students Online Application System"

SYSTEMS: dict[str, System] = {
    "other-reason": System(
        slug="other-reason",
        name="其他事由延期線上申辦系統",
        intro_path=f"{OTHER_REASON_ROOT}/intro",
        home_path=f"{OTHER_REASON_ROOT}/home",
        menus=(
            Menu("待辦事項", (_not_offered("待辦事項列表", "todo"),)),
            Menu(
                "線上申請",
                (
                    MenuItem("其他事由居留證申請", f"{OTHER_REASON_ROOT}/apply/new"),
                    _not_offered("其他事由居留證延期申請", "extension"),
                ),
            ),
            Menu("進度查詢", (MenuItem("案件進度查詢", f"{OTHER_REASON_ROOT}/progress"),)),
            Menu("線上繳費", (MenuItem("線上繳費", f"{OTHER_REASON_ROOT}/payment"),)),
            Menu("帳號維護", (_not_offered("帳號資料維護", "account"),)),
            Menu("下載專區", (MenuItem("收據下載", f"{OTHER_REASON_ROOT}/downloads/receipts"),)),
        ),
        case_prefix="other_reason",
    ),
    "gold-card": System(
        slug="gold-card",
        name="就業金卡線上申辦系統",
        intro_path=f"{GOLD_CARD_ROOT}/intro",
        home_path=f"{GOLD_CARD_ROOT}/home",
        menus=(
            Menu("待辦事項", (_not_offered("待辦事項列表", "todo"),)),
            Menu(
                "線上申辦",
                (
                    MenuItem("就業金卡申請或重新申請", f"{GOLD_CARD_ROOT}/apply/drafts"),
                    _not_offered("就業金卡延期申請", "extension"),
                    MenuItem("就業金卡資料異動", f"{GOLD_CARD_ROOT}/change/new"),
                    _not_offered("就業金卡補發申請", "reissue"),
                ),
            ),
            # T8.7 reaches the draft list through 「進度查詢」, as its tutorial says.
            Menu(
                "進度查詢",
                (
                    MenuItem("就業金卡申請或重新申請", f"{GOLD_CARD_ROOT}/apply/drafts"),
                    MenuItem("案件進度查詢", f"{GOLD_CARD_ROOT}/progress"),
                    MenuItem("補正(件)列表", f"{GOLD_CARD_ROOT}/supplements"),
                ),
            ),
            Menu("線上繳費", (MenuItem("線上繳費", f"{GOLD_CARD_ROOT}/payment"),)),
            Menu("帳號維護", (_not_offered("帳號資料維護", "account"),)),
            Menu("下載專區", (MenuItem("收據下載", f"{GOLD_CARD_ROOT}/downloads/receipts"),)),
        ),
        case_prefix="gold_card",
    ),
    # S.7: the student system's 「線上申辦」 lists six applications; the tutorial walks one.
    "foreign-student": System(
        slug="foreign-student",
        name="外生、外僑生居留證申請 - 個人申請",
        intro_path=STUDENT_LOGIN_PATH,
        home_path=f"{STUDENT_ROOT}/home",
        menus=(
            Menu(
                "線上申辦",
                (
                    _not_offered("居留證首次申請", "first-permit"),
                    MenuItem("居留證延期申請(含資料異動)", f"{STUDENT_ROOT}/extension/new"),
                    _not_offered("居留證換證(未註冊電子證換已註冊IC居留證)", "ic-card"),
                    _not_offered("居留證資料異動", "data-change"),
                    _not_offered("居留證補發申請", "reissue"),
                    _not_offered("轉換學校申請(轉學、升學)", "school-change"),
                ),
            ),
            Menu("進度查詢", (MenuItem("案件進度查詢", f"{STUDENT_ROOT}/progress"),)),
            Menu("線上繳費", (MenuItem("線上繳費", f"{STUDENT_ROOT}/payment"),)),
            Menu("帳號維護", (_not_offered("帳號資料維護", "account"),)),
            Menu("下載專區", (MenuItem("收據下載", f"{STUDENT_ROOT}/downloads/receipts"),)),
        ),
        case_prefix="student",
        platform=STUDENT,
        login_path=STUDENT_LOGIN_PATH,
    ),
}


# Who files a Gold Card application (P-role); each role has its own login form.
ROLES: dict[str, str] = {
    "self": "外國人自行申請",
    "employer": "雇主提出申請",
    "agency": "委託代辦機構提出申請",
}

# The 「線上申辦項目」 icons of the platform home; those without a path are not in the mock.
HOME_ITEMS: list[tuple[str, str, str | None]] = [
    ("gold-card", "就業金卡", SYSTEMS["gold-card"].intro_path),
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

# The student system's 公布欄 (S.7), as its tutorial prints it.
STUDENT_BULLETINS: list[dict[str, str]] = [
    {
        "important": "✓",
        "title": "外國人於國內及海外延期居留及 Extend or Replace Lost ARCs",
        "unit": "移民資訊組系統設計科",
        "date": "2024/06/05",
    },
    {
        "important": "✓",
        "title": "資訊安全宣導事項，避免帳號密碼 Leakage of Accounts and Passwords",
        "unit": "移民資訊組系統設計科",
        "date": "2024/04/02",
    },
]
