"""/children and the per-child menu: rename, change dates, invite a caregiver, remove; and joining by invite.

Child buttons (these, and /normal's and /tip's "which child") carry ``c:<action>:<child id>``; the id is
always resolved through the pressing parent's own links (``Turn.child``), so a forged or stale id is simply
"expired".
"""

from __future__ import annotations

import calendar
from collections.abc import Awaitable, Callable

from bot.conversation import asking, child_steps, setup_steps, stages, ways
from bot.conversation.flow import FlowData, Mode, Step
from bot.conversation.formats import join_names
from bot.conversation.outcome import Outcome, say
from bot.conversation.schedules import reschedule
from bot.conversation.texts import NAME_HINT, NO_CHILD_YET
from bot.conversation.turn import Turn, parse_id
from bot.core.ages import age_note, age_on, describe_age
from bot.core.reply import MAX_CALLBACK_BYTES, Button, Reply
from bot.core.retention import CHILD_GRACE_MONTHS, keep_offered, kept_after
from bot.core.step_words import normal_words
from bot.core.text import day_date, esc
from bot.core.tips import is_past_content
from db import families, retention
from db.families import MAX_CHILDREN
from db.models import Child

INVITE_PROBLEMS = {
    "unknown": "That invite link doesn't work. Please ask for a new one.",
    "expired": "That invite link has expired. Please ask for a new one (they last {hours} hours).",
    "used": "That invite link has already been used. Each link works once; please ask for a new one.",
    "already_linked": "You already share this child, so there's nothing more to do.",
    "too_many": (
        f"You'd have more than {MAX_CHILDREN} children with me, the most I can keep for one parent. Remove "
        "one in /children, then tap the link again (it works until it expires)."
    ),
}
# /children shows this many at a time, with buttons to the next and previous ones.
CHILDREN_PER_PAGE = 5
ALREADY_LINKED_SEVERAL = "You already share these children, so there's nothing more to do."


def describe_child(turn: Turn, child: Child) -> str:
    age = age_on(child.birthdate, turn.today, child.due_date) if child.birthdate <= turn.today else None
    if age is None:
        return f"<b>{esc(child.name)}</b>"
    corrected = f", {age_note(age)}" if age.corrected else ""
    ended = " (tips have ended)" if is_past_content(age.months, turn.env.library) else ""
    return f"<b>{esc(child.name)}</b>, {describe_age(age)}{corrected}{ended}"


async def list_children(turn: Turn, page: int = 0) -> Outcome:
    """/children, a page at a time (``c:page:<n>`` buttons move between pages)."""
    children = await turn.children()
    if not children:  # a first child left half-way is offered, not "send /start"
        return await child_steps.offer_to_carry_on(turn) or say(NO_CHILD_YET)
    pages = (len(children) + CHILDREN_PER_PAGE - 1) // CHILDREN_PER_PAGE
    page = min(max(page, 0), pages - 1)
    shown = children[page * CHILDREN_PER_PAGE : (page + 1) * CHILDREN_PER_PAGE]
    lines = "\n".join(f"• {describe_child(turn, child)}" for child in shown)
    head = "<b>Your children</b>" + (f" (page {page + 1} of {pages})" if pages > 1 else "")
    rows: list[tuple[Button, ...]] = [(Button(child.name, f"c:menu:{child.id}"),) for child in shown]
    moves = []
    if page > 0:
        moves.append(Button("‹ Previous", f"c:page:{page - 1}"))
    if page < pages - 1:
        moves.append(Button("Next ›", f"c:page:{page + 1}"))
    if moves:
        rows.append(tuple(moves))
    if len(children) < MAX_CHILDREN:
        rows.append((Button("➕ Add a child", "c:add:0"),))
    text = f"{head}\n{lines}\n\nTap a name to rename, change dates, invite a caregiver or remove."
    return Outcome([Reply(text, tuple(rows))])


async def on_press(turn: Turn, action: str, raw_id: str) -> Outcome | None:
    """A child button; None (expired) when the child is not this parent's or the action is unknown."""
    if action == "add":
        return await child_steps.begin_another(turn)
    if action == "page":
        page = parse_id(raw_id) if raw_id != "0" else 0
        return await list_children(turn, page) if page is not None else None
    if action in ("tips", "normals"):  # "More ›" on a child choice (a family from before the limit)
        page = parse_id(raw_id) if raw_id != "0" else 0
        return await asking.picker_page(turn, action[:-1], page) if page is not None else None
    act = CHILD_ACTIONS.get(action)
    child = await turn.child(raw_id) if act is not None else None
    if act is None or child is None:
        return None
    return await act(turn, child)


