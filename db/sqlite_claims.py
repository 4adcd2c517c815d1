"""SQLite only: a claim's heaviest statements in plain SQL on the loop thread's own connection.

A claim on the event loop's thread (``db.loop_session``) runs through a synchronous SQLAlchemy session, and
SQLAlchemy processes every bound value and every result value in Python: a datetime formatted, each child's
two summary maps decoded by its JSON type's wrapper, a claim's eight values bound one by one. For a batch of
500 parents with two years of tips that was about half the claim's CPU (bench/dispatch.py ``--instant``).
Here the same statements go to the ``sqlite3`` connection directly, values converted with the standard
library's C functions; ``db.deliveries`` uses these only inside a loop-thread claim, and returns the same
objects either way. A test checks that both paths leave the same rows.

Values are stored exactly as SQLAlchemy stores them on SQLite: datetimes in UTC as
``YYYY-MM-DD HH:MM:SS.ffffff``, JSON as ``json.dumps`` writes it, NULL for none.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.deliveries import ChildLink

# SQLite's limit on bound parameters is far above this (32,766 since 3.32); rows per INSERT are capped so
# that a statement never comes near it.
ROWS_PER_INSERT = 500
# Ids per IN list (as ``db.deliveries.IN_LIMIT``).
IN_LIMIT = 1000
CLAIM_COLUMNS = 8

_UTC = dt.UTC
_from_iso = dt.datetime.fromisoformat
_date_from_iso = dt.date.fromisoformat
_loads = json.loads
_quoted = encode_basestring_ascii
# The C scanner under json.loads (not in the stubs): (value, end) for the value starting at an index.
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def stamp(value: dt.datetime) -> str:
    """A datetime as SQLAlchemy stores it on SQLite (``db.models.UTCDateTime``: converted to UTC)."""
    v = value.astimezone(_UTC)
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (  # noqa: UP031 - SQLAlchemy's own format
        v.year,
        v.month,
        v.day,
        v.hour,
        v.minute,
        v.second,
        v.microsecond,
    )


def _utc(stored: str | None) -> dt.datetime | None:
    return None if stored is None else _from_iso(stored).replace(tzinfo=_UTC)


def _date(stored: str | None) -> dt.date | None:
    return None if stored is None else _date_from_iso(stored)


def _json(stored: str | None) -> Any:
    """Stored JSON decoded by the C scanner alone (``json.loads`` adds about a microsecond of Python per
    value around it; a claim decodes three per child); anything the scanner does not take whole, by
    ``json.loads``."""
    if stored is None:
        return None
    try:
        value, end = _scan(stored, 0)
    except StopIteration:
        return _loads(stored)
    return value if end == len(stored) else _loads(stored)


def _dumps_ints(values: dict[str, int]) -> str:
    """A map of names to whole numbers (ints only: their text is what json.dumps writes) exactly as
    ``json.dumps`` writes it, with its own string encoder and default separators, in three quarters of the
    time: a claim writes two such maps per child (a test checks the text against json.dumps)."""
    if not all(type(value) is int for value in values.values()):  # a stored true or NaN: json.dumps' own text
        return json.dumps(values)
    return "{" + ", ".join([f"{_quoted(key)}: {value}" for key, value in values.items()]) + "}"


def _with_value(stored: str | None, decoded: dict[str, Any] | None, key: str, value: int) -> str:
    """The stored map with ``key`` set to ``value``, as ``json.dumps`` writes the updated map: the number
    replaced in place, or the key added at the end (where a dict puts a new key). A claim changes one key of
    each of two maps of up to 20: editing the text costs a fraction of writing them whole. Text this cannot
    edit with certainty (not as ``json.dumps`` writes it) is written whole from ``decoded``."""
    decoded = decoded or {}
    opening = _quoted(key) + ": "
    if stored is None or stored == "{}":
        if not decoded:
            return "{" + opening + str(value) + "}"
    elif (old := decoded.get(key)) is None:
        # After at least one member (decoded), before the closing brace: the text stays one valid object.
        if decoded and opening[:-2] not in stored and stored[-1] == "}":
            return stored[:-1] + ", " + opening + str(value) + "}"
    elif (
        type(old) is int
        and (at := stored.find(opening)) > 0
        and (at == 1 or stored[at - 2 : at] == ", ")
        and stored.find(opening, at + 1) == -1  # a key written twice: the last one wins on reading
        and "{" not in stored[1:]  # a nested map could hold the same key
    ):
        start = at + len(opening)
        number = str(old)
        end = start + len(number)
        if stored.startswith(number, start) and stored[end : end + 1] in (",", "}"):
            return stored[:start] + str(value) + stored[end:]
    updated = dict(decoded)
    updated[key] = value
    return _dumps_ints(updated)


def _marks(count: int) -> str:
    """``count`` placeholders: the only text ever put into these statements."""
    return ",".join("?" * count)


# Statements whose lists of values are placeholders repeated: "?" in _LINKS, _NOT_FOR_US and _CLAIM, "(?)" in
# _ADVANCE.
_LINKS = (
    "SELECT c.parent_id, c.child_id, ch.name, ch.birthdate, ch.due_date, c.announced_bands, c.farewell_at,"
    " c.joined_at, c.declined_bands, c.tips_sent, c.tip_counts, c.tip_latest, c.tips_not_for_us"
    " FROM caregivers AS c JOIN children AS ch ON ch.id = c.child_id WHERE c.parent_id IN (?)"
    " ORDER BY c.parent_id, c.position, c.child_id"
)
_CLAIM = (
    "INSERT INTO deliveries (parent_id, child_id, item_id, slot_at, kind, state, claimed_at, attempts)"
    " VALUES ? ON CONFLICT (parent_id, child_id, slot_at) DO NOTHING RETURNING id, parent_id, child_id"
)
_NOT_FOR_US = (
    "SELECT child_id, tips_not_for_us FROM caregivers WHERE child_id IN (?) AND tips_not_for_us IS NOT NULL"
)
_ADVANCE = "UPDATE parents SET next_due_at = ?, updated_at = ? WHERE id IN (?) AND next_due_at = ?"


def due_parents(
    db: sqlite3.Connection, now: dt.datetime, limit: int
) -> list[tuple[int, int, str, str, dt.time, dt.datetime]]:
    """``db.deliveries.due_parents_query``'s rows: active parents due by ``now``, oldest first."""
    rows = db.execute(
        "SELECT id, chat_id, time_zone, tip_days, tip_time, next_due_at FROM parents"
        " WHERE state = 'active' AND next_due_at <= ? ORDER BY next_due_at LIMIT ?",
        (stamp(now), limit),
    ).fetchall()
    return [
        (pid, chat, zone, days, dt.time.fromisoformat(at), _from_iso(due).replace(tzinfo=_UTC))
        for pid, chat, zone, days, at, due in rows
    ]


