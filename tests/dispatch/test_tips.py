"""Tip choice and the tip message: pure functions over the real content library."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import replace

from bot.core.tips import (
    ALL_DECLINED_ITEM,
    FAREWELL_ITEM,
    ChildTipState,
    TipHistory,
    choose_strategy,
    plan_tip,
    render_tip,
)
from content import default_library

LIB = default_library()
TODAY = dt.date(2026, 3, 1)
# An everyday tip reads in a glance; only a new-stage note may take it past this.
SHORT_TIP_CHARS = 600
# The product's ceiling for any message a parent gets.
PARENT_MESSAGE_CHARS = 1200


def child(
    birthdate: dt.date,
    *,
    sent: tuple[str, ...] = (),
    excluded: frozenset[str] = frozenset(),
    announced: frozenset[str] | None = None,
    name: str = "Mia",
    due_date: dt.date | None = None,
) -> ChildTipState:
    return ChildTipState(7, name, birthdate, due_date, announced, False, TipHistory.of(sent), excluded)


def test_no_repeat_until_every_strategy_was_sent() -> None:
    bands = LIB.bands_at(12)  # 7-18 months only
    strategies = {s.id for b in bands for s in b.strategies}
    sent: list[str] = []
    for _ in range(3 * len(strategies)):
        choice = choose_strategy(bands, TipHistory.of(sent), frozenset())
        assert choice is not None
        sent.append(choice.id)
    rounds = [sent[i : i + len(strategies)] for i in range(0, len(sent), len(strategies))]
    assert all(set(r) == strategies for r in rounds)
    # A new round starts with what was sent longest ago.
    assert rounds[1] == rounds[0]


def test_prefers_never_sent_and_uses_both_bands_in_an_overlap() -> None:
    overlap = LIB.bands_at(8)  # 0-9 and 7-18
    assert len(overlap) == 2
    older = {s.id for s in overlap[0].strategies}
    choice = choose_strategy(overlap, TipHistory.of(sorted(older)), frozenset())
    assert choice is not None
    assert choice.band_id == overlap[1].id


def test_not_for_us_is_never_chosen_and_all_excluded_means_nothing() -> None:
    bands = LIB.bands_at(12)
    ids = [s.id for s in bands[0].strategies]
    for _ in range(10):
        choice = choose_strategy(bands, TipHistory(), frozenset(ids[:1]))
        assert choice is not None
        assert choice.id != ids[0]
    assert choose_strategy(bands, TipHistory(), frozenset(ids)) is None


def test_a_stage_all_turned_down_is_told_once_until_a_new_stage_begins() -> None:
    """Mia, 8 months, is in two stages; every idea of both is turned down."""
    born = dt.date(2025, 6, 20)
    overlap = LIB.bands_at(8)
    every = frozenset(s.id for b in overlap for s in b.strategies)
    mia = child(born, excluded=every)
    told = plan_tip(mia, TODAY, LIB)
    assert told is not None
    assert told.all_declined
    assert told.item_id == ALL_DECLINED_ITEM
    assert not told.is_farewell
    reply = render_tip(told, LIB, delivery_id=1)
    assert reply.text.startswith("⏸ <b>Every idea for Mia's stage has been turned down</b>, so I'll pause")
    assert "until the next stage begins, at 16 months" in reply.text
    assert reply.buttons[0][0].data == "c:revive:7"
    after = replace(mia, declined_told=frozenset(b.id for b in overlap))
    assert plan_tip(after, TODAY, LIB) is None
    # At 10 months the first stage is over: nothing new, so still quiet.
    assert plan_tip(after, dt.date(2026, 4, 25), LIB) is None
    # A retried notice is rendered again, whatever was stored since.
    retried = plan_tip(after, TODAY, LIB, item_id=ALL_DECLINED_ITEM)
    assert retried is not None
    assert retried.all_declined
    # At 16 months a new stage brings new ideas.
    later = plan_tip(after, dt.date(2026, 10, 25), LIB)
    assert later is not None
    assert later.strategy is not None
    assert later.strategy.band_id == "sa-band-16-24"


def test_first_tip_does_not_announce_the_band_the_child_is_already_in() -> None:
    plan = plan_tip(child(dt.date(2025, 5, 20)), TODAY, LIB)
    assert plan is not None
    assert plan.new_bands == ()
    assert "new stage" not in render_tip(plan, LIB, delivery_id=1).text


def test_a_band_entered_between_joining_and_the_first_tip_is_announced() -> None:
    joined = ChildTipState(
        7, "Mia", dt.date(2025, 8, 15), None, None, False, TipHistory(), frozenset(), dt.date(2026, 2, 20)
    )
    plan = plan_tip(joined, dt.date(2026, 3, 16), LIB)  # 6 months when added, 7 months now
    assert plan is not None
    assert [b.id for b in plan.new_bands] == ["sa-band-7-18"]
    same_day = plan_tip(joined, dt.date(2026, 2, 22), LIB)
    assert same_day is not None
    assert same_day.new_bands == ()


def test_entering_a_band_is_announced_with_summary_and_behaviours() -> None:
    band = LIB.band("sa-band-7-18")
    assert band is not None
    state = child(dt.date(2025, 8, 1), announced=frozenset({"sa-band-0-9"}))  # 7 months on 1 March
    plan = plan_tip(state, TODAY, LIB)
    assert plan is not None
    assert plan.new_bands == (band,)
    text = render_tip(plan, LIB, delivery_id=1).text
    assert "Mia is 7 months: a new stage begins" in text
    assert band.parent in text
    assert band.indicators[0].parent in text
    assert band.summary not in text  # the guidance's wording stays the source
    assert text.index("new stage") < text.index("Try this")


def test_message_parts_come_from_the_content_and_names_are_escaped() -> None:
    plan = plan_tip(child(dt.date(2025, 5, 20), name="<b>Mo & Jo</b>"), TODAY, LIB)
    assert plan is not None
    assert plan.strategy is not None
    reply = render_tip(plan, LIB, delivery_id=42)
    assert reply.text.startswith("<b>&lt;b&gt;Mo &amp; Jo&lt;/b&gt;</b> · 9 months")
    try_this = re.search(r"<b>Try this</b>\n(.*)", reply.text)
    assert try_this is not None
    assert try_this.group(1) == plan.strategy.parent
    notice = re.search(r"\n\n(You may notice .*)", reply.text)
    assert notice is not None
    home = LIB.band(plan.strategy.band_id or "")
    assert home is not None
    assert notice.group(1) in {i.parent for i in home.indicators}
    assert len(reply.text) < SHORT_TIP_CHARS
    assert [[b.data for b in row] for row in reply.buttons] == [
        ["tip:h:42", "tip:n:42"],
        ["tip:more:7", "tip:pause"],
    ]


def test_background_now_and_then() -> None:
    texts = []
    sent: tuple[str, ...] = ()
    for _ in range(9):
        plan = plan_tip(child(dt.date(2025, 5, 20), sent=sent), TODAY, LIB)
        assert plan is not None
        texts.append(render_tip(plan, LIB, delivery_id=1).text)
        sent = (*sent, plan.item_id)
    with_background = [i for i, text in enumerate(texts) if "Why it matters" in text]
    assert with_background == [2, 5, 8]
    backgrounds = {item.parent for topic in LIB.topics for item in topic.background}
    snippet = texts[2].split("<b>Why it matters</b>\n", 1)[1]
    assert snippet in backgrounds


def test_corrected_age_is_used_and_said() -> None:
    # Born 1 Dec 2025, due 1 Feb 2026: 3 months actual, 1 month corrected on 1 March 2026.
    plan = plan_tip(child(dt.date(2025, 12, 1), due_date=dt.date(2026, 2, 1)), TODAY, LIB)
    assert plan is not None
    assert plan.age.corrected
    assert "(corrected)" in render_tip(plan, LIB, delivery_id=1).text


def test_goodbye_past_36_months_once_then_nothing() -> None:
    old = child(dt.date(2023, 1, 15))  # 37 months on 1 March 2026
    plan = plan_tip(old, TODAY, LIB)
    assert plan is not None
    assert plan.is_farewell
    assert plan.item_id == FAREWELL_ITEM
    reply = render_tip(plan, LIB, delivery_id=1)
    assert "last one for Mia" in reply.text
    # No feedback buttons (there is no tip); one to keep the details after the tips end.
    assert [[b.data for b in row] for row in reply.buttons] == [[f"c:keepyes:{old.child_id}"]]
    done = ChildTipState(7, "Mia", dt.date(2023, 1, 15), None, None, True, TipHistory(), frozenset())
    assert plan_tip(done, TODAY, LIB) is None
    assert plan_tip(child(dt.date(2023, 2, 1)), TODAY, LIB) is not None  # 36 months: still tips


def test_replay_renders_the_same_message() -> None:
    state = child(dt.date(2025, 5, 20), sent=("sa-0-9-hold-cuddle",))
    first = plan_tip(state, TODAY, LIB)
    assert first is not None
    again = plan_tip(state, TODAY, LIB, item_id=first.item_id)
    assert again is not None
    assert render_tip(again, LIB, delivery_id=5) == render_tip(first, LIB, delivery_id=5)
    assert plan_tip(state, TODAY, LIB, item_id="no-such-item") is None


def test_a_history_summary_keeps_counts_order_and_total() -> None:
    history = TipHistory.of(["a", "b", "a", "c"])
    assert history.total == 4
    assert dict(history.counts) == {"a": 2, "b": 1, "c": 1}
    assert history.last["b"] < history.last["a"] < history.last["c"]
    assert TipHistory.of([]) == TipHistory()


def _run(birthdate: dt.date, tips: int) -> list[tuple[str, str]]:
    """(strategy id, message) for ``tips`` tips in a row on one day, so the child's stage stays the same."""
    sent: tuple[str, ...] = ()
    out = []
    for _ in range(tips):
        plan = plan_tip(child(birthdate, sent=sent), TODAY, LIB)
        assert plan is not None
        out.append((plan.item_id, render_tip(plan, LIB, delivery_id=1).text))
        sent = (*sent, plan.item_id)
    return out


