"""The zones a person may choose, each country's zones, and the one date format."""

from datetime import UTC, datetime

from app.core.zones import (
    canonical_zones,
    country_zones,
    format_date,
    format_local,
    is_canonical_zone,
    proposed_zone,
)


def test_a_country_with_one_zone_has_it_proposed_and_one_with_several_is_asked() -> None:
    assert proposed_zone("KR") == "Asia/Seoul"
    assert proposed_zone("ng") == "Africa/Lagos"
    assert proposed_zone("CI") == "Africa/Abidjan"
    assert proposed_zone("BR") is None and len(country_zones("BR")) > 1
    assert proposed_zone("XX") is None and country_zones(None) == ()


def test_a_country_s_zones_say_which_part_of_it_they_cover() -> None:
    labels = {zone.name: zone.label for zone in country_zones("RU")}
    assert labels["Europe/Moscow"].startswith("Moscow: MSK+00")
    assert "America/Indiana/Indianapolis" in {z.name for z in country_zones("US")}


def test_only_canonical_zones_are_offered_grouped_by_region() -> None:
    names = [zone.name for zone in canonical_zones()]
    assert names[0] == "UTC"
    assert "Asia/Kolkata" in names and "America/Sao_Paulo" in names
    for alias in ("US/Eastern", "Asia/Calcutta", "Etc/GMT+5", "GB", "Europe/Kiev"):
        assert not is_canonical_zone(alias), alias
    regions = [zone.region for zone in canonical_zones()[1:]]
    assert regions == sorted(regions)
    assert {"Africa", "America", "Asia", "Europe", "Pacific"} <= set(regions)


def test_dates_and_times_share_one_format() -> None:
    moment = datetime(2026, 12, 2, 5, 5, tzinfo=UTC)
    assert format_local(moment, "Asia/Seoul") == "Wed 2 Dec 2026, 14:05 (Asia/Seoul)"
    assert format_date(moment, "Asia/Seoul") == "Wed 2 Dec 2026"
    assert format_date(datetime(2026, 12, 2, 23, 30, tzinfo=UTC), "Asia/Seoul") == \
        "Thu 3 Dec 2026"
    assert format_date(None, "UTC") == ""