async def _menu(turn: Turn, child: Child) -> Outcome:
    """The child's card. "📌 Keep after age 3" only once it is near (``keep_offered``); a child already kept
    always shows "✅ Kept", so the choice can be undone at any age."""
    cid = child.id
    end = kept_after(turn.env.library)
    keep: Button | None = None
    if await retention.keeps(turn.s, turn.parent.id, cid):
        keep = Button("✅ Kept after age " + end, f"c:keep:{cid}")
    elif child.birthdate <= turn.today:
        months = age_on(child.birthdate, turn.today, child.due_date).months
        keep = (
            Button("📌 Keep after age " + end, f"c:keep:{cid}")
            if keep_offered(months, turn.env.library)
            else None
        )
    remove = Button("🗑 Remove", f"c:remove:{cid}")
    buttons = (
        (Button("✏️ Rename", f"c:rename:{cid}"), Button("📅 Change dates", f"c:dates:{cid}")),
        (Button("👥 Invite a caregiver", f"c:invite:{cid}"),),
        (keep, remove) if keep is not None else (remove,),
    )
    dates = f"Born {day_date(child.birthdate)}" + (
        f", due {day_date(child.due_date)}" if child.due_date else ""
    )
    return Outcome([Reply(f"{describe_child(turn, child)}\n{dates}", buttons)])


async def _toggle_keep(turn: Turn, child: Child) -> Outcome:
    """Keep the child's details after the tips end, or let them go a few months later (the default)."""
    return await _set_keep(turn, child, not await retention.keeps(turn.s, turn.parent.id, child.id))


async def _keep(turn: Turn, child: Child) -> Outcome:
    """📌 from the goodbye at the end of the tips (or "keep after all"): keep, whatever it was before."""
    return await _set_keep(turn, child, True)


async def _let_go(turn: Turn, child: Child) -> Outcome:
    """The undo of 📌: the details go a few months after the tips end, as for everyone."""
    return await _set_keep(turn, child, False)


async def _set_keep(turn: Turn, child: Child, keep: bool) -> Outcome:
    await retention.set_keep(turn.s, turn.parent.id, child.id, keep)
    name, end = esc(child.name), kept_after(turn.env.library)
    if keep:
        text = f"📌 I'll keep {name}'s details after the tips end at {end}, until you remove {name}."
        return Outcome([Reply(text, ((Button("↩️ Undo", f"c:keepno:{child.id}"),),))])
    text = (
        f"OK: {name}'s details will be erased {CHILD_GRACE_MONTHS} months after the tips end at {end}, "
        "unless another caregiver keeps them."
    )
    return Outcome([Reply(text, ((Button("📌 Keep them after all", f"c:keepyes:{child.id}"),),))])


async def _ask_rename(turn: Turn, child: Child) -> Outcome:
    await turn.goto(Step.RENAME, FlowData(child_id=child.id))
    return Outcome([ways.rename_ask(child.name)])


async def ask_rename_again(turn: Turn, lead: str = "") -> Outcome:
    child = await turn.child(turn.data.child_id)
    return Outcome([ways.rename_ask(child.name if child is not None else "your child", lead=lead)])


async def _ask_dates(turn: Turn, child: Child) -> Outcome:
    return await child_steps.begin_dates(turn, child.id, child.name)


async def _confirm_remove(turn: Turn, child: Child) -> Outcome:
    name = esc(child.name)
    buttons = (
        (Button(f"Yes, remove {child.name}", f"c:removeyes:{child.id}"), Button("No", f"c:menu:{child.id}")),
    )
    text = f"Remove {name} from your list? You'll get no more tips for {name}. Anyone else who shares {name} keeps them."
    return Outcome([Reply(text, buttons)])


async def _remove(turn: Turn, child: Child) -> Outcome:
    await families.remove_child(turn.s, turn.parent.id, child.id)
    await reschedule(turn.s, turn.parent, turn.now)
    removed = say(f"{esc(child.name)} is removed from your list.")
    removed.erased = True
    return removed


# A day of the week is a name too ("Tuesday"), not a date, where a new name was asked.
WEEKDAYS = frozenset(day.lower() for day in calendar.day_name)


