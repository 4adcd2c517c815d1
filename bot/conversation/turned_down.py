"""Tips a parent turned down: the answer to "Not for us", its "Undo", and the /settings list to bring them back.

A "not for us" holds for the child the tip was shown for (in every caregiver's chat), never for the others.
Buttons name a delivery (``tip:u:<id>``) or a page (``s:declined:<page>``); a delivery counts only when its
child is one of the pressing parent's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation import stages
from bot.conversation.outcome import Outcome, say
from bot.conversation.turn import Turn, parse_id
from bot.core.reply import Button, Reply
from bot.core.text import esc
from bot.core.tips import all_declined_line, format_band_ids, revive_buttons
from content import Item
from db import deliveries, turned_down
from db.models import Child, Delivery, Feedback

# A page of the list stays well under the 1,200 characters a message may have.
PAGE_ITEMS = 5
PAGE_CHARS = 900
SETTINGS_BUTTON = Button("🙅 Tips you turned down", "s:declined:0")


async def not_for_us(turn: Turn, delivery_id: int) -> Outcome | None:
    """Turn this tip's idea down for its child; say so, with "Undo", and once the stage has no ideas left,
    that tips pause (with a button to bring them all back)."""
    delivery = await turn.s.get(Delivery, delivery_id)
    if delivery is None or delivery.parent_id != turn.parent.id:
        return None
    child = await turn.child(delivery.child_id)
    if child is None or turn.env.library.item(delivery.item_id) is None:
        return None
    await deliveries.record_feedback(turn.s, turn.parent.id, delivery_id, Feedback.NOT_FOR_US)
    name = esc(child.name)
    text = f"🙅 Got it: I won't send this one for {name} again."
    buttons: tuple[tuple[Button, ...], ...] = ((Button("↩️ Undo", f"tip:u:{delivery_id}"),),)
    now = await stages.standing(turn, child)
    if not now.past and not now.ideas_left:
        line = all_declined_line(child.name, now.months, turn.env.library)
        text += f"\n\nThat was the last idea for {name}'s stage, so {line}"
        buttons += revive_buttons(child.name, child.id)
        await turned_down.mark_told(turn.s, [(turn.parent.id, child.id, format_band_ids(now.bands))])
    else:
        text += " You can bring it back any time in /settings."
    return Outcome([Reply(text, buttons)])


async def undo(turn: Turn, delivery_id: int) -> Outcome | None:
    """ "Undo" under the answer, or a number in the list: this idea may come again for that child."""
    delivery = await turned_down.delivery_for(turn.s, turn.parent.id, delivery_id)
    child = await turn.child(delivery.child_id) if delivery is not None else None
    if delivery is None or child is None or turn.env.library.item(delivery.item_id) is None:
        return None
    await turned_down.bring_back(turn.s, child.id, [delivery.item_id])
    left = await turned_down.of_parent(turn.s, turn.parent.id)
    buttons = ((SETTINGS_BUTTON,),) if left else ()
    return Outcome([Reply(f"↩️ Done: that idea is back for {esc(child.name)}.", buttons)])


@dataclass(frozen=True, slots=True)
class _Entry:
    number: int
    child: Child
    idea: Item
    delivery_id: int


def _pages(entries: list[_Entry]) -> list[list[_Entry]]:
    """At most ``PAGE_ITEMS`` ideas and about ``PAGE_CHARS`` characters of them a page."""
    pages: list[list[_Entry]] = [[]]
    size = 0
    for entry in entries:
        length = len(entry.idea.parent) + len(entry.child.name) + 20
        if pages[-1] and (len(pages[-1]) == PAGE_ITEMS or size + length > PAGE_CHARS):
            pages.append([])
            size = 0
        pages[-1].append(entry)
        size += length
    return pages


async def listing(turn: Turn, raw_page: str) -> Outcome:
    """/settings → "Tips you turned down": per child, numbered, a page at a time, each with a button."""
    children = {child.id: child for child in await turn.children()}
    entries: list[_Entry] = []
    for row in await turned_down.of_parent(turn.s, turn.parent.id):
        idea = turn.env.library.item(row.item_id)
        if idea is not None and row.child_id in children:
            entries.append(_Entry(len(entries) + 1, children[row.child_id], idea, row.delivery_id))
    if not entries:
        return say(
            "You haven't turned any tips down. When you tap 🙅 <b>Not for us</b> under a tip, it shows up "
            "here, so you can bring it back."
        )
    pages = _pages(entries)
    page = min(parse_id(raw_page) or 0, len(pages) - 1)
    shown = pages[page]
    head = "<b>Tips you turned down</b>"
    if len(pages) > 1:
        head += f" (page {page + 1} of {len(pages)})"
    lines = [
        head,
        "Each is turned down only for the child it's listed under. Tap a number to bring one back.",
    ]
    current: Child | None = None
    for entry in shown:
        if entry.child is not current:
            current = entry.child
            lines.append(f"\n<b>{esc(current.name)}</b>")
        lines.append(f"{entry.number}. {esc(entry.idea.parent)}")
    numbers = [Button(f"↩️ {e.number}", f"tip:u:{e.delivery_id}") for e in shown]
    rows = [tuple(numbers[i : i + 3]) for i in range(0, len(numbers), 3)]
    moves = []
    if page > 0:
        moves.append(Button("‹ Previous", f"s:declined:{page - 1}"))
    if page < len(pages) - 1:
        moves.append(Button("Next ›", f"s:declined:{page + 1}"))
    if moves:
        rows.append(tuple(moves))
    return Outcome([Reply("\n".join(lines), tuple(rows))])
