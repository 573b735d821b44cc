"""Settings of the bundled mock, read from ``COA_MOCK_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MockSettings(BaseSettings):
    """Everything that differs between a developer's server, a test worker and CI."""

    model_config = SettingsConfigDict(env_prefix="COA_MOCK_")

    database_url: str = Field(
        default="sqlite:///var/mock.sqlite3",
        description="SQLAlchemy URL; SQLite by default so data survives a restart.",
    )
    upload_dir: Path = Field(default=Path("var/uploads"), description="Where uploads are kept.")
    control_api: bool = Field(default=True, description="Serve /__mock__/ (test mode).")
    tutorial_mode: bool = Field(
        default=False, description="Fixed captcha text and a frozen clock for screenshots."
    )
    smtp_url: str | None = Field(
        default=None,
        description="smtp://[user:password@]host[:port] (or smtps://) to relay every mail to; "
        "without the control API it is the only way mail leaves the mock.",
    )
    tutorial_captcha: str = "8R3K6"
    session_minutes: int = 30
    max_wrong_passwords: int = 5
    upload_limit_kb: int = 1024
    secret_key: str = "coa-mock-not-a-secret"

    @property
    def fixed_captcha(self) -> str | None:
        """The captcha text tutorial mode starts every browser with; None outside it."""
        return self.tutorial_captcha if self.tutorial_mode else None
