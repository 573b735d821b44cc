"""帳號登入 of the four-in-one platform and of the student system: what its inputs may hold.

The inputs go through the same text layer as every form (rules/text.py) before any
account is looked up, so an oversize or invisible value is refused with a message that
names its field, and counts as no attempt at the password. The page marks the field
in error by its label (``error_field``): 統一編號, 帳號, 密碼, 驗證碼.
"""

from __future__ import annotations

from collections.abc import Mapping

from mock_platform.rules import text
from mock_platform.rules.forms import Field

COMPANY_ID = "統一編號"
ACCOUNT = "帳號"
PASSWORD = "密碼"
CAPTCHA = "驗證碼"
# As long as the accounts table keeps a login name (models.Account.username).
USERNAME_MAX = 64

CAPTCHA_FIELD = Field("captcha", CAPTCHA, max_length=text.MAX_LENGTH["short"])
# In the order the page asks them, which is the order the refusals are reported in.
INPUTS: tuple[Field, ...] = (
    Field("company_id", COMPANY_ID, max_length=text.MAX_LENGTH["short"]),
    Field("username", ACCOUNT, max_length=USERNAME_MAX),
    Field("password", PASSWORD, max_length=text.MAX_LENGTH["password"]),
    CAPTCHA_FIELD,
)


def read_login(
    form: Mapping[str, object], *, account_label: str = ACCOUNT, company: bool = False
) -> tuple[dict[str, str], tuple[str, str] | None]:
    """The inputs cleaned, and the first refusal as (label the page marks, message).

    The password is checked but kept as typed: a space may be part of it. A refused
    input comes back blank, so nothing of it is shown back. Without ``company`` (any
    role but the employer's) the 統一編號 is not asked, and is blank whatever was sent.
    """
    values: dict[str, str] = {}
    refusal: tuple[str, str] | None = None
    for spec in INPUTS:
        raw = str(form.get(spec.name, ""))
        if spec.name == "company_id" and not company:
            values[spec.name] = ""
            continue
        label = account_label if spec.name == "username" else spec.label
        try:
            cleaned = text.clean(label, raw, max_length=spec.limit)
        except text.TextRejected as error:
            values[spec.name] = ""
            refusal = refusal or (spec.label, str(error))
            continue
        values[spec.name] = raw if spec.name == "password" else cleaned
    return values, refusal
