"""The Taiwan district list and address formatting in mock_platform.rules.addresses."""

from mock_platform.rules.addresses import CITIES, cities, format_address, is_valid_district


def test_twenty_two_cities_and_368_districts():
    assert len(CITIES) == 22
    assert sum(len(districts) for districts in CITIES.values()) == 368


def test_city_order_and_official_tai_character():
    assert list(CITIES)[:6] == ["臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市"]
    assert list(CITIES)[-3:] == ["澎湖縣", "金門縣", "連江縣"]
    assert not any("台" in city for city in CITIES)


def test_taipei_has_its_twelve_districts():
    assert CITIES["臺北市"] == [
        "中正區", "大同區", "中山區", "松山區", "大安區", "萬華區",
        "信義區", "士林區", "北投區", "內湖區", "南港區", "文山區",
    ]  # fmt: skip
    assert "中正區" in CITIES["臺北市"]


def test_no_duplicate_district_within_a_city():
    for districts in CITIES.values():
        assert len(set(districts)) == len(districts)


def test_is_valid_district():
    assert is_valid_district("臺北市", "中正區")
    assert is_valid_district("基隆市", "中正區")
    assert not is_valid_district("臺北市", "板橋區")
    assert not is_valid_district("新北市", "大安區")
    assert not is_valid_district("台北市", "中正區")


def test_loaded_once():
    assert cities() is cities() is CITIES


def test_format_address_full():
    parts = {
        "city": "臺北市",
        "district": "中正區",
        "village": "建國里",
        "neighborhood": "5",
        "street": "忠孝東路一段",
        "lane": "10",
        "alley": "3",
        "number": "2",
        "floor": "5",
    }
    assert format_address(parts) == "臺北市中正區建國里5鄰忠孝東路一段10巷3弄2號5樓"


def test_format_address_skips_empty_parts_and_keeps_existing_units():
    parts = {"city": "高雄市", "district": "苓雅區", "street": "中正路", "lane": "", "number": "8",
             "floor": "12樓"}  # fmt: skip
    assert format_address(parts) == "高雄市苓雅區中正路8號12樓"
