"""The conversation's entry points: a typed message or a pressed button in, an :class:`Outcome` out.

Transport-free: the Telegram adapter and the terminal chat both call these with an open session and commit
once afterwards. Where the parent is in a flow is read from the database on every update, never from memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import account, asking, child_steps, children, detours, setup_steps, turned_down, ways
from bot.conversation.clean import clean_text, clean_who
from bot.conversation.distress import Heard, answer_distress, hear, question_in
from bot.conversation.flow import Step
from bot.conversation.outcome import Env, Outcome, Who, expired, say
from bot.conversation.schedules import reschedule
from bot.conversation.texts import (
    FOR_ANOTHER_BOT,
    LOSS_SUPPORT_DATA,
    NEED_START,
    NOT_TEXT,
    NOT_TEXT_AT_STEP,
    PRIVACY_DETAILS_DATA,
    SUPPORT_DATA,
    about,
    help_text,
    loss_support_text,
    privacy,
    privacy_details,
    support_text,
)
from bot.conversation.turn import Turn, local_day, parse_id
from bot.core.reply import Reply
from bot.core.safety import SafetyKind
from bot.core.step_words import StepWord, step_word
from db import deliveries, families
from db.models import Feedback, ParentState

Answer = Callable[[Turn, str], Awaitable[Outcome]]
Action = Callable[[Turn], Awaitable[Outcome]]

# What answers each step; every step has one (a test checks).
STEPS: dict[Step, Answer] = {
    Step.NAME: child_steps.on_name,
    Step.BIRTHDATE: child_steps.on_birthdate,
    Step.BIRTHDATE_PICK: child_steps.on_birthdate_pick,
    Step.EARLY: child_steps.on_early,
    Step.DUE: child_steps.on_due,
    Step.DUE_PICK: child_steps.on_due_pick,
    Step.SAME_NAME: child_steps.on_same_name,
    Step.TZ: setup_steps.on_tz,
    Step.DAYS: setup_steps.on_days,
    Step.TIME: setup_steps.on_time,
    Step.PER_WEEK: setup_steps.on_per_week,
    Step.RENAME: children.on_rename,
    Step.ASK: asking.on_ask_text,
    Step.DELETE: account.on_delete,
    Step.PAUSE: account.on_pause,
    Step.STOP: detours.on_stop,
}

# Where a button means something else than the same text typed: a child's id is no question.
PRESS_STEPS: dict[Step, Answer] = STEPS | {Step.ASK: asking.on_ask_press}

# Commands for a known parent; each leaves whatever flow the parent was in.
ACTIONS: dict[str, Action] = {
    "normal": asking.normal,
    "tip": asking.tip,
    "children": children.list_children,
    "addchild": child_steps.begin_another,
    "settings": account.settings,
    "pause": account.pause,
    "resume": account.resume,
    "stop": account.stop,
    "mydata": account.my_data,
    "deletedata": account.delete_data,
}

HELPFUL_THANKS = "Thanks! Glad it helped."
# Commands parents type for a way out that is a word here: each means that word, wherever they are.
WORD_COMMANDS = {"skip": "skip", "back": "back", "undo": "back", "later": "later"}


def split_command(text: str) -> tuple[str, list[str]]:
    """Split "/Start@SecureBaseBot abc" into ("start", ["abc"])."""
    head, *args = text.split()
    return head[1:].split("@", 1)[0].lower(), args


def for_another_bot(text: str, username: str | None) -> bool:
    """ "/start@OtherBot": a command addressed to another bot (unknowable without our own username)."""
    _, at, addressee = text.split(maxsplit=1)[0].partition("@")
    return bool(at and username and addressee.lower() != username.lower())


async def _turn(s: AsyncSession, env: Env, who: Who, now: datetime) -> Turn | None:
    """The known parent's turn; someone who blocked us and now writes again has clearly unblocked."""
    parent = await families.get_parent(s, who.chat_id)
    if parent is None:
        return None
    if parent.state == ParentState.BLOCKED:
        await families.set_state(s, parent, ParentState.ACTIVE)
        await reschedule(s, parent, now)
    return Turn(s, env, parent, now)


