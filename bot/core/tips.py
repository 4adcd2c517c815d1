"""Which tip a child gets next, and the message that carries it. Pure: history in, decision out.

Every sentence of guidance comes from the content library; this module only picks and arranges it. The
choice depends only on the child's age and what was sent before, so a retried delivery renders the same
message as the original attempt would have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from bot.core.ages import ChildAge, age_note, age_on, describe_age
from bot.core.reply import Button, Reply
from bot.core.retention import CHILD_GRACE_MONTHS
from bot.core.text import esc
from content import Band, Item, Library

# Every third tip for a child also carries a "Why it matters" background snippet.
BACKGROUND_EVERY = 3
# How many typical behaviours a "new stage" announcement lists (shared when two stages begin at once).
ANNOUNCE_INDICATORS = 2
# Stored as a delivery's item id for the goodbye message; content ids cannot start with "_".
FAREWELL_ITEM = "_farewell"
# Stored as a delivery's item id for "every idea of this stage was turned down, so tips pause".
ALL_DECLINED_ITEM = "_all_declined"

# A pass plans thousands of tips on one day for children born on a few hundred days: ages repeat.
_age_on = lru_cache(maxsize=4096)(age_on)


@dataclass(frozen=True, slots=True)
class TipHistory:
    """A child's past tips in one chat, reduced to what choosing and rendering need: how many in all, and for
    each item how many times and how recently (a larger ``last`` is more recent). A summary rather than the
    list, so years of weekly tips cost a pass no more than a few weeks do."""

    total: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    last: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[str]) -> TipHistory:
        """From item ids in the order they were sent, oldest first."""
        counts: dict[str, int] = {}
        last: dict[str, int] = {}
        position = -1
        for position, item_id in enumerate(items):
            counts[item_id] = counts.get(item_id, 0) + 1
            last[item_id] = position
        return cls(position + 1, counts, last)


@dataclass(frozen=True, slots=True)
class ChildTipState:
    """What a tip decision needs to know about one child in one parent's chat."""

    child_id: int
    name: str
    birthdate: dt.date
    due_date: dt.date | None
    # None until the first tip: then the bands on ``joined_on`` (what the parent saw when adding the child)
    # are the baseline, so a band entered since then is still announced.
    announced_bands: frozenset[str] | None
    farewell_sent: bool
    # What was sent to this child in this chat.
    sent: TipHistory
    # Strategies this family marked "not for us".
    excluded: frozenset[str]
    # The day (UTC) this parent added the child, or joined it through an invite.
    joined_on: dt.date | None = None
    # The bands this parent was told had every idea turned down (None: not told since ideas last came back).
    declined_told: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class TipPlan:
    """A decided message for one child: a tip (``strategy`` set), the goodbye (``strategy`` None), or the one
    notice that every idea of the child's stage was turned down (``all_declined``)."""

    child: ChildTipState
    age: ChildAge
    bands: tuple[Band, ...]
    strategy: Item | None
    new_bands: tuple[Band, ...]
    all_declined: bool = False

    @property
    def item_id(self) -> str:
        if self.all_declined:
            return ALL_DECLINED_ITEM
        return self.strategy.id if self.strategy is not None else FAREWELL_ITEM

    @property
    def is_farewell(self) -> bool:
        return self.strategy is None and not self.all_declined


def parse_band_ids(stored: str | None) -> frozenset[str] | None:
    if stored is None:
        return None
    return frozenset(part for part in stored.split(",") if part)


def format_band_ids(bands: Iterable[Band]) -> str:
    return ",".join(sorted(b.id for b in bands))


def oldest_month(library: Library) -> int:
    """The last month any band covers: older children have outgrown the content."""
    return max(b.last_month for b in library.bands)


def is_past_content(months: int, library: Library) -> bool:
    """Whether a child of this age (completed months, corrected) has outgrown the content: goodbye, no tips."""
    return months > oldest_month(library)


def next_stage_month(months: int, library: Library) -> int | None:
    """The age in months at which the next stage begins, or None in the last one."""
    later = [b.first_month for b in library.bands if b.first_month > months]
    return min(later) if later else None


def ideas_left(bands: Sequence[Band], excluded: frozenset[str]) -> bool:
    """Whether any idea of these stages is still to be sent (not turned down)."""
    return any(s.id not in excluded for band in bands for s in band.strategies)


