"""Fixtures package: 統一證號 generation, seeded factories and generated upload files."""

import json
import random
from datetime import date

import pytest
from PIL import Image

from fixtures.factories import create_address, create_applicant, create_card_holder, make_faker
from fixtures.formats import ymd
from fixtures.models import CardHolderRecord
from fixtures.sample_files import (
    make_oversize_jpeg,
    make_passport_pdf,
    make_permit_png,
    make_photo,
    make_sample_documents,
    make_text_renamed_pdf,
)
from fixtures.uino import create_uino, with_bad_check_digit
from mock_platform.rules import expertise
from mock_platform.rules import uino as uino_rules
from mock_platform.rules.addresses import is_valid_district

TODAY = date(2025, 3, 15)


def test_created_uino_is_valid_and_new_format():
    rng = random.Random(42)
    for _ in range(200):
        number = create_uino(rng=rng)
        assert uino_rules.is_valid(number), number
        assert number[1] in "89"


def test_bad_check_digit_fails_only_on_the_check_digit():
    number = create_uino(rng=random.Random(7))
    bad = with_bad_check_digit(number)
    assert bad[:9] == number[:9] and bad[9] != number[9]
    assert not uino_rules.is_valid(bad)
    with pytest.raises(uino_rules.UINumberError, match="檢查碼"):
        uino_rules.validate(bad)


def test_tutorial_number_stays_valid_and_breaks():
    assert uino_rules.is_valid("A800013146")
    assert not uino_rules.is_valid(with_bad_check_digit("A800013146"))


def test_same_seed_same_data():
    first = make_faker(42)
    second = make_faker(42)
    holder_a = create_card_holder(faker=first, today=TODAY)
    holder_b = create_card_holder(faker=second, today=TODAY)
    assert holder_a == holder_b
    assert create_applicant(faker=first, holder=holder_a) == create_applicant(
        faker=second, holder=holder_b
    )
    assert create_address(faker=first) == create_address(faker=second)


def test_different_seed_different_data():
    assert create_card_holder(faker=make_faker(1), today=TODAY) != create_card_holder(
        faker=make_faker(2), today=TODAY
    )
    assert create_applicant(faker=make_faker(1), today=TODAY) != create_applicant(
        faker=make_faker(2), today=TODAY
    )


def test_card_holder_expiry_windows():
    faker = make_faker(3)
    for _ in range(50):
        valid = create_card_holder(faker=faker, today=TODAY)
        assert date(2025, 9, 15) <= valid.card_expiry <= date(2026, 9, 15)
        expired = create_card_holder(faker=faker, card_valid=False, today=TODAY)
        assert date(2024, 3, 15) <= expired.card_expiry <= date(2025, 2, 15)
        assert valid.passport_expiry > date(2027, 1, 1)
        assert uino_rules.is_valid(valid.uino)


def test_card_holder_names_and_contact():
    holder = create_card_holder(faker=make_faker(4), today=TODAY)
    assert holder.english_name == holder.english_name.upper()
    assert ", " in holder.english_name
    assert holder.chinese_name and not holder.chinese_name.isascii()
    assert holder.phone.startswith("09") and len(holder.phone) == 10


def test_applicant_takes_identity_from_holder():
    faker = make_faker(5)
    holder = create_card_holder(faker=faker, today=TODAY)
    applicant = create_applicant(faker=faker, holder=holder)
    for field in ("uino", "birth_date", "english_name", "chinese_name", "nationality",
                  "passport_number", "passport_expiry"):  # fmt: skip
        assert getattr(applicant, field) == getattr(holder, field)
    assert applicant.collect_office == "臺北市服務站"


def test_addresses_use_real_districts():
    faker = make_faker(6)
    for _ in range(200):
        address = create_address(faker=faker)
        assert is_valid_district(address.city, address.district), address
        assert address.number.isdigit()


def test_to_control_api_is_json_ready():
    holder = create_card_holder(faker=make_faker(8), today=TODAY)
    body = holder.to_control_api()
    assert body["birth_date"] == holder.birth_date.isoformat()
    assert len(body["card_expiry"]) == 10 and body["card_expiry"][4] == "-"
    assert CardHolderRecord.model_validate({**body, "card": None}) == holder.model_copy(
        update={"card": None}
    )
    assert body["extra"]["residence_city"] == holder.card.residence_address.city
    json.dumps(body)


def test_card_data_does_not_shift_later_draws():
    """Card data comes from its own stream: the applicant made next stays the same."""
    faker = make_faker(8)
    holder = create_card_holder(faker=faker, today=TODAY)
    first = create_applicant(faker=faker, holder=holder)
    assert holder.card is not None
    assert holder.card.qualification in expertise.QUALIFICATIONS[holder.card.expertise_field]
    again = make_faker(8)
    assert (
        create_applicant(faker=again, holder=create_card_holder(faker=again, today=TODAY)) == first
    )


def test_ymd():
    assert ymd(date(2026, 3, 9)) == "2026/03/09"


def test_photo_is_a_deterministic_jpeg(tmp_path):
    first = make_photo(tmp_path / "a.jpg")
    second = make_photo(tmp_path / "b.jpg")
    assert first.read_bytes() == second.read_bytes()
    with Image.open(first) as image:
        assert image.format == "JPEG" and image.size == (413, 531)


def test_oversize_jpeg_is_real_and_over_one_megabyte(tmp_path):
    path = make_oversize_jpeg(tmp_path / "big.jpg")
    assert path.stat().st_size > 1024 * 1024
    assert path.stat().st_size > 1100 * 1024
    with Image.open(path) as image:
        assert image.format == "JPEG"
        image.verify()


def test_passport_pdf_is_small_and_pdf_shaped(tmp_path):
    path = make_passport_pdf(tmp_path / "passport.pdf", applicant_name="DOE, JANE")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) < 1024 * 1024


def test_passport_pdf_opens_in_pypdf(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    path = make_passport_pdf(tmp_path / "passport.pdf", applicant_name="DOE, JANE")
    assert len(pypdf.PdfReader(path).pages) == 1


def test_permit_png(tmp_path):
    with Image.open(make_permit_png(tmp_path / "permit.png")) as image:
        assert image.format == "PNG"


def test_text_renamed_pdf_is_not_a_pdf(tmp_path):
    path = make_text_renamed_pdf(tmp_path / "fake.pdf")
    assert path.suffix == ".pdf"
    assert not path.read_bytes().startswith(b"%PDF")


def test_sample_documents(tmp_path):
    documents = make_sample_documents(tmp_path / "docs", applicant_name="DOE, JANE")
    assert documents.photo.exists()
    assert [p.suffix for p in documents.passport] == [".pdf"]
    assert [p.suffix for p in documents.residence_permit] == [".png"]
    assert documents.other == []