async def on_text(s: AsyncSession, env: Env, who: Who, text: str | Heard, now: datetime) -> Outcome:
    """A parent's message; ``text`` already :func:`hear`-d by the transport (outside its database session),
    or raw."""
    heard = text if isinstance(text, Heard) else await hear(text)
    who, text = clean_who(who), heard.text
    if not text:
        return Outcome()
    if text.startswith("/"):
        return await on_command(s, env, who, text, now)
    # Distress first, whoever writes and whatever step they are at: before /start, paused or stopped too.
    kind = heard.kind
    if kind is not None:
        also = await _also_answer(s, env, who, text, now) if kind is SafetyKind.WELLBEING else []
        outcome = await answer_distress(
            s, env, who, kind, now, heard.concern, content=not also, too=heard.parent_too
        )
        outcome.replies += also
        return outcome
    turn = await _turn(s, env, who, now)
    if turn is None:
        today = local_day(now, env.default_time_zone)
        return detours.before_start_word(text) or asking.before_start(env, text, today)
    step = turn.step
    if step is not None:
        return await detours.detour(turn, step, text, STEPS[step]) or await STEPS[step](turn, text)
    if turn.parent.flow is not None:  # a step this version no longer has
        await turn.goto(None)
    return await detours.idle(turn, text) or await asking.question(turn, text)


async def on_not_text(s: AsyncSession, env: Env, who: Who, now: datetime) -> Outcome:
    """A sticker, photo or voice note: say what works; in the middle of a step, ask its question again, so
    the parent is not left wondering where they were."""
    turn = await _turn(s, env, clean_who(who), now)
    step = turn.step if turn is not None else None
    ask = detours.ASKS.get(step) if step is not None else None
    if turn is None or ask is None:
        return say(NOT_TEXT)
    return await ask(turn, NOT_TEXT_AT_STEP)


async def _also_answer(s: AsyncSession, env: Env, who: Who, text: str, now: datetime) -> list[Reply]:
    """After a wellbeing reply, the answer to a question asked in the same message, if the content has one.

    In the middle of a step the step is asked again after that answer, so the parent is never left without
    the question they were on; with no question (or none the content answers) the step simply waits.
    """
    asked = question_in(text)
    if asked is None:
        return []
    turn = await _turn(s, env, who, now)
    if turn is None:
        return []
    also = await asking.answer_in_scope(turn, asked)
    if also is None:
        return []
    ask_again = detours.ASKS.get(turn.step) if turn.step is not None else None
    if ask_again is None:
        return [also]
    again = await ask_again(turn, detours.AGAIN)
    return [also, *again.replies]


async def on_command(s: AsyncSession, env: Env, who: Who, text: str, now: datetime) -> Outcome:
    if for_another_bot(text, env.bot_username):
        return say(FOR_ANOTHER_BOT)
    name, args = split_command(text)
    if name == "start":
        return await account.start(s, env, who, args, now)
    if name == "help":
        return await _then_step(s, env, who, now, say(help_text()))
    if name == "privacy":
        return await _then_step(s, env, who, now, Outcome([privacy()]))
    if name == "about":
        return await _then_step(s, env, who, now, say(about(env.library)))
    if name in WORD_COMMANDS:
        return await _word_command(s, env, who, WORD_COMMANDS[name], now)
    if name != "cancel" and name not in ACTIONS:
        return say("I don't know that command. Send /help to see what I can do.")
    turn = await _turn(s, env, who, now)
    if turn is None and name == "cancel":
        return say(detours.BEFORE_START_WORD)
    if turn is None:
        return say(NEED_START)
    if name == "cancel":
        return await detours.cancel(turn)
    if name == "pause" and (nothing := await detours.nothing_to_pause(turn)) is not None:
        return nothing
    if name == "stop" and (nothing := await detours.nothing_to_stop(turn)) is not None:
        return nothing
    if name == "resume" and (nothing := await detours.nothing_to_resume(turn)) is not None:
        return nothing
    step = turn.step
    if (
        name == "resume"
        and step in detours.ASKS
        and step not in detours.NOT_PAUSED_HERE
        and account.tips_on(turn)
    ):
        # nothing paused, in the middle of a question: said so, and the question goes on
        return await _then_step(s, env, who, now, await account.already_on(turn))
    if name == "mydata":  # a look at one's data in the middle of setup: then the question the parent was on
        return await _then_step(s, env, who, now, await account.my_data(turn))
    await detours.leave(turn)
    return await ACTIONS[name](turn)


# After a reply to distress, where to find support comes alone for this long: no setup question beside it.
QUIET_AFTER_DISTRESS = timedelta(hours=1)


