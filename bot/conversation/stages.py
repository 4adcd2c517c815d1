"""Where a child stands for tips today: within the ages the content covers, and with ideas left in their stage.

/tip, the "Another tip" button and the /tip and /normal pickers ask this before promising anything, so a parent
is never told "a tip is on its way" when a goodbye, or nothing, would follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation import setup_steps
from bot.conversation.formats import join_names
from bot.conversation.outcome import Outcome, say
from bot.conversation.turn import Turn
from bot.core.ages import age_on
from bot.core.text import esc
from bot.core.tips import all_declined_reply, format_band_ids, ideas_left, is_past_content, oldest_month
from content import Band
from db import deliveries, turned_down
from db.models import Child


@dataclass(frozen=True, slots=True)
class Standing:
    months: int
    bands: tuple[Band, ...]
    past: bool  # outgrown the content: a goodbye, no more tips
    ideas_left: bool  # some idea of the current stage(s) is not turned down


def months_of(turn: Turn, child: Child) -> int:
    """Completed months today in the parent's calendar (corrected for a baby born early)."""
    return age_on(child.birthdate, max(turn.today, child.birthdate), child.due_date).months


def in_content_ages(turn: Turn, child: Child) -> bool:
    """Still young enough for tips (and so for the /tip and /normal pickers)."""
    return not is_past_content(months_of(turn, child), turn.env.library)


async def standing(turn: Turn, child: Child) -> Standing:
    library = turn.env.library
    months = months_of(turn, child)
    bands = library.bands_at(months)
    excluded = await turned_down.excluded_for(turn.s, child.id)
    return Standing(months, bands, is_past_content(months, library), ideas_left(bands, excluded))


def ended_text(turn: Turn, children: list[Child]) -> str:
    """Tips have ended for these children (all past the content's ages); they stay until removed."""
    names = esc(join_names([c.name for c in children]))
    they = esc(children[0].name) if len(children) == 1 else "they"
    are = "is" if len(children) == 1 else "are"
    return (
        f"Tips for {names} have ended: {they} {are} past {oldest_month(turn.env.library)} months, beyond the "
        f"ages my guidance covers. You can keep {names if len(children) == 1 else 'them'} in /children, or "
        "remove them there."
    )


async def tip_for(turn: Turn, child: Child) -> Outcome:
    """/tip and "Another tip" for one child: a tip on its way, the goodbye (no "on its way" before it), that
    tips have ended, or that every idea of the stage was turned down, with a button to bring them back."""
    now = await standing(turn, child)
    if now.past:
        links = (await deliveries.links_of(turn.s, [turn.parent.id])).get(turn.parent.id, [])
        if any(link.child_id == child.id and link.farewell_at is None for link in links):
            return Outcome(tips=[(turn.parent.id, child.id)])  # the goodbye itself is the answer
        return say(ended_text(turn, [child]))
    if not now.ideas_left:
        await turned_down.mark_told(turn.s, [(turn.parent.id, child.id, format_band_ids(now.bands))])
        return Outcome([all_declined_reply(child.name, child.id, now.months, turn.env.library)])
    return Outcome(tips=[(turn.parent.id, child.id)], toast=f"A tip for {child.name} is on its way.")


async def revive(turn: Turn, child: Child) -> Outcome:
    """ "Bring back Maya's ideas": every idea of the child's current stage may be sent again."""
    now = await standing(turn, child)
    name = esc(child.name)
    if now.past:
        return say(ended_text(turn, [child]))
    ids = [s.id for band in now.bands for s in band.strategies]
    await turned_down.bring_back(turn.s, child.id, ids)
    return say(
        f"↩️ Done: {name}'s ideas are back, so {name}'s tips carry on. {setup_steps.schedule_line(turn)}"
    )
