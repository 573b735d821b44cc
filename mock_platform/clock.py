"""The one clock every rule of the mock reads, so tests can move server time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


class Clock:
    """Wall time plus an offset, or a frozen instant; always timezone-aware."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        if self._frozen is not None:
            return self._frozen
        return datetime.now(UTC) + self._offset

    def today_taipei(self) -> datetime:
        return self.now().astimezone(TAIPEI)

    def taipei_date(self) -> date:
        """Today's date in Taipei: the day every deadline and expiry is counted in."""
        return self.today_taipei().date()

    def advance(self, delta: timedelta) -> None:
        if self._frozen is not None:
            self._frozen += delta
        else:
            self._offset += delta

    def set(self, instant: datetime, *, frozen: bool = False) -> None:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=TAIPEI)
        # Always UTC inside: SQLite drops the offset on save and readers assume UTC.
        instant = instant.astimezone(UTC)
        if frozen:
            self._frozen = instant
        else:
            self._frozen = None
            self._offset = instant - datetime.now(UTC)

    def reset(self) -> None:
        self._offset = timedelta()
        self._frozen = None

    def describe(self) -> dict[str, str | bool]:
        return {"now": self.now().isoformat(), "frozen": self._frozen is not None}
