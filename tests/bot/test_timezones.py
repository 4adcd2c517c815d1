"""What a parent types for their time zone, and the zones offered back."""

import pytest

from bot.conversation.timezones import match_zones


@pytest.mark.parametrize(
    ("typed", "zones"),
    [
        ("Europe/Paris", ("Europe/Paris",)),
        ("europe/paris", ("Europe/Paris",)),
        ("London", ("Europe/London",)),
        ("  new   york ", ("America/New_York",)),
        ("NYC", ("America/New_York",)),
        ("munich", ("Europe/Berlin",)),
        # Part of a name: the well-known zone alone, not the obscure ones that also fit.
        ("new", ("America/New_York",)),
        ("york", ("America/New_York",)),
        ("angeles", ("America/Los_Angeles",)),
        ("los ang", ("America/Los_Angeles",)),
        ("syd", ("Australia/Sydney",)),
        ("paulo", ("America/Sao_Paulo",)),
        # Nothing well known: the zones whose city fits, shallow names before deeper ones.
        ("salvador", ("America/El_Salvador",)),
        ("city", ("America/Mexico_City", "America/Indiana/Tell_City")),
        ("ny", ()),
        ("", ()),
        ("x" * 65, ()),
        ("Atlantis", ()),
        ("<b>", ()),
    ],
)
def test_match_zones(typed: str, zones: tuple[str, ...]):
    assert match_zones(typed) == zones


def test_several_fits_are_capped_and_real_zones():
    found = match_zones("san")
    assert 1 < len(found) <= 6
    assert all("/" in zone and not zone.startswith("Etc/") for zone in found)
    assert found[0].count("/") == 1
