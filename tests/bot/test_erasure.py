"""Erased means erased: after /deletedata or removing a child, the names are in neither the SQLite file nor
its write-ahead log (overwritten with secure_delete, the log checkpointed and truncated)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import housekeeping
from tests.bot.support import NOW, Harness, onboard
from tests.fake_telegram import Parent as TgParent

PARENT = "Ottoline"
CHILD = "Peregrina"
SIBLING = "Bartholomew"


def database_bytes(sessions: async_sessionmaker[AsyncSession]) -> bytes:
    path = Path(sessions.kw["bind"].url.database)
    files = [path, path.with_name(path.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


@pytest.fixture
def sqlite_only(db_backend: str) -> None:
    if db_backend != "sqlite":
        pytest.skip("the bytes on disk are the server's business on PostgreSQL")


@pytest.mark.usefixtures("sqlite_only")
async def test_deletedata_leaves_no_name_on_disk(
    bot: Harness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ann = TgParent(961, first_name=PARENT)
    await onboard(bot, ann, name=CHILD)
    await bot.say(ann, "/tip")
    await bot.say(ann, f"is it normal that {CHILD} cries?")
    assert CHILD.encode() in database_bytes(sessions)
    assert PARENT.encode() in database_bytes(sessions)
    await bot.say(ann, "/deletedata")
    await bot.tap(ann, "Yes, erase everything")
    stored = database_bytes(sessions)
    assert CHILD.encode() not in stored
    assert PARENT.encode() not in stored


@pytest.mark.usefixtures("sqlite_only")
async def test_a_removed_child_leaves_no_name_on_disk(
    bot: Harness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ann = TgParent(962, first_name=PARENT)
    await onboard(bot, ann, name=CHILD)
    await bot.say(ann, "/addchild")
    await bot.say(ann, SIBLING)
    await bot.say(ann, "1 May 2026")
    await bot.tap(ann, "No")
    assert SIBLING.encode() in database_bytes(sessions)
    await bot.say(ann, "/children")
    await bot.tap(ann, SIBLING)
    await bot.tap(ann, "🗑 Remove")
    await bot.tap(ann, f"Yes, remove {SIBLING}")
    stored = database_bytes(sessions)
    assert SIBLING.encode() not in stored
    assert CHILD.encode() in stored  # the other child stays


@pytest.mark.usefixtures("sqlite_only")
async def test_housekeeping_empties_the_log_after_its_deletes(
    bot: Harness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ann = TgParent(963, first_name=PARENT)
    await onboard(bot, ann, name=CHILD)
    path = Path(sessions.kw["bind"].url.database)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    await housekeeping.sweep(sessions, NOW + dt.timedelta(days=90))
    assert wal.stat().st_size == 0


@pytest.mark.usefixtures("sqlite_only")
async def test_a_parent_erased_by_housekeeping_leaves_no_name_on_disk(
    bot: Harness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Retention erases as completely as /deletedata: a parent stopped for longer than the retention period
    leaves neither their name nor their child's in the file or its log; another family stays."""
    ann, ben = TgParent(964, first_name=PARENT), TgParent(965, first_name="Benedikta")
    await onboard(bot, ann, name=CHILD)
    await onboard(bot, ben, name=SIBLING)
    await bot.say(ann, f"is it normal that {CHILD} cries?")
    await bot.say(ann, "/stop")
    await bot.tap(ann, "Yes, stop tips")
    assert CHILD.encode() in database_bytes(sessions)
    assert PARENT.encode() in database_bytes(sessions)
    await housekeeping.sweep(sessions, bot.clock.now)  # the hourly run that sees Ann stopped
    swept = await housekeeping.sweep(sessions, bot.clock.now + dt.timedelta(days=400))
    assert swept.parents == 1
    stored = database_bytes(sessions)
    assert CHILD.encode() not in stored
    assert PARENT.encode() not in stored
    assert SIBLING.encode() in stored  # Ben's family is still there