async def _then_step(
    s: AsyncSession, env: Env, who: Who, now: datetime, shown: Outcome, *, after_distress: bool = True
) -> Outcome:
    """``shown`` (help, privacy, where to find support), then the question of the step the parent is at, with
    its buttons, so a look aside in the middle of setup is never a dead end. ``after_distress=False``: not
    while a reply to distress is recent (the parent is looking for help, not for the next question; the step
    waits, and comes back with their next message)."""
    turn = await _turn(s, env, who, now)
    ask = detours.ASKS.get(turn.step) if turn is not None and turn.step is not None else None
    if turn is None or ask is None:
        return shown
    told = turn.parent.distress_at
    if not after_distress and told is not None and now - told < QUIET_AFTER_DISTRESS:
        return shown
    again = await ask(turn, detours.AGAIN)
    return Outcome(shown.replies + again.replies)


async def _word_command(s: AsyncSession, env: Env, who: Who, word: str, now: datetime) -> Outcome:
    """ "/skip", "/back": the same as the word typed, wherever the parent is."""
    turn = await _turn(s, env, who, now)
    if turn is None:
        return detours.before_start_word(word) or say(NEED_START)
    step = turn.step
    said = step_word(word)
    if step is not None and said is not None:  # like its button: "/skip" is no name, unlike "Skip" typed
        return await detours.way_out(turn, step, said)
    if step is not None:
        return await detours.detour(turn, step, word, STEPS[step]) or await STEPS[step](turn, word)
    return await detours.idle(turn, word) or say(detours.IDLE_OK)


async def on_press(s: AsyncSession, env: Env, who: Who, data: str, now: datetime) -> Outcome:
    """A button press; anything not valid for this parent right now is "expired", whatever its data says."""
    who, data = clean_who(who), clean_text(data)
    if data.startswith(asking.MORE_PREFIX):  # names content only, so it works before /start too
        return asking.on_more(env.library, data) or expired()
    if data == PRIVACY_DETAILS_DATA:  # like /privacy itself, for anyone
        return await _then_step(s, env, who, now, say(privacy_details(env.retention_months, env.library)))
    if data == SUPPORT_DATA:  # under "couldn't find that" or a reply to distress, for anyone
        shown = say(support_text(env.support.crisis_text, env.support.call()))
        return await _then_step(s, env, who, now, shown, after_distress=False)
    if data == LOSS_SUPPORT_DATA:  # under a reply to a loss: the parent's own care first, for anyone
        shown = say(loss_support_text(env.support.crisis_text, env.support.call()))
        return await _then_step(s, env, who, now, shown, after_distress=False)
    turn = await _turn(s, env, who, now)
    if turn is None:
        return expired()
    outcome = await _press(turn, data)
    return outcome if outcome is not None else expired()


async def _press(turn: Turn, data: str) -> Outcome | None:
    kind, _, rest = data.partition(":")
    if kind == "f":
        step_name, _, value = rest.partition(":")
        step = turn.step
        if step is None or step != step_name:
            return None
        if value in ways.PRESSED_WORDS:  # "Skip for now", "Not now", "Leave it as it is"...
            return await detours.way_out(turn, step, StepWord(value))
        return await PRESS_STEPS[step](turn, value)
    if kind == "c":
        action, _, raw_id = rest.partition(":")
        return await children.on_press(turn, action, raw_id)
    if kind == "s":
        return await account.on_settings_press(turn, rest)
    if kind == "r":
        return await detours.on_press(turn, rest)
    if kind == "i":
        return await children.on_invite_press(turn, rest)
    if kind == "tip":
        return await _tip_press(turn, rest)
    return None


async def _tip_press(turn: Turn, rest: str) -> Outcome | None:
    """The buttons under a tip: ``h:<delivery>``, ``n:<delivery>``, ``more:<child>``, ``pause`` (``stop`` from
    "stop" said with nothing in progress); and
    ``u:<delivery>``, which brings a turned-down idea back."""
    action, _, raw_id = rest.partition(":")
    if action == "pause":
        return await detours.nothing_to_pause(turn) or await account.pause(turn)
    if action == "stop":
        return await detours.nothing_to_stop(turn) or await account.stop(turn)
    if action == "more":
        child = await turn.child(raw_id)
        return await asking.tip_for(turn, child) if child is not None else None
    delivery_id = parse_id(raw_id)
    if delivery_id is None:
        return None
    if action == "n":
        return await turned_down.not_for_us(turn, delivery_id)
    if action == "u":
        return await turned_down.undo(turn, delivery_id)
    if action != "h" or not await deliveries.record_feedback(
        turn.s, turn.parent.id, delivery_id, Feedback.HELPFUL
    ):
        return None
    return Outcome(toast=HELPFUL_THANKS)