def links_of(db: sqlite3.Connection, parent_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """``db.deliveries.links_of``'s rows (``ChildLink``'s fields in order, the two summary maps' stored text
    last), in the parents' order."""
    rows = db.execute(_LINKS.replace("?", _marks(len(parent_ids))), list(parent_ids)).fetchall()
    return [
        (
            pid,
            cid,
            name,
            _date_from_iso(born),
            _date(due),
            told,
            _utc(bye),
            _from_iso(joined).replace(tzinfo=_UTC),
            declined,
            sent,
            _json(counts),
            _json(latest),
            _json(rejected),
            counts,
            latest,
        )
        for pid, cid, name, born, due, told, bye, joined, declined, sent, counts, latest, rejected in rows
    ]


def not_for_us_by_child(db: sqlite3.Connection, child_ids: Sequence[int]) -> list[tuple[int, list[str]]]:
    """``db.deliveries.not_for_us_by_child``'s rows: (child, its "not for us" list) where one is stored."""
    rows: list[tuple[int, list[str]]] = []
    for start in range(0, len(child_ids), IN_LIMIT):
        chunk = list(child_ids[start : start + IN_LIMIT])
        rows += (
            (child_id, _loads(items))
            for child_id, items in db.execute(_NOT_FOR_US.replace("?", _marks(len(chunk)), 1), chunk)
        )
    return rows


def claim(
    db: sqlite3.Connection, rows: Sequence[tuple[int, int, str, dt.datetime, str]], now: dt.datetime
) -> dict[tuple[int, int], int]:
    """Insert claims (parent, child, item, slot, kind) in state ``claimed``, skipping slots already claimed;
    returns (parent, child) -> new delivery id, as ``db.deliveries.claim``."""
    claimed_at = stamp(now)
    # A batch has a few slots: each formatted once. Keyed with fold too: two wall times of a DST change compare
    # equal in one zone but are different instants.
    stamps: dict[tuple[dt.datetime, int], str] = {}
    ids: dict[tuple[int, int], int] = {}
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start : start + ROWS_PER_INSERT]
        values: list[Any] = []
        for parent_id, child_id, item_id, slot_at, kind in chunk:
            if (slot := stamps.get((slot_at, slot_at.fold))) is None:
                slot = stamps[(slot_at, slot_at.fold)] = stamp(slot_at)
            values += (parent_id, child_id, item_id, slot, kind, "claimed", claimed_at, 1)
        one = "(" + _marks(CLAIM_COLUMNS) + ")"
        result = db.execute(_CLAIM.replace("?", ",".join([one] * len(chunk))), values)
        for delivery_id, parent_id, child_id in result:
            ids[(parent_id, child_id)] = delivery_id
    return ids


def advance(db: sqlite3.Connection, ids: Sequence[int], old: dt.datetime, new: dt.datetime | None) -> None:
    """Move these parents' schedules from ``old`` to ``new`` unless someone moved them already, stamping
    ``updated_at`` as the model's ``onupdate`` does."""
    db.execute(
        _ADVANCE.replace("(?)", f"({_marks(len(ids))})"),
        [None if new is None else stamp(new), stamp(dt.datetime.now(_UTC)), *ids, stamp(old)],
    )


def count_claims(db: sqlite3.Connection, claimed: Iterable[tuple[ChildLink, str, int]]) -> None:
    """Add just-claimed deliveries (link as read, item, delivery id) to their caregiver rows' summaries, as
    ``db.deliveries.count_claims`` does."""
    rows = []
    for link, item_id, delivery_id in claimed:
        counts = link.tip_counts
        count = (counts.get(item_id, 0) if counts else 0) + 1
        rows.append(
            (
                link.tips_sent + 1,
                _with_value(link.tip_counts_text, counts, item_id, count),
                _with_value(link.tip_latest_text, link.tip_latest, item_id, delivery_id),
                link.parent_id,
                link.child_id,
            )
        )
    db.executemany(
        "UPDATE caregivers SET tips_sent = ?, tip_counts = ?, tip_latest = ? WHERE parent_id = ? AND child_id = ?",
        rows,
    )
