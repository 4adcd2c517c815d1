"""What a parent types for their time zone, and the zones offered back (the lookup alone, no chat)."""

from datetime import UTC, datetime

import pytest

from bot.core.timezones import (
    COMMON_ZONES,
    MAX_CHOICES,
    confirmation,
    find_zone,
    fold,
    zone_choice,
    zone_label,
)

# A Sunday in late November: London on GMT, Sydney on summer time, São Paulo on UTC-3 all year.
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
JULY = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


def zones(typed: str, now: datetime = NOW) -> list[str]:
    return [c.zone for c in find_zone(typed, now).choices]


@pytest.mark.parametrize(
    ("typed", "zone", "label"),
    [
        # Cities, with or without accents, in any case, with the words around them that parents use.
        ("São Paulo", "America/Sao_Paulo", "São Paulo"),
        ("sao paulo", "America/Sao_Paulo", "São Paulo"),
        ("SAO PAULO ", "America/Sao_Paulo", "São Paulo"),
        ("Moscow time", "Europe/Moscow", "Moscow"),  # Russia's, not Moscow, Idaho
        ("new   york", "America/New_York", "New York City"),
        ("NYC", "America/New_York", "New York City"),
        ("I'm in Paris", "Europe/Paris", "Paris"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("Kiev", "Europe/Kyiv", "Kyiv"),  # another name of a big city
        ("Bangalore", "Asia/Kolkata", "Bengaluru"),
        ("München", "Europe/Berlin", "Munich"),
        ("zurich", "Europe/Zurich", "Zürich"),
        ("Porto", "Europe/Lisbon", "Porto"),  # a city's own name outranks a bigger city's alternate name
        ("Washington", "America/New_York", "Washington"),  # the capital before the state
        # The most populous of the cities of that name, with its country when another one is not far behind.
        ("Córdoba", "America/Argentina/Cordoba", "Córdoba (Argentina)"),
        ("Cordoba, Spain", "Europe/Madrid", "Córdoba"),
        ("Portland, Maine", "America/New_York", "Portland"),
        ("Portland, OR", "America/Los_Angeles", "Portland"),
        ("Paris France", "Europe/Paris", "Paris"),
        ("london uk", "Europe/London", "London"),
        # Countries and states with (nearly) one zone.
        ("Germany", "Europe/Berlin", "Berlin"),
        ("UK", "Europe/London", "London"),
        ("india", "Asia/Kolkata", "Kolkata"),
        ("Texas", "America/Chicago", "Chicago"),
        ("Japan", "Asia/Tokyo", "Tokyo"),  # a country, not the old zone alias "Japan"
        # Zone names in any case; abbreviations and zone words with one meaning.
        ("Europe/Paris", "Europe/Paris", "Paris"),
        ("europe/paris", "Europe/Paris", "Paris"),
        ("America/Sao_Paulo", "America/Sao_Paulo", "São Paulo"),
        ("PST", "America/Los_Angeles", "Los Angeles"),
        ("pacific time", "America/Los_Angeles", "Los Angeles"),
        ("CET", "Europe/Berlin", "Berlin"),
        ("EST", "America/New_York", "New York"),
        ("UTC", "UTC", "UTC"),
        # Offsets with the sign parents mean: UTC+2 is two hours ahead, kept as POSIX's Etc/GMT-2.
        ("GMT+2", "Etc/GMT-2", "UTC+2"),
        ("UTC+2", "Etc/GMT-2", "UTC+2"),
        ("utc -5", "Etc/GMT+5", "UTC-5"),
        ("UTC−5", "Etc/GMT+5", "UTC-5"),  # a typographic minus
        ("+2", "Etc/GMT-2", "UTC+2"),
        ("UTC+02:00", "Etc/GMT-2", "UTC+2"),
        ("+14", "Etc/GMT-14", "UTC+14"),
        ("gmt+0", "UTC", "UTC"),
        ("-3:30", "America/St_Johns", "St. John's"),  # no fixed zone for half hours: the place on it now
    ],
)
def test_one_zone(typed: str, zone: str, label: str):
    found = find_zone(typed, NOW)
    assert [(c.zone, c.label) for c in found.choices] == [(zone, label)]
    assert found.note == ""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("IST", ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]),
        ("BST", ["Europe/London", "Asia/Dhaka"]),
        ("AEST", ["Australia/Sydney", "Australia/Brisbane"]),
        ("GMT", ["Europe/London", "UTC"]),
        ("CST", ["America/Chicago", "Asia/Shanghai"]),
        ("+0530", ["Asia/Kolkata", "Asia/Colombo"]),
        ("GMT+5:30", ["Asia/Kolkata", "Asia/Colombo"]),
    ],
)
def test_a_choice_where_it_could_mean_several(typed: str, expected: list[str]):
    assert zones(typed) == expected