async def on_rename(turn: Turn, text: str) -> Outcome:
    child = await turn.child(turn.data.child_id)
    if child is None:
        await turn.goto(None)
        return say("That child is no longer in your list. Send /children to see it.")
    said = normal_words(text)
    if said not in WEEKDAYS and child_steps.says_when(text, turn.today):
        # "14 June 2026": perhaps the birthdate put right, offered back with the one before kept a tap away
        data = FlowData(mode=Mode.EDIT, child_id=child.id, name=child.name, then=turn.data.then)
        await turn.goto(Step.BIRTHDATE, data)
        asked = await child_steps.on_birthdate(turn, text, changing=child.birthdate)
        return child_steps.led("That looks like a date, not a name. ", asked)
    name = child_steps.read_name(text)
    if name is None:  # the question again, with its way out
        return Outcome([ways.rename_ask(child.name, lead=f"{NAME_HINT}\n\n")])
    old, then = child.name, turn.data.then
    await families.update_child(turn.s, child, name=name)
    await turn.goto(None)
    done = f"Done: {esc(old)} is now called {esc(child.name)}."
    if then is Step.TZ:  # put right during setup: on where the parent was
        return await setup_steps.back_to_setup(turn, child.id, f"{done}\n\n")
    return say(done)


async def _invite(turn: Turn, child: Child) -> Outcome:
    """From a child's menu: the link right away for an only child; with several, whom it should share."""
    children = await turn.children()
    if len(children) == 1:
        return await _make_link(turn, children)
    return _who_to_share(turn, [child, *(c for c in children if c.id != child.id)])


def _who_to_share(turn: Turn, children: list[Child], page: int = 0) -> Outcome:
    """ "Just <name>" for each child (the one whose menu it came from first), "All" and, when it fits, a tick
    list. A family from before the limit, with more children than it allows, gets them a page at a time
    (``i:more:<page>.<first child id>``; "More ›" goes round), so every child can be shared alone."""
    pages = (len(children) + MAX_CHILDREN - 1) // MAX_CHILDREN
    page = min(max(page, 0), pages - 1)
    shown = children[page * MAX_CHILDREN : (page + 1) * MAX_CHILDREN]
    rows = [(Button(f"Just {child.name}", f"i:{child.id}"),) for child in shown]
    if pages > 1:
        rows.append((Button("More ›", f"i:more:{(page + 1) % pages}.{children[0].id}"),))
    rows.append((Button("👥 All my children", "i:all"),))
    if len(children) > 2 and _fits(_pick_data(children)):
        rows.append((Button("Choose several", "i:pick:"),))
    return Outcome([Reply(INVITE_WHO, tuple(rows))])


INVITE_WHO = "Which children do you want to share with the other caregiver? They'll get those children's tips in their own chat."


def _pick_data(selected: list[Child]) -> str:
    return "i:pick:" + ".".join(str(child.id) for child in selected)


def _fits(data: str) -> bool:
    return len(data.encode()) <= MAX_CALLBACK_BYTES


def _choose_several(children: list[Child], selected: list[Child]) -> Outcome:
    """A tick list: each tap toggles one child; the link is made for the ticked ones."""
    chosen = {child.id for child in selected}
    rows = []
    for child in children:
        toggled = [c for c in children if (c.id in chosen) != (c.id == child.id)]
        mark = "✅" if child.id in chosen else "▫️"
        rows.append((Button(f"{mark} {child.name}", _pick_data(toggled)),))
    if selected:
        rows.append((Button("🔗 Make the link", "i:" + ".".join(str(c.id) for c in selected)),))
    text = "Tap the children you want to share with the other caregiver, then make the link."
    return Outcome([Reply(text, tuple(rows))])