def test_a_repeated_idea_says_so_and_never_reads_the_same_as_last_time() -> None:
    """Birth to 9 months has four ideas: from the fifth tip on, each comes back, told differently."""
    run = _run(dt.date(2025, 11, 20), 40)  # 3 months: one stage, four strategies
    first_round, later = run[:4], run[4:]
    assert all("<b>Try this</b>" in text and "One to come back to" not in text for _, text in first_round)
    for item_id, text in later:
        strategy = LIB.item(item_id)
        assert strategy is not None
        assert f"<b>One to come back to</b>\nA favourite again: {strategy.parent}" in text
        assert "Try this" not in text
    by_strategy: dict[str, list[str]] = {}
    for item_id, text in run:
        by_strategy.setdefault(item_id, []).append(text)
    assert len(by_strategy) == 4
    for texts in by_strategy.values():
        assert len(texts) == 10
        assert all(before != after for before, after in itertools.pairwise(texts))
        # The companion alternates: why it matters, then something to notice, then why again.
        assert "Why it matters" in texts[1]
        assert "You may notice" not in texts[1]
        assert "You may notice" in texts[2]
        assert "Why it matters" not in texts[2]
        # Over ten sendings the same idea comes with several different companions.
        assert len(set(texts[1:])) >= 6


def test_tips_stay_short_and_in_the_parents_words_at_every_age() -> None:
    """Every strategy at every month, first time and repeated, with the longest name: short, and no seed text."""
    seed_texts = {item.text for item in LIB.items()}
    longest = "W" * 40
    birthdates = [dt.date(2026, 2, 15) - dt.timedelta(days=30 * m) for m in range(37)]
    for birthdate in birthdates:
        for item_id, text in _run(birthdate, 12):
            assert len(text) <= SHORT_TIP_CHARS, (item_id, len(text), text)
            assert not any(seed in text for seed in seed_texts), text
        state = ChildTipState(7, longest, birthdate, None, frozenset(), False, TipHistory(), frozenset())
        plan = plan_tip(state, TODAY, LIB)  # every band of the age announced at once
        assert plan is not None
        text = render_tip(plan, LIB, delivery_id=1).text
        assert len(text) < PARENT_MESSAGE_CHARS, (len(text), text)


def test_every_tip_as_rendered_speaks_to_the_parent_not_to_childcare_staff() -> None:
    """Each strategy sent as a tip, first time and again, at every age: the parent's words, never the
    guidance's staff-manual ones, and short."""
    from tests.test_content import STAFF_WORDS

    seen: set[str] = set()
    for months, announced in itertools.product(range(0, 37), (None, frozenset[str]())):
        born = TODAY - dt.timedelta(days=int(months * 30.44) + 2)
        sent: tuple[str, ...] = ()
        for _ in range(12):  # a new stage announced, or not; first sendings and repeats
            plan = plan_tip(child(born, sent=sent, announced=announced), TODAY, LIB)
            assert plan is not None
            assert plan.strategy is not None
            text = render_tip(plan, LIB, delivery_id=1).text
            assert not STAFF_WORDS.search(text), text
            assert plan.strategy.text not in text
            assert len(text) < PARENT_MESSAGE_CHARS
            seen.add(plan.item_id)
            sent = (*sent, plan.item_id)
    assert seen == {s.id for band in LIB.bands for s in band.strategies}