def test_a_half_hour_offset_is_the_places_on_it_at_that_moment():
    assert zones("-3:30", JULY) == []  # Newfoundland is on -2:30 in summer
    assert zones("-2:30", JULY) == ["America/St_Johns"]


def test_buttons_name_the_place_and_its_country():
    assert [c.button for c in find_zone("IST", NOW).choices] == [
        "Kolkata, India",
        "Dublin, Ireland",
        "Jerusalem, Israel",
    ]
    assert [c.button for c in find_zone("Singapore", NOW).choices] == ["Singapore"]


def test_a_big_country_is_a_choice_of_its_biggest_zones():
    found = zones("USA")
    assert found[:3] == ["America/New_York", "America/Chicago", "America/Los_Angeles"]
    assert len(found) == MAX_CHOICES == len(set(found))
    assert zones("Brazil")[0] == "America/Sao_Paulo"


def test_etc_names_count_the_other_way_round_so_they_are_asked_about():
    found = find_zone("Etc/GMT+2", NOW)
    assert found.note.startswith("Careful: despite its name, Etc/GMT+2 is UTC-2, not UTC+2")
    assert [(c.zone, c.label, c.value) for c in found.choices] == [
        ("Etc/GMT-2", "UTC+2", "UTC+2"),
        ("Etc/GMT+2", "UTC-2", "UTC-2"),
    ]


def test_an_etc_name_that_has_no_twin_offers_only_itself():
    assert [c.label for c in find_zone("Etc/GMT-14", NOW).choices] == ["UTC+14"]  # there is no UTC-14
    assert zones("Etc/GMT+13") == []  # not a zone at all


def test_part_of_a_name_is_always_a_question():
    assert zones("syd") == ["Australia/Sydney"]
    assert zones("los ang")[0] == "America/Los_Angeles"
    assert zones("paulo")[0] == "America/Sao_Paulo"  # a button, not taken as a yes
    new = zones("new")
    assert new[0] == "America/New_York"
    assert 1 < len(new) <= MAX_CHOICES
    assert len(new) == len(set(new))


@pytest.mark.parametrize(
    "typed", ["", "   ", "x" * 65, "Xyzzy", "<b>", "ok", "no", "+15", "utc+3:75", "Москва", "😀🍼"]
)
def test_nothing_found(typed: str):
    assert zones(typed) == []


def test_an_offset_nobody_uses_says_so():
    assert find_zone("UTC+15", NOW).note == "UTC+15 isn't an offset any place uses."


@pytest.mark.parametrize(
    "typed", ["IST", "USA", "Brazil", "GMT", "Etc/GMT+2", "+0530", "new", "san", "por", "city", "aest"]
)
def test_every_offered_button_finds_its_own_zone_again(typed: str):
    """A pressed button comes back as its value: it must mean exactly that zone, with no further question."""
    choices = find_zone(typed, NOW).choices
    assert choices
    assert len({c.zone for c in choices}) == len(choices)  # one button per distinct zone
    for choice in choices:
        assert zones(choice.value) == [choice.zone]


def test_the_zones_offered_by_default_and_stored_ones_find_themselves():
    for zone in (*COMMON_ZONES, "Etc/GMT-2", "Etc/GMT+11", "UTC", "America/Argentina/Buenos_Aires"):
        assert zones(zone_choice(zone).value) == [zone]


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("America/Sao_Paulo", "São Paulo"),
        ("America/New_York", "New York"),
        ("Asia/Kolkata", "Kolkata"),
        ("Europe/Zurich", "Zürich"),
        ("Etc/GMT-2", "UTC+2"),
        ("Etc/GMT+5", "UTC-5"),
        ("UTC", "UTC"),
        ("Antarctica/Troll", "Troll"),
    ],
)
def test_zone_labels_are_plain_words(zone: str, label: str):
    assert zone_label(zone) == label


def test_confirmations_say_the_local_time_now():
    assert confirmation(find_zone("São Paulo", NOW).choices[0], NOW) == "São Paulo time, now 07:00"
    assert confirmation(find_zone("Sydney", NOW).choices[0], NOW) == "Sydney time, now 21:00"
    fixed = confirmation(find_zone("GMT+2", NOW).choices[0], NOW)
    assert fixed.startswith("UTC+2, now 12:00. That is a fixed offset: it won't change for daylight saving")


@pytest.mark.parametrize(
    ("text", "folded"),
    [("São Paulo", "sao paulo"), ("St. John's", "st johns"), ("  New_York ", "new york"), ("Købe", "kobe")],
)
def test_fold(text: str, folded: str):
    assert fold(text) == folded