def choose_strategy(bands: Sequence[Band], sent: TipHistory, excluded: frozenset[str]) -> Item | None:
    """The least-sent strategy of the current bands (never-sent first), oldest last sending breaking ties.

    Picking the minimum count means nothing repeats until every candidate has been sent as often.
    """
    candidates = [s for band in bands for s in band.strategies if s.id not in excluded]
    if not candidates:
        return None
    counts, last = sent.counts, sent.last
    order = {s.id: index for index, s in enumerate(candidates)}
    return min(candidates, key=lambda s: (counts.get(s.id, 0), last.get(s.id, -1), order[s.id]))


def plan_tip(
    child: ChildTipState, on: dt.date, library: Library, *, item_id: str | None = None
) -> TipPlan | None:
    """Decide the message for ``child`` on local date ``on``; None when there is nothing to send.

    ``item_id`` replays an earlier decision (a retried delivery) instead of choosing again. When every idea
    of the child's stage is turned down the parent is told once; then nothing, until a stage begins that they
    were not told about or ideas are brought back (which forgets ``declined_told``).
    """
    if child.farewell_sent or child.birthdate > on:
        return None
    age = _age_on(child.birthdate, on, child.due_date)
    bands = library.bands_at(age.months)
    if is_past_content(age.months, library) or item_id == FAREWELL_ITEM:
        return TipPlan(child, age, bands, None, ())
    if item_id == ALL_DECLINED_ITEM:
        return TipPlan(child, age, bands, None, (), all_declined=True)
    strategy = library.item(item_id) if item_id else choose_strategy(bands, child.sent, child.excluded)
    if strategy is None:
        told = child.declined_told
        if item_id or not bands or (told is not None and {b.id for b in bands} <= told):
            return None
        return TipPlan(child, age, bands, None, (), all_declined=True)
    announced = child.announced_bands
    if announced is None:
        announced = frozenset(b.id for b in _baseline(child, on, library, bands))
    new_bands = tuple(b for b in bands if b.id not in announced)
    return TipPlan(child, age, bands, strategy, new_bands)


def _baseline(
    child: ChildTipState, on: dt.date, library: Library, bands: tuple[Band, ...]
) -> tuple[Band, ...]:
    """The bands the parent already knows about before any tip: those on the day they added the child."""
    joined = child.joined_on
    if joined is None or not child.birthdate <= joined <= on:
        return bands
    return library.bands_at(_age_on(child.birthdate, joined, child.due_date).months)


