"""Data the mock starts with, and the wipe behind ``POST /__mock__/reset``."""

from __future__ import annotations

import shutil
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_platform.clock import TAIPEI, Clock
from mock_platform.db import Base
from mock_platform.models import Account, CardHolder
from mock_platform.services.passwords import hash_password
from mock_platform.settings import MockSettings

# The instant tutorial screenshots are taken at: the T9 tutorial's own date.
TUTORIAL_INSTANT = datetime(2024, 7, 30, 10, 0, tzinfo=TAIPEI)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "Demo1234"
# T8 by hand: an employer (統一編號 22099131) and an agency, and a holder whose card expired.
DEMO_EMPLOYER = ("democorp", "22099131")
DEMO_AGENCY = "demoagency"
EXPIRED_HOLDER_UINO = "A900012347"


def freeze_for_tutorials(clock: Clock) -> None:
    clock.set(TUTORIAL_INSTANT, frozen=True)


def seed_demo_data(db: Session) -> None:
    """Demo accounts and card holders, so a person can try T9 and T8 by hand."""
    if db.scalars(select(Account).where(Account.username == DEMO_USERNAME)).first():
        return
    for username, role, name, extra in (
        (DEMO_EMPLOYER[0], "employer", "DEMO CORPORATION", {"company_id": DEMO_EMPLOYER[1]}),
        (DEMO_AGENCY, "agency", "DEMO RELOCATION AGENCY", {}),
    ):
        db.add(
            Account(
                system="four_in_one",
                role=role,
                username=username,
                password_hash=hash_password(DEMO_PASSWORD),
                display_name=name,
                email=f"{username}@example.com.tw",
                verified=True,
                extra=extra,
            )
        )
    db.add(
        CardHolder(
            uino=EXPIRED_HOLDER_UINO,
            birth_date=date(1992, 5, 3),
            english_name="HUNT, JAMES",
            chinese_name="",
            nationality="日本",
            gender="男",
            passport_number="TR7654321",
            passport_expiry=date(2031, 10, 1),
            card_expiry=date(2024, 1, 31),
            email="james.hunt@example.com",
            phone="0911222333",
            extra={"expertise_field": "經濟領域", "qualification": ""},
        )
    )
    db.add(
        Account(
            system="four_in_one",
            role="self",
            username=DEMO_USERNAME,
            password_hash=hash_password(DEMO_PASSWORD),
            display_name="G. GREENING",
            email="greening@example.com.tw",
            verified=True,
        )
    )
    db.add(
        CardHolder(
            uino="A800013146",
            birth_date=date(1999, 9, 9),
            english_name="G. GREENING",
            chinese_name="",
            nationality="日本",
            gender="男",
            passport_number="TR1234567",
            passport_expiry=date(2030, 8, 8),
            card_expiry=date(2027, 12, 31),
            email="greening@example.com.tw",
            phone="0912345678",
        )
    )
    db.commit()
    # The officer console (/officer/login) by hand: one reviewing officer, officer / Officer1234.
    db.add(
        Account(
            system="officer",
            role="self",
            username="officer",
            password_hash=hash_password("Officer1234"),
            display_name="審核人員 王怡君",
            email="officer@immigration.example.gov.tw",
            verified=True,
        )
    )
    db.commit()


def wipe(db: Session, settings: MockSettings, clock: Clock) -> None:
    """Every row, every uploaded file, the clock: back to a fresh platform."""
    for table in reversed(Base.metadata.sorted_tables):
        db.execute(table.delete())
    db.commit()
    shutil.rmtree(settings.upload_dir, ignore_errors=True)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    clock.reset()
    if settings.tutorial_mode:
        freeze_for_tutorials(clock)
    seed_demo_data(db)
