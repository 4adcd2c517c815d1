"""Families: parents, children, caregivers and invites, on every backend under test."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import families
from db.families import InviteError
from db.models import Caregiver, Child, Delivery, Invite, Parent, ParentState

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(hours=48)
BIRTH = dt.date(2025, 6, 1)

Sessions = async_sessionmaker[AsyncSession]


async def new_parent(s: AsyncSession, chat_id: int, first_name: str = "Ana") -> Parent:
    parent, _ = await families.get_or_create_parent(
        s, chat_id, first_name=first_name, language_code="en", time_zone="Europe/Berlin"
    )
    return parent


async def test_get_or_create_parent_creates_once_and_refreshes_telegram_fields(sessions: Sessions) -> None:
    async with sessions() as s:
        parent, created = await families.get_or_create_parent(
            s, 5_000_000_001, first_name="Ana", language_code="pt-br", time_zone="America/Sao_Paulo"
        )
        await s.commit()
    assert created
    assert (parent.time_zone, parent.tip_days, parent.tip_time) == ("America/Sao_Paulo", "6", dt.time(9, 0))
    assert parent.state == ParentState.ACTIVE
    async with sessions() as s:
        again, created = await families.get_or_create_parent(
            s, 5_000_000_001, first_name="Ana Maria", language_code=None, time_zone="UTC"
        )
        await s.commit()
    assert not created
    assert again.id == parent.id
    assert (again.first_name, again.language_code, again.time_zone) == (
        "Ana Maria",
        "pt-br",
        "America/Sao_Paulo",
    )
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Parent)) == 1
        assert await families.get_parent(s, 5_000_000_001) is not None
        assert await families.get_parent(s, 42) is None


async def test_get_or_create_parent_in_two_sessions_at_once_makes_one_row(sessions: Sessions) -> None:
    async with sessions() as first:
        a, created_a = await families.get_or_create_parent(
            first, 77, first_name="A", language_code=None, time_zone="UTC"
        )
        await first.commit()
    async with sessions() as second:
        b, created_b = await families.get_or_create_parent(
            second, 77, first_name="A", language_code=None, time_zone="UTC"
        )
        await second.commit()
    assert (created_a, created_b) == (True, False)
    assert a.id == b.id


async def test_long_names_are_cut_to_fit_on_every_backend(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s, 1, first_name="N" * 100)
        child = await families.add_child(s, parent, name="  " + "x" * 100, birthdate=BIRTH, due_date=None)
        await s.commit()
    assert parent.first_name == "N" * 64
    assert child.name == "x" * 64


async def test_children_are_listed_in_the_parents_order(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s, 1)
        other = await new_parent(s, 2)
        first = await families.add_child(s, parent, name="Mia", birthdate=BIRTH, due_date=None)
        second = await families.add_child(
            s, parent, name="Leo", birthdate=dt.date(2026, 1, 10), due_date=dt.date(2026, 2, 20)
        )
        await families.add_child(s, other, name="Not yours", birthdate=BIRTH, due_date=None)
        await s.commit()
    async with sessions() as s:
        children = await families.list_children(s, parent.id)
    assert [c.id for c in children] == [first.id, second.id]
    assert (children[1].birthdate, children[1].due_date) == (dt.date(2026, 1, 10), dt.date(2026, 2, 20))


async def test_a_child_is_only_reachable_by_its_caregivers(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s, 1)
        stranger = await new_parent(s, 2)
        child = await families.add_child(s, parent, name="Mia", birthdate=BIRTH, due_date=None)
        await s.commit()
    async with sessions() as s:
        assert (await families.get_child_for_parent(s, parent.id, child.id)) is not None
        assert await families.get_child_for_parent(s, stranger.id, child.id) is None
        assert await families.get_child_for_parent(s, parent.id, child.id + 1000) is None
        assert not await families.remove_child(s, stranger.id, child.id)
        with pytest.raises(ValueError, match="caregiver"):
            await families.create_invite(s, stranger.id, child.id, now=NOW, ttl=TTL)
        await s.commit()
    async with sessions() as s:
        assert await s.get(Child, child.id) is not None


async def test_update_child_changes_only_what_was_given(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s, 1)
        child = await families.add_child(s, parent, name="Mia", birthdate=BIRTH, due_date=dt.date(2025, 7, 1))
        await families.update_child(s, child, name=" Mimi ")
        await s.commit()
    async with sessions() as s:
        stored = await families.get_child_for_parent(s, parent.id, child.id)
        assert stored is not None
        assert (stored.name, stored.birthdate, stored.due_date) == ("Mimi", BIRTH, dt.date(2025, 7, 1))
        await families.update_child(s, stored, birthdate=dt.date(2025, 6, 2), due_date=dt.date(2025, 7, 5))
        await s.commit()
    async with sessions() as s:
        stored = await families.get_child_for_parent(s, parent.id, child.id)
        assert stored is not None
        assert (stored.birthdate, stored.due_date) == (dt.date(2025, 6, 2), dt.date(2025, 7, 5))
        await families.update_child(s, stored, clear_due_date=True)
        await s.commit()
    async with sessions() as s:
        stored = await s.get(Child, child.id)
        assert stored is not None
        assert stored.due_date is None


async def share(sessions: Sessions) -> tuple[Parent, Parent, Child]:
    """Two parents sharing one child through an invite."""
    async with sessions() as s:
        first = await new_parent(s, 1)
        second = await new_parent(s, 2, first_name="Ben")
        child = await families.add_child(s, first, name="Mia", birthdate=BIRTH, due_date=None)
        invite = await families.create_invite(s, first.id, child.id, now=NOW, ttl=TTL)
        await s.commit()
    async with sessions() as s:
        second = await s.get_one(Parent, second.id)
        joined = await families.redeem_invite(s, invite.code, second, now=NOW + dt.timedelta(hours=1))
        await s.commit()
    assert [c.id for c in joined] == [child.id]
    return first, second, child


async def test_an_invite_links_a_second_caregiver_once(sessions: Sessions) -> None:
    first, second, child = await share(sessions)
    async with sessions() as s:
        assert [p.id for p in await families.caregivers_of(s, child.id)] == [first.id, second.id]
        assert [c.id for c in await families.list_children(s, second.id)] == [child.id]
        invite = await s.scalar(select(Invite))
        assert invite is not None
        assert (invite.used_by, invite.used_at) == (second.id, NOW + dt.timedelta(hours=1))
        third = await new_parent(s, 3)
        with pytest.raises(InviteError) as used:
            await families.redeem_invite(s, invite.code, third, now=NOW + dt.timedelta(hours=2))
        assert used.value.reason == "used"
        with pytest.raises(InviteError) as linked:
            await families.redeem_invite(s, invite.code, second, now=NOW + dt.timedelta(hours=2))
        assert linked.value.reason == "already_linked"
        assert await families.caregivers_of(s, child.id) == [
            await s.get(Parent, first.id),
            await s.get(Parent, second.id),
        ]


async def test_invite_codes_are_random_url_safe_and_expire(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s, 1)
        joiner = await new_parent(s, 2)
        child = await families.add_child(s, parent, name="Mia", birthdate=BIRTH, due_date=None)
        invites = [await families.create_invite(s, parent.id, child.id, now=NOW, ttl=TTL) for _ in range(5)]
        await s.commit()
    codes = {i.code for i in invites}
    assert len(codes) == 5
    assert all(len(c) >= 16 and c.replace("-", "").replace("_", "").isalnum() for c in codes)
    assert invites[0].expires_at == NOW + TTL
    async with sessions() as s:
        joiner = await s.get_one(Parent, joiner.id)
        with pytest.raises(InviteError) as expired:
            await families.redeem_invite(s, invites[0].code, joiner, now=NOW + TTL)
        assert expired.value.reason == "expired"
        with pytest.raises(InviteError) as unknown:
            await families.redeem_invite(s, "not-a-code", joiner, now=NOW)
        assert unknown.value.reason == "unknown"
        with pytest.raises(InviteError) as own:
            await families.redeem_invite(s, invites[1].code, await s.get_one(Parent, parent.id), now=NOW)
        assert own.value.reason == "already_linked"
        # A code pasted with spaces around it still works, just before it expires.
        joined = await families.redeem_invite(
            s, f" {invites[1].code}\n", joiner, now=NOW + TTL - dt.timedelta(seconds=1)
        )
        await s.commit()
    assert [c.id for c in joined] == [child.id]


async def test_redeeming_one_code_twice_at_once_links_only_one(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s, 1)
        a = await new_parent(s, 2)
        b = await new_parent(s, 3)
        child = await families.add_child(s, parent, name="Mia", birthdate=BIRTH, due_date=None)
        invite = await families.create_invite(s, parent.id, child.id, now=NOW, ttl=TTL)
        await s.commit()
    # Both read the unused invite before either writes: the conditional update lets only the first through.
    async with sessions() as first:
        stale = await first.scalar(select(Invite).where(Invite.code == invite.code))
        assert stale is not None
        assert stale.used_at is None
        async with sessions() as second:
            await families.redeem_invite(second, invite.code, await second.get_one(Parent, b.id), now=NOW)
            await second.commit()
        with pytest.raises(InviteError) as lost:
            await families.redeem_invite(first, invite.code, await first.get_one(Parent, a.id), now=NOW)
        assert lost.value.reason == "used"
        await first.rollback()
    async with sessions() as s:
        assert [p.id for p in await families.caregivers_of(s, child.id)] == [parent.id, b.id]


async def test_removing_a_shared_child_keeps_it_for_the_other_caregiver(sessions: Sessions) -> None:
    first, second, child = await share(sessions)
    async with sessions() as s:
        s.add(Delivery(parent_id=first.id, child_id=child.id, item_id="a", slot_at=NOW, claimed_at=NOW))
        s.add(Delivery(parent_id=second.id, child_id=child.id, item_id="a", slot_at=NOW, claimed_at=NOW))
        await families.create_invite(s, first.id, child.id, now=NOW, ttl=TTL)
        await s.commit()
    async with sessions() as s:
        assert await families.remove_child(s, first.id, child.id)
        await s.commit()
    async with sessions() as s:
        assert await families.list_children(s, first.id) == []
        assert [c.id for c in await families.list_children(s, second.id)] == [child.id]
        assert [d.parent_id for d in await s.scalars(select(Delivery))] == [second.id]
        assert (
            await s.scalar(select(func.count()).select_from(Invite).where(Invite.created_by == first.id)) == 0
        )
        assert await families.remove_child(s, second.id, child.id)
        await s.commit()
    async with sessions() as s:
        for model in (Child, Caregiver, Delivery, Invite):
            assert await s.scalar(select(func.count()).select_from(model)) == 0, model
        assert await s.scalar(select(func.count()).select_from(Parent)) == 2


async def test_new_children_go_after_the_existing_ones(sessions: Sessions) -> None:
    _, second, shared = await share(sessions)
    async with sessions() as s:
        second = await s.get_one(Parent, second.id)
        own = await families.add_child(s, second, name="Own", birthdate=BIRTH, due_date=None)
        await s.commit()
    async with sessions() as s:
        assert [c.id for c in await families.list_children(s, second.id)] == [shared.id, own.id]


async def test_flow_state_survives_a_new_session(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s, 1)
        data = {"step": 2, "name": "Mia", "dates": ["2025-06-01"]}
        await families.set_flow(s, parent, "onboarding", data)
        data["step"] = 3  # the stored copy must not follow later edits of the caller's dict
        await s.commit()
    async with sessions() as s:
        stored = await families.get_parent(s, 1)
        assert stored is not None
        assert (stored.flow, stored.flow_data) == (
            "onboarding",
            {"step": 2, "name": "Mia", "dates": ["2025-06-01"]},
        )
        await families.set_flow(s, stored, None, None)
        await s.commit()
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Parent).where(Parent.flow_data.is_(None))) == 1


async def test_leaving_the_active_state_takes_the_parent_off_the_due_list(sessions: Sessions) -> None:
    async with sessions() as s:
        parent = await new_parent(s, 9_100_000_000)
        parent.next_due_at = NOW
        await families.set_state(s, parent, ParentState.PAUSED)
        await s.commit()
    async with sessions() as s:
        parent = await s.get_one(Parent, parent.id)
        assert (parent.state, parent.next_due_at) == ("paused", None)
        await families.set_state(s, parent, ParentState.ACTIVE)
        parent.next_due_at = NOW
        await s.commit()
    async with sessions() as s:
        assert await families.mark_blocked(s, 9_100_000_000)
        assert not await families.mark_blocked(s, 123)
        await s.commit()
    async with sessions() as s:
        stored = await families.get_parent(s, 9_100_000_000)
        assert stored is not None
        assert (stored.state, stored.next_due_at) == (ParentState.BLOCKED, None)


async def test_housekeeping_deletes_invites_a_month_past_expiry_used_or_not(sessions: Sessions) -> None:
    from bot.app.housekeeping import KEEP_INVITES_AFTER_EXPIRY, sweep

    async with sessions() as s:
        parent = await new_parent(s, 1)
        joiner = await new_parent(s, 2)
        child = await families.add_child(s, parent, name="Mia", birthdate=BIRTH, due_date=None)
        old_unused = await families.create_invite(s, parent.id, child.id, now=NOW, ttl=TTL)
        old_used = await families.create_invite(s, parent.id, child.id, now=NOW, ttl=TTL)
        await families.redeem_invite(s, old_used.code, joiner, now=NOW)
        later = NOW + dt.timedelta(days=20)
        recent = await families.create_invite(s, parent.id, child.id, now=later, ttl=TTL)
        await s.commit()
    expiry = NOW + TTL
    assert (await sweep(sessions, expiry + KEEP_INVITES_AFTER_EXPIRY)).invites == 0  # on the day: still kept
    assert (await sweep(sessions, expiry + KEEP_INVITES_AFTER_EXPIRY + dt.timedelta(seconds=1))).invites == 2
    async with sessions() as s:
        left = list(await s.scalars(select(Invite.code)))
        links = await s.scalar(
            select(func.count()).select_from(Caregiver).where(Caregiver.child_id == child.id)
        )
    assert left == [recent.code]
    assert links == 2  # the caregiver who joined stays linked
    assert old_unused.code not in left


async def test_one_invite_for_several_children_links_the_ones_not_yet_shared(sessions: Sessions) -> None:
    async with sessions() as s:
        first = await new_parent(s, 1)
        second = await new_parent(s, 2, first_name="Ben")
        leo = await families.add_child(s, first, name="Leo", birthdate=BIRTH, due_date=None)
        maya = await families.add_child(s, first, name="Maya", birthdate=BIRTH, due_date=None)
        nia = await families.add_child(s, first, name="Nia", birthdate=BIRTH, due_date=None)
        only_leo = await families.create_invite(s, first.id, leo.id, now=NOW, ttl=TTL)
        await families.redeem_invite(s, only_leo.code, second, now=NOW)
        several = await families.create_invite(s, first.id, [leo.id, maya.id, nia.id], now=NOW, ttl=TTL)
        assert [c.id for c in await families.invite_children(s, several.id)] == [leo.id, maya.id, nia.id]
        joined = await families.redeem_invite(s, several.code, second, now=NOW)
        assert [c.name for c in joined] == ["Maya", "Nia"]
        assert [c.name for c in await families.list_children(s, second.id)] == ["Leo", "Maya", "Nia"]
        with pytest.raises(ValueError, match="only a caregiver"):
            await families.create_invite(s, second.id, [leo.id, 999_999], now=NOW, ttl=TTL)
        # Removing a child takes it out of the invites it was in; the rest of the invite stays.
        unused = await families.create_invite(s, first.id, [maya.id, nia.id], now=NOW, ttl=TTL)
        await families.remove_child(s, first.id, nia.id)  # Ben still shares Nia
        assert [c.name for c in await families.invite_children(s, unused.id)] == ["Maya"]
        await families.remove_child(s, second.id, nia.id)  # nobody left: Nia is deleted
        await s.commit()
        assert await s.get(Child, nia.id) is None
