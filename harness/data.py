"""Fixtures that set up test data through the control API: accounts, holders, documents."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page

from fixtures.factories import create_card_holder, create_student
from fixtures.models import CardHolderRecord, Documents, ReapplicationDocuments, StudentRecord
from fixtures.sample_files import make_reapplication_documents, make_sample_documents
from fixtures.ubn import create_ubn
from mock_platform.clock import TAIPEI

Platform = Any  # LiveMock or ExternalPlatform: both expose the same control client


def server_today(platform: Platform) -> date:
    """Today on the platform's clock (which tests may have moved), in Taipei."""
    now = datetime.fromisoformat(platform.clock()["now"])
    return now.astimezone(TAIPEI).date()


@pytest.fixture
def applicant_account(platform: Platform, faker: Faker) -> dict[str, Any]:
    """A verified four-in-one account of a self-applicant: username, password, e-mail."""
    name = faker.unique.user_name().replace(".", "")[:12]
    return platform.create_account(
        system="four_in_one",
        role="self",
        username=f"{name}{faker.random_int(10, 99)}",
        password=f"Pw{faker.pystr(min_chars=6, max_chars=6)}7",
        display_name=faker["en_US"].name().upper(),
    )


@pytest.fixture
def student_account(platform: Platform, faker: Faker) -> dict[str, Any]:
    """A verified account of the Students Online Application System (set-up shortcut for
    scenarios that do not walk S.2–S.5's registration)."""
    name = faker.unique.user_name().replace(".", "")[:10]
    return platform.create_account(
        system="student",
        username=f"{name}{faker.random_int(10, 99)}",
        password=f"study{faker.random_int(1000, 9999)}",
        display_name=faker["en_US"].name().upper(),
    )


@pytest.fixture
def employer_account(platform: Platform, faker: Faker) -> dict[str, Any]:
    """A verified employer account with its company's 統一編號 (``company_id``)."""
    company = faker["en_US"].company().upper()
    return platform.create_account(
        system="four_in_one",
        role="employer",
        username=f"corp{faker.random_int(1000, 9999)}",
        password=f"Pw{faker.pystr(min_chars=6, max_chars=6)}7",
        display_name=company,
        company_id=create_ubn(rng=random.Random(faker.random_int())),
    )


@pytest.fixture
def agency_account(platform: Platform, faker: Faker) -> dict[str, Any]:
    """A verified account of an agency (代辦機構) that files for its clients."""
    return platform.create_account(
        system="four_in_one",
        role="agency",
        username=f"agency{faker.random_int(1000, 9999)}",
        password=f"Pw{faker.pystr(min_chars=6, max_chars=6)}7",
        display_name=f"{faker['en_US'].last_name().upper()} RELOCATION SERVICES",
    )


@pytest.fixture
def card_holder(platform: Platform, faker: Faker) -> Callable[..., CardHolderRecord]:
    """Registers a Gold Card holder on the platform: ``card_holder(card_valid=True)``."""

    def register(*, card_valid: bool = True) -> CardHolderRecord:
        record = create_card_holder(
            faker=faker, card_valid=card_valid, today=server_today(platform)
        )
        platform.create_card_holder(record.to_control_api())
        return record

    return register


@pytest.fixture
def documents(sample_dir: Path) -> Documents:
    """A photo, a passport PDF and a residence-permit scan, generated for this test."""
    return make_sample_documents(sample_dir, applicant_name="TEST APPLICANT")


@pytest.fixture
def reapplication_documents(sample_dir: Path) -> ReapplicationDocuments:
    """Photo, passport, qualification proof and entry proof for T8's 「文件上傳」."""
    return make_reapplication_documents(
        sample_dir / "reapplication", applicant_name="TEST, APPLICANT"
    )


@pytest.fixture
def captcha(page: Page, platform: Platform) -> Callable[[], str]:
    """The answer of the captcha the page shows now (asked with the page's own cookies)."""

    def answer() -> str:
        response = page.context.request.get(f"{platform.url}/__mock__/captcha")
        return str(response.json()["answer"])

    return answer


@pytest.fixture
def officer_account(platform: Platform, faker: Faker) -> dict[str, Any]:
    """An officer of the agency, for the console at /officer/login: username, password."""
    return platform.create_account(
        system="officer",
        username=f"officer{faker.random_int(1000, 9999)}",
        password=f"Pw{faker.pystr(min_chars=6, max_chars=6)}7",
        display_name=f"審核人員 {faker['zh_TW'].name()}",
    )


@pytest.fixture
def student(platform: Platform, faker: Faker) -> Callable[..., StudentRecord]:
    """Reports a foreign student on the platform: ``student(permit_days_left=45)``."""

    def report(**options: Any) -> StudentRecord:
        record = create_student(faker=faker, today=server_today(platform), **options)
        platform.create_student(record.to_control_api())
        return record

    return report
