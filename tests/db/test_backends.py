"""The schema behaves the same on SQLite and PostgreSQL: types, constraints, and the due-list index."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db import families
from db.models import Caregiver, Child, Delivery, Parent, ParentState, UTCDateTime

Sessions = async_sessionmaker[AsyncSession]
NOW = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


async def new_parent(s: AsyncSession, chat_id: int = 1) -> Parent:
    parent, _ = await families.get_or_create_parent(
        s, chat_id, first_name="P", language_code=None, time_zone="UTC"
    )
    return parent


async def test_datetimes_come_back_as_the_same_instant_in_utc(sessions: Sessions) -> None:
    local = dt.datetime(2026, 3, 29, 7, 45, 12, 345678, tzinfo=IST)
    async with sessions() as s:
        parent = await new_parent(s)
        parent.next_due_at = local
        await s.commit()
    async with sessions() as s:
        stored = await s.get_one(Parent, parent.id)
    assert stored.next_due_at == local
    assert stored.next_due_at is not None
    assert stored.next_due_at.tzinfo is dt.UTC
    assert stored.next_due_at.isoformat() == "2026-03-29T02:15:12.345678+00:00"
    assert stored.created_at.tzinfo is dt.UTC


async def test_comparisons_use_the_instant_not_the_offset_it_was_given_in(sessions: Sessions) -> None:
    # 08:00 in India is 02:30 UTC, earlier than 03:00 UTC although "08:00" > "03:00" as text.
    async with sessions() as s:
        india = await new_parent(s, 1)
        utc = await new_parent(s, 2)
        india.next_due_at = dt.datetime(2026, 3, 29, 8, 0, tzinfo=IST)
        utc.next_due_at = dt.datetime(2026, 3, 29, 3, 0, tzinfo=dt.UTC)
        await s.commit()
    async with sessions() as s:
        cutoff = dt.datetime(2026, 3, 29, 2, 45, tzinfo=dt.UTC)
        due = await s.scalars(select(Parent.chat_id).where(Parent.next_due_at <= cutoff))
        assert list(due) == [1]
        ordered = await s.scalars(select(Parent.chat_id).order_by(Parent.next_due_at))
        assert list(ordered) == [1, 2]


async def test_naive_datetimes_are_refused(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s)
        parent.next_due_at = dt.datetime(2026, 3, 29, 9, 0)
        with pytest.raises(StatementError, match="naive datetime"):
            await s.flush()


async def test_json_dates_times_and_big_ids_round_trip(sessions: Sessions) -> None:
    data: dict[str, Any] = {
        "step": "birthdate",
        "names": ["Zoë", "李"],
        "n": 3,
        "ok": True,
        "nested": {"a": None},
    }
    async with sessions() as s:
        # Telegram ids go past 2**31; group-style ids are negative.
        user = await new_parent(s, 7_999_999_999)
        group = await new_parent(s, -1_001_234_567_890)
        user.flow_data = data
        user.tip_time = dt.time(19, 45)
        child = await families.add_child(
            s, user, name="Zoë", birthdate=dt.date(2024, 2, 29), due_date=dt.date(2024, 4, 1)
        )
        s.add(
            Delivery(
                parent_id=user.id,
                child_id=child.id,
                item_id="x",
                slot_at=NOW,
                claimed_at=NOW,
                message_id=2**40,
            )
        )
        await s.commit()
    async with sessions() as s:
        stored = await families.get_parent(s, 7_999_999_999)
        assert stored is not None
        assert (stored.flow_data, stored.tip_time) == (data, dt.time(19, 45))
        assert await families.get_parent(s, -1_001_234_567_890) is not None
        assert group.flow_data is None
        kid = await s.get_one(Child, child.id)
        assert (kid.name, kid.birthdate, kid.due_date) == ("Zoë", dt.date(2024, 2, 29), dt.date(2024, 4, 1))
        assert await s.scalar(select(Delivery.message_id)) == 2**40


async def test_a_slot_cannot_be_recorded_twice_even_written_in_another_offset(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s)
        child = await families.add_child(s, parent, name="A", birthdate=dt.date(2025, 5, 5), due_date=None)
        s.add(Delivery(parent_id=parent.id, child_id=child.id, item_id="a", slot_at=NOW, claimed_at=NOW))
        await s.commit()
    async with sessions() as s:
        s.add(
            Delivery(
                parent_id=parent.id,
                child_id=child.id,
                item_id="b",
                slot_at=NOW.astimezone(IST),
                claimed_at=NOW,
            )
        )
        with pytest.raises(IntegrityError):
            await s.commit()
    async with sessions() as s:
        # Another slot, or the same slot for another child, is fine.
        other = await families.add_child(
            s, await s.get_one(Parent, parent.id), name="B", birthdate=dt.date(2025, 5, 5), due_date=None
        )
        s.add(Delivery(parent_id=parent.id, child_id=other.id, item_id="a", slot_at=NOW, claimed_at=NOW))
        s.add(
            Delivery(
                parent_id=parent.id,
                child_id=child.id,
                item_id="a",
                slot_at=NOW + dt.timedelta(days=7),
                claimed_at=NOW,
            )
        )
        await s.commit()
        assert await s.scalar(select(func.count()).select_from(Delivery)) == 3


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Parent, {"chat_id": 5, "state": "asleep"}),
        (Caregiver, {"parent_id": 999, "child_id": 999}),  # foreign keys are enforced
        (Delivery, {"parent_id": 1, "child_id": 1, "item_id": "a", "slot_at": NOW, "state": "lost"}),
        (Delivery, {"parent_id": 1, "child_id": 1, "item_id": "a", "slot_at": NOW, "feedback": "meh"}),
    ],
)
async def test_constraints_reject_bad_rows(
    sessions: Sessions, model: type[Any], values: dict[str, Any]
) -> None:
    async with sessions() as s:
        parent = await new_parent(s)
        await families.add_child(s, parent, name="A", birthdate=dt.date(2025, 5, 5), due_date=None)
        await s.commit()
    async with sessions() as s:
        with pytest.raises(IntegrityError):
            await s.execute(insert(model).values(**values))


DUE_QUERY = (
    "SELECT * FROM parents WHERE state = 'active' AND next_due_at <= :now ORDER BY next_due_at LIMIT 100"
)


@pytest.mark.parametrize("backlog_hours", [1, 200], ids=["few-due", "backlog"])
async def test_the_due_query_reads_only_due_rows_through_the_index(
    engine: AsyncEngine, db_backend: str, backlog_hours: int
) -> None:
    """Finding who is due reads the due rows through ``ix_parents_due`` and never scans the table, so it costs
    the same for 1,000 or 1,000,000 families (a few dozen due rows, or a backlog of thousands after downtime)."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    states = [s.value for s in ParentState]
    rows = [
        {
            "chat_id": n,
            "time_zone": "UTC",
            "tip_days": "6",
            "tip_time": dt.time(9, 0),
            "state": states[n % len(states)],
            "next_due_at": start + dt.timedelta(minutes=n),
            "created_at": start,
            "updated_at": start,
        }
        for n in range(20_000)
    ]
    async with engine.begin() as connection:
        await connection.execute(insert(Parent), rows)
        await connection.execute(text("ANALYZE"))
    explain = "EXPLAIN QUERY PLAN " if db_backend == "sqlite" else "EXPLAIN "
    statement = text(explain + DUE_QUERY).bindparams(
        bindparam("now", start + dt.timedelta(hours=backlog_hours), type_=UTCDateTime())
    )
    async with engine.connect() as connection:
        plan = "\n".join(str(row[-1]) for row in await connection.execute(statement))
    if db_backend == "sqlite":
        assert "SEARCH parents USING INDEX ix_parents_due (state=? AND next_due_at<?)" in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # no sort step: the index already gives next_due_at order
        return
    assert "Seq Scan" not in plan, plan
    assert "Index Cond: (((state)::text = 'active'::text) AND (next_due_at <= " in plan, plan
    assert "ix_parents_due" in plan, plan
    if backlog_hours > 1:
        # Many due: PostgreSQL walks the index in order and stops after LIMIT rows, without sorting.
        assert "Index Scan using ix_parents_due" in plan, plan
        assert "Sort" not in plan, plan


async def test_sessions_writing_at_the_same_time_all_succeed(sessions: Sessions) -> None:
    """Updates and the dispatcher each use their own session; on SQLite, WAL and the busy timeout make
    simultaneous writers wait for each other instead of failing."""

    async def register(chat_id: int) -> None:
        async with sessions() as s:
            parent = await new_parent(s, chat_id)
            await families.add_child(s, parent, name="A", birthdate=dt.date(2025, 5, 5), due_date=None)
            await asyncio.sleep(0)  # let the other sessions start their writes before this one commits
            await s.commit()

    await asyncio.gather(*(register(chat_id) for chat_id in range(1, 21)))
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Caregiver)) == 20
