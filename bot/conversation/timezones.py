"""Find the IANA time zone a parent means from what they type: a zone name, a city, or a big nearby city."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import available_timezones

# Offered as buttons; most parents find theirs here or type their city.
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
)

# Big cities that are not zone names themselves, and a few country words parents type.
ALIASES = {
    "uk": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "manchester": "Europe/London",
    "birmingham": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "ireland": "Europe/Dublin",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "germany": "Europe/Berlin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "italy": "Europe/Rome",
    "milan": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "nyc": "America/New_York",
    "new_york_city": "America/New_York",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "philadelphia": "America/New_York",
    "atlanta": "America/New_York",
    "miami": "America/New_York",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "denver": "America/Denver",
    "phoenix": "America/Phoenix",
    "san_francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "san_diego": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "india": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new_delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "japan": "Asia/Tokyo",
    "canberra": "Australia/Sydney",
    "new_zealand": "Pacific/Auckland",
    "wellington": "Pacific/Auckland",
    "cape_town": "Africa/Johannesburg",
    "south_africa": "Africa/Johannesburg",
    "rio": "America/Sao_Paulo",
    "rio_de_janeiro": "America/Sao_Paulo",
    "brazil": "America/Sao_Paulo",
}

# Zone families kept for backward compatibility; a parent should see the canonical "Region/City" name.
_LEGACY_PREFIXES = ("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/", "posix/", "right/")
MAX_MATCHES = 6


def _key(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().lower()).strip("_")


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(_LEGACY_PREFIXES)))


@cache
def _by_lower() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}


def is_zone(name: str) -> bool:
    return name in available_timezones()


def match_zones(text: str) -> tuple[str, ...]:
    """The zones ``text`` could mean, best first: one for a clear match, several to choose from, or none."""
    key = _key(text)
    if not key or len(key) > 64:
        return ()
    exact = _by_lower().get(key) or _by_lower().get(text.strip().lower())
    if exact is not None:
        return (exact,)
    if key in ALIASES:
        return (ALIASES[key],)
    cities = [z for z in _zones() if _city_key(z) == key]
    if cities:
        return tuple(cities[:MAX_MATCHES])
    if len(key) < 3:
        return ()
    # A word of the city's name that starts with what was typed ("york" -> New York, "new" -> New York).
    found = [z for z in _zones() if any(word.startswith(key) for word in _words(z, key))]
    famous = [z for z in found if z in _famous()]
    # When a well-known zone fits, the obscure ones that also fit ("new" -> New Salem) are only noise.
    return tuple((famous or sorted(found, key=lambda z: z.count("/")))[:MAX_MATCHES])


def _city_key(zone: str) -> str:
    return zone.lower().rsplit("/", 1)[-1]


def _words(zone: str, key: str) -> list[str]:
    """The city's whole name and, for a one-word key, each of its words."""
    name = _city_key(zone)
    return [name] if "_" in key else [name, *re.split(r"[_-]", name)]


@cache
def _famous() -> frozenset[str]:
    return frozenset(COMMON_ZONES) | frozenset(ALIASES.values())


def city(zone: str) -> str:
    """A readable label: "America/New_York" -> "New York"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")