def render_tip(plan: TipPlan, library: Library, *, delivery_id: int) -> Reply:
    """The phone-sized message in the parent's words: optional new-stage note, the idea, and one companion.

    A strategy sent before comes back as "one to come back to" with a different companion than last time, so a
    stage with few ideas never sends the identical message twice in a row.
    """
    name = esc(plan.child.name)
    if plan.all_declined:
        return all_declined_reply(plan.child.name, plan.child.child_id, plan.age.months, library)
    if plan.strategy is None:
        return Reply(_farewell_text(name, library), keep_buttons(plan.child.name, plan.child.child_id))
    strategy = plan.strategy
    parts = [f"<b>{name}</b> · {_age_text(plan.age)}"]
    # Two stages begun at once (after a long pause) share the room one announcement has.
    per_band = max(1, ANNOUNCE_INDICATORS // max(1, len(plan.new_bands)))
    for band in plan.new_bands:
        typical = "\n".join(f"• {_content(i.parent)}" for i in band.indicators[:per_band])
        parts.append(
            f"🌱 <b>{name} is {esc(describe_age(plan.age))}: a new stage begins</b> "
            f"({_content(band.label)})\n{_content(band.parent)}\n{typical}"
        )
    times_sent = plan.child.sent.counts.get(strategy.id, 0)
    if times_sent:
        parts.append(f"<b>One to come back to</b>\nA favourite again: {_content(strategy.parent)}")
    else:
        parts.append(f"<b>Try this</b>\n{_content(strategy.parent)}")
    if not plan.new_bands:  # an announcement already says what the parent may notice
        parts += _companions(plan, strategy, times_sent, library)
    return Reply("\n\n".join(parts), tip_buttons(delivery_id, plan.child.child_id))


def _companions(plan: TipPlan, strategy: Item, times_sent: int, library: Library) -> list[str]:
    """What comes with the idea: something the parent may notice, and now and then why it matters.

    A first sending carries a "may notice" each time and a "why" every third tip. A repeat carries one
    companion, "why" on odd repeats and "may notice" on even ones, so two sendings of the same idea in a row
    never carry the same companion (and the first repeat drops the first sending's "may notice"). Which one
    follows the child's tip count, so tips close together show different ones. Only counts are used: the
    history's ``last`` orders sendings but is not a position (the database gives delivery ids).
    """
    home = library.band(strategy.band_id or "")
    indicators = home.indicators if home is not None else ()
    background = _background(strategy, library)
    count = plan.child.sent.total
    if not times_sent:
        parts = [_notice(indicators[count % len(indicators)])] if indicators else []
        if background and count % BACKGROUND_EVERY == BACKGROUND_EVERY - 1:
            parts.append(_why(background[(count // BACKGROUND_EVERY) % len(background)]))
        return parts
    if background and (times_sent % 2 == 1 or not indicators):
        return [_why(background[count % len(background)])]
    return [_notice(indicators[count % len(indicators)])] if indicators else []


@lru_cache(maxsize=4096)
def _content(text: str) -> str:
    """A sentence of the content library, escaped: the same few hundred come back in every pass."""
    return esc(text)


@lru_cache(maxsize=1024)
def _age_text(age: ChildAge) -> str:
    """The age in a tip's first line, escaped (a pass renders thousands of tips for a few hundred ages)."""
    note = age_note(age) if age.by_birth else "corrected" if age.corrected else ""
    return esc(describe_age(age) + (f" ({note})" if note else ""))


def _notice(indicator: Item) -> str:
    return _content(indicator.parent)


def _why(snippet: Item) -> str:
    return f"<b>Why it matters</b>\n{_content(snippet.parent)}"


_PAUSE_BUTTON = Button("⏸ Pause tips", "tip:pause")


def tip_buttons(delivery_id: int, child_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (Button("👍 Helpful", f"tip:h:{delivery_id}"), Button("🙅 Not for us", f"tip:n:{delivery_id}")),
        (Button("➕ Another tip", f"tip:more:{child_id}"), _PAUSE_BUTTON),
    )


def _background(strategy: Item, library: Library) -> tuple[Item, ...]:
    for topic in library.topics:
        if topic.id == strategy.topic_id:
            return topic.background
    return ()


def all_declined_line(name: str, months: int, library: Library) -> str:
    """Why a child's tips pause, in one sentence (``name`` as typed; escaped here)."""
    who = esc(name)
    later = next_stage_month(months, library)
    until = f" until the next stage begins, at {later} months" if later is not None else ""
    return f"I'll pause {who}'s tips{until}."


def all_declined_reply(name: str, child_id: int, months: int, library: Library) -> Reply:
    """Said once when every idea of a child's stage has been turned down, with a way to bring them back."""
    text = (
        f"⏸ <b>Every idea for {esc(name)}'s stage has been turned down</b>, so "
        f"{all_declined_line(name, months, library)}\n"
        "Tap below to bring them back, or find them any time in /settings, under “Tips you turned down”."
    )
    return Reply(text, revive_buttons(name, child_id))


def revive_buttons(name: str, child_id: int) -> tuple[tuple[Button, ...], ...]:
    return ((Button(f"↩️ Bring back {name}'s ideas", f"c:revive:{child_id}"),),)


def _farewell_text(name: str, library: Library) -> str:
    return (
        f"🎈 <b>{name} is now past {oldest_month(library)} months</b>, beyond the ages these tips cover, so "
        f"this is the last one for {name}. Thank you for sharing these early years with us, and all the best "
        f"for what comes next. I'll erase {name}'s details in {CHILD_GRACE_MONTHS} months; to keep them, tap "
        "📌 below (or later in /children)."
    )


def keep_buttons(name: str, child_id: int) -> tuple[tuple[Button, ...], ...]:
    """Keep the child's details after the tips end (``name`` as typed: a label is plain text)."""
    return ((Button(f"📌 Keep {name}'s details", f"c:keepyes:{child_id}"),),)
