"""Export my data / delete my data, checked against every table in the schema."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import families
from db.models import Announcement, AnnouncementDelivery, Base, Child, Delivery, Feedback, Parent
from db.privacy import delete_parent, export_parent

NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
Sessions = async_sessionmaker[AsyncSession]


@dataclass
class World:
    ana: Parent  # the parent who exports / deletes
    ben: Parent  # shares one child with Ana
    cleo: Parent  # another family entirely
    own: Child  # Ana's alone
    shared: Child  # Ana's and Ben's
    cleos: Child
    ben_invite_code: str


async def build_world(sessions: Sessions) -> World:
    async with sessions() as s:
        ana, _ = await families.get_or_create_parent(
            s, 900_000_000_001, first_name="Ana", language_code="en", time_zone="Europe/Lisbon"
        )
        ben, _ = await families.get_or_create_parent(
            s, 900_000_000_002, first_name="Ben", language_code="de", time_zone="Europe/Berlin"
        )
        cleo, _ = await families.get_or_create_parent(
            s, 900_000_000_003, first_name="Cleo", language_code=None, time_zone="UTC"
        )
        own = await families.add_child(
            s, ana, name="Mia", birthdate=dt.date(2025, 1, 5), due_date=dt.date(2025, 2, 1)
        )
        shared = await families.add_child(s, ben, name="Leo", birthdate=dt.date(2024, 11, 2), due_date=None)
        cleos = await families.add_child(s, cleo, name="Zoe", birthdate=dt.date(2025, 8, 9), due_date=None)
        invite = await families.create_invite(s, ben.id, shared.id, now=NOW, ttl=dt.timedelta(hours=48))
        await families.redeem_invite(s, invite.code, ana, now=NOW + dt.timedelta(minutes=5))
        await families.create_invite(s, ana.id, own.id, now=NOW, ttl=dt.timedelta(hours=48))
        await families.set_flow(s, ana, "settings", {"step": "time"})
        ana.next_due_at = NOW + dt.timedelta(days=3)
        for parent, child in ((ana, own), (ana, shared), (ben, shared), (cleo, cleos)):
            s.add(
                Delivery(
                    parent_id=parent.id,
                    child_id=child.id,
                    item_id="sa-7-18-stranger-anxiety",
                    slot_at=NOW,
                    claimed_at=NOW,
                    state="sent",
                    sent_at=NOW + dt.timedelta(seconds=2),
                    message_id=4_000_000_000 + parent.id,
                    feedback=Feedback.HELPFUL.value if parent is ana else None,
                )
            )
        news = Announcement(text="The service is closed on Monday.", state="sending", created_at=NOW)
        s.add(news)
        await s.flush()
        for parent in (ana, ben):
            s.add(
                AnnouncementDelivery(announcement_id=news.id, parent_id=parent.id, state="sent", sent_at=NOW)
            )
        await s.commit()
    return World(ana, ben, cleo, own, shared, cleos, invite.code)


async def test_export_holds_everything_about_the_parent_and_nothing_of_others(sessions: Sessions) -> None:
    world = await build_world(sessions)
    async with sessions() as s:
        exported = await export_parent(s, world.ana.id)
    text = json.dumps(exported)  # JSON-ready: no dates or other objects left
    assert json.loads(text) == exported
    parent = exported["parent"]
    assert parent["chat_id"] == 900_000_000_001
    assert parent["first_name"] == "Ana"
    assert parent["time_zone"] == "Europe/Lisbon"
    assert parent["tip_time"] == "09:00:00"
    assert parent["next_due_at"] == "2026-03-04T08:00:00+00:00"
    assert parent["flow_data"] == {"step": "time"}
    children = exported["children"]
    assert [(c["name"], c["caregivers"]) for c in children] == [("Mia", 1), ("Leo", 2)]
    assert children[0]["birthdate"] == "2025-01-05"
    assert children[0]["due_date"] == "2025-02-01"
    assert children[1]["due_date"] is None
    assert [(d["child_id"], d["feedback"]) for d in exported["deliveries"]] == [
        (world.own.id, "helpful"),
        (world.shared.id, "helpful"),
    ]
    assert exported["deliveries"][0]["sent_at"] == "2026-03-01T08:00:02+00:00"
    assert [i["child_id"] for i in exported["invites"]] == [world.own.id]
    assert [(a["text"], a["state"]) for a in exported["announcements"]] == [
        ("The service is closed on Monday.", "sent")
    ]
    # Other families: not their names, chat ids, children, or the invite Ben made.
    for other in ("Ben", "Cleo", "Zoe", "900000000002", "900000000003", world.ben_invite_code):
        assert other not in text


async def test_export_of_a_missing_parent_raises_lookup_error(sessions: Sessions) -> None:
    async with sessions() as s:
        with pytest.raises(LookupError):
            await export_parent(s, 12345)


async def all_rows(s: AsyncSession) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        result = await s.execute(select(table))
        rows[table.name] = [dict(r._mapping) for r in result]
    return rows


def traces(rows: dict[str, list[dict[str, Any]]], world: World) -> list[tuple[str, dict[str, Any]]]:
    """Every row, in any table, that points at Ana or her own child, or holds her chat id or name."""
    found = []
    for table in Base.metadata.sorted_tables:
        parent_columns = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "parents"]
        child_columns = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "children"]
        for row in rows[table.name]:
            if (
                any(row[c] == world.ana.id for c in parent_columns)
                or any(row[c] == world.own.id for c in child_columns)
                or (table.name == "parents" and row["id"] == world.ana.id)
                or (table.name == "children" and row["id"] == world.own.id)
                or world.ana.chat_id in row.values()
                or "Ana" in row.values()
                or "Mia" in row.values()
            ):
                found.append((table.name, row))
    return found


async def test_delete_leaves_nothing_of_the_parent_in_any_table(sessions: Sessions) -> None:
    world = await build_world(sessions)
    async with sessions() as s:
        before = await all_rows(s)
    assert len(traces(before, world)) > 5  # the check below can see Ana's data when it is there

    async with sessions() as s:
        await delete_parent(s, world.ana.id)
        await s.commit()
    async with sessions() as s:
        after = await all_rows(s)

    assert traces(after, world) == []
    # Everything else is exactly as it was, except that Ben's used invite no longer says who used it.
    for row in before["invites"]:
        if row["used_by"] == world.ana.id:
            row["used_by"] = None
    traced = traces(before, world)
    untouched = {name: [r for r in rows if (name, r) not in traced] for name, rows in before.items()}
    assert len(untouched["invites"]) == 1
    assert after == untouched
    assert [r["id"] for r in after["parents"]] == [world.ben.id, world.cleo.id]
    assert {r["id"] for r in after["children"]} == {world.shared.id, world.cleos.id}


async def test_a_shared_child_survives_for_the_other_caregiver(sessions: Sessions) -> None:
    world = await build_world(sessions)
    async with sessions() as s:
        await delete_parent(s, world.ana.id)
        await s.commit()
    async with sessions() as s:
        assert [c.name for c in await families.list_children(s, world.ben.id)] == ["Leo"]
        assert [p.id for p in await families.caregivers_of(s, world.shared.id)] == [world.ben.id]
        exported = await export_parent(s, world.ben.id)
    assert [d["child_id"] for d in exported["deliveries"]] == [world.shared.id]
    assert [c["caregivers"] for c in exported["children"]] == [1]


async def test_a_parent_can_start_again_after_deleting(sessions: Sessions) -> None:
    world = await build_world(sessions)
    async with sessions() as s:
        await delete_parent(s, world.ana.id)
        await s.commit()
    async with sessions() as s:
        parent, created = await families.get_or_create_parent(
            s, world.ana.chat_id, first_name="Ana", language_code=None, time_zone="UTC"
        )
        await s.commit()
    assert created
    async with sessions() as s:
        assert await families.list_children(s, parent.id) == []
        assert (await export_parent(s, parent.id))["deliveries"] == []


async def test_delete_in_the_session_that_loaded_the_parent(sessions: Sessions) -> None:
    """The bot deletes inside the update's session, with the parent loaded and perhaps just modified."""
    world = await build_world(sessions)
    async with sessions() as s:
        parent = await families.get_parent(s, world.ana.chat_id)
        assert parent is not None
        await families.set_flow(s, parent, "delete", {})
        children = await families.list_children(s, parent.id)
        await delete_parent(s, parent.id)
        assert await families.get_parent(s, world.ana.chat_id) is None
        assert await s.get(Child, children[0].id) is None
        await s.commit()
    async with sessions() as s:
        assert await families.get_parent(s, world.ana.chat_id) is None