async def on_invite_press(turn: Turn, rest: str) -> Outcome | None:
    """``i:all``, ``i:<ids>`` (make the link) and ``i:pick:<ids>`` (the tick list), ids dot-separated; None
    (expired) unless every id is one of this parent's own children."""
    children = await turn.children()
    if rest == "all":
        return await _make_link(turn, children) if children else None
    if rest.startswith("more:"):  # "More ›" on the "Just <name>" choice
        raw_page, _, first_id = rest.removeprefix("more:").partition(".")
        page = parse_id(raw_page) if raw_page != "0" else 0
        first = next((child for child in children if str(child.id) == first_id), None)
        if page is None or first is None:
            return None
        return _who_to_share(turn, [first, *(c for c in children if c.id != first.id)], page)
    picking = rest.startswith("pick:")
    raw = rest.removeprefix("pick:")
    own = {str(child.id): child for child in children}
    wanted = [part for part in raw.split(".") if part] if raw else []
    if any(part not in own for part in wanted) or len(set(wanted)) != len(wanted):
        return None
    selected = [child for child in children if str(child.id) in wanted]
    if picking:
        return _choose_several(children, selected)
    return await _make_link(turn, selected) if selected else None


async def _make_link(turn: Turn, children: list[Child]) -> Outcome:
    ttl = turn.env.invite_ttl
    ids = [child.id for child in children]
    invite = await families.create_invite(turn.s, turn.parent.id, ids, now=turn.now, ttl=ttl)
    hours = int(ttl.total_seconds() // 3600)
    username = turn.env.bot_username
    if username:
        link = f"https://t.me/{username}?start={invite.code}"
        how = f"Send this link to the other caregiver:\n{esc(link)}"
    else:
        how = f"The other caregiver sends me:\n<code>/start {esc(invite.code)}</code>"
    names = esc(join_names([child.name for child in children]))
    return say(
        f"{how}\n\nThey'll get the tips for {names} in their own chat. The link works once, "
        f"for the next {hours} hours."
    )


async def join(turn: Turn, code: str, created: bool) -> Outcome:
    """``/start <code>``: link this parent to the invite's children; a new parent then sets time zone and days."""
    needs_setup = created or not await turn.children()
    try:
        shared = await families.redeem_invite(turn.s, code[:64], turn.parent, now=turn.now)
    except families.InviteError as exc:
        hours = int(turn.env.invite_ttl.total_seconds() // 3600)
        problem = INVITE_PROBLEMS[exc.reason].format(hours=hours)
        if exc.reason == "already_linked" and exc.children > 1:
            problem = ALREADY_LINKED_SEVERAL
        if needs_setup:
            return await child_steps.begin(
                turn, Mode.FIRST, problem + "\n\nYou can also set up your own child. "
            )
        return say(problem)
    outcome = Outcome(notices=await _joined_notices(turn, shared))
    names = esc(join_names([child.name for child in shared]))
    theirs = names if len(shared) == 1 else "them"
    welcome = f"Welcome! You now share {names}, and you'll get the tips for {theirs} here."
    await reschedule(turn.s, turn.parent, turn.now)
    if needs_setup:
        await turn.goto(Step.TZ, FlowData(mode=Mode.JOINED, child_id=shared[0].id))
        asked = setup_steps.ask_tz(turn, welcome + "\n\n")
        outcome.replies.extend(asked.replies)
        return outcome
    await turn.goto(None)
    outcome.replies.append(Reply(f"{welcome} {setup_steps.schedule_line(turn)}"))
    return outcome


async def _joined_notices(turn: Turn, shared: list[Child]) -> list[tuple[int, Reply]]:
    """Each other caregiver hears who joined, for the children they share: "Sam joined as a caregiver for
    Leo and Maya." """
    theirs: dict[int, list[Child]] = {}
    chats: dict[int, int] = {}
    for child in shared:
        for other in await families.caregivers_of(turn.s, child.id):
            if other.id != turn.parent.id:
                theirs.setdefault(other.id, []).append(child)
                chats[other.id] = other.chat_id
    name = turn.parent.first_name
    notices = []
    for other_id, children in theirs.items():
        names = esc(join_names([child.name for child in children]))
        text = (
            f"{esc(name)} joined as a caregiver for {names}."
            if name
            else f"A new caregiver joined for {names}."
        )
        notices.append((chats[other_id], Reply(text)))
    return notices


# ``c:<action>:<child id>``: each runs only with the pressing parent's own child.
CHILD_ACTIONS: dict[str, Callable[[Turn, Child], Awaitable[Outcome]]] = {
    "menu": _menu,
    "rename": _ask_rename,
    "dates": _ask_dates,
    "invite": _invite,
    "remove": _confirm_remove,
    "removeyes": _remove,
    "keep": _toggle_keep,
    "keepyes": _keep,
    "keepno": _let_go,
    "normal": asking.typical_for,
    "tip": asking.tip_for,
    "revive": stages.revive,
}
