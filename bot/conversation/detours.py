"""The ways out of every step, by button and in the words parents use, and questions asked on the way.

At any step "skip", "not sure", "back", "cancel" (and /cancel) lead somewhere sensible, and a question typed
where a name or a date was asked for is answered before the step is asked again. Leaving never loses what
was given: a child half added is held, with a "carry on" button, until another flow begins.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.conversation import account, asking, child_steps, children, setup_steps
from bot.conversation.flow import FlowData, Mode, Step
from bot.conversation.formats import read_day_and_time_said, read_days_said, read_per_week, read_time
from bot.conversation.outcome import Outcome, say
from bot.conversation.schedules import reschedule
from bot.conversation.texts import CANCELLED, NO_CHILD_YET, NOTHING_TO_CANCEL
from bot.conversation.turn import Turn
from bot.core.dates import month_named, reads_as_date
from bot.core.emoji import Feeling, feeling, has_letters
from bot.core.reply import Button, Reply
from bot.core.retrieval import index_for
from bot.core.said_age import said_age, said_due_date
from bot.core.step_words import (
    Chat,
    StepWord,
    chat_word,
    escape_word,
    first_clause,
    introduced_name,
    is_later,
    is_question,
    is_stopping,
    normal_words,
    said_name,
    step_word,
    unsure_first,
)
from bot.core.text import day_date, esc
from bot.core.timezones import ZoneLookup, find_zone, zone_label
from content.conversation import alternatives, conversation_words
from db.models import ParentState

# The word lists kept as data in content/conversation.yaml (checked on load: a typo fails at start-up).
WORDS = conversation_words()

Ask = Callable[[Turn, str], Awaitable[Outcome]]


def _sync(ask: Callable[[Turn, str], Outcome]) -> Ask:
    async def asked(turn: Turn, lead: str) -> Outcome:
        return ask(turn, lead)

    return asked


def _lead(ask: Callable[[Turn], Outcome]) -> Ask:
    """For questions written without a lead: the lead goes before the first message."""

    async def asked(turn: Turn, lead: str) -> Outcome:
        outcome = ask(turn)
        if lead and outcome.replies:
            first = outcome.replies[0]
            outcome.replies[0] = replace(first, text=lead + first.text)
        return outcome

    return asked


# Each step's question, asked again (after an answer in passing, or to carry on after /cancel).
ASKS: dict[Step, Ask] = {
    Step.NAME: _sync(child_steps.ask_name),
    Step.BIRTHDATE: _sync(child_steps.ask_birthdate),
    Step.BIRTHDATE_PICK: _sync(child_steps.ask_date_pick),
    Step.EARLY: child_steps.ask_early,
    Step.DUE: _sync(child_steps.ask_due),
    Step.DUE_PICK: _sync(child_steps.ask_date_pick),
    Step.SAME_NAME: _sync(child_steps.ask_same_name),
    Step.TZ: _sync(setup_steps.ask_tz),
    Step.DAYS: _sync(setup_steps.ask_days),
    Step.TIME: _lead(setup_steps.ask_time),
    Step.PER_WEEK: _lead(setup_steps.ask_per_week),
    Step.RENAME: children.ask_rename_again,
    Step.DELETE: _sync(account.ask_delete),
    Step.PAUSE: _sync(account.ask_pause),
    Step.STOP: _sync(account.ask_stop),
}

# Where "back" goes from a step of adding a child (the answers so far are kept).
BACK: dict[Step, Step] = {
    Step.BIRTHDATE: Step.NAME,
    Step.SAME_NAME: Step.NAME,
    Step.BIRTHDATE_PICK: Step.BIRTHDATE,
    Step.EARLY: Step.BIRTHDATE,
    Step.DUE: Step.EARLY,
    Step.DUE_PICK: Step.DUE,
    Step.TIME: Step.DAYS,
    Step.DAYS: Step.TZ,
}
CHILD_STEPS = frozenset(
    {Step.NAME, Step.BIRTHDATE, Step.BIRTHDATE_PICK, Step.EARLY, Step.DUE, Step.DUE_PICK, Step.SAME_NAME}
)
DATE_STEPS = frozenset({Step.BIRTHDATE, Step.BIRTHDATE_PICK, Step.DUE, Step.DUE_PICK})
# A question typed here is answered, then the step asked again (a waiting question and the erase
# confirmation read any text their own way).
QUESTION_STEPS = frozenset(Step) - {Step.ASK, Step.DELETE}
AGAIN = "Now, back to where we were:\n"
# Steps where "hello", "thanks" or "ok" cannot be the answer ("yes" can at a yes/no question, "ok" to keep
# the suggested day): there they are said back, and the question asked again.
CHAT_STEPS = frozenset({Step.NAME, Step.RENAME, Step.BIRTHDATE, Step.DUE, Step.TZ, Step.TIME})
CHAT_LEADS = {
    Chat.HELLO: "Hello! ",
    Chat.THANKS: "You're welcome! ",
    Chat.OK: "",
}
# "ok" (or "yes") where the name was asked.
OK_AT_NAME = "Great! "
# "👍" or "❤️" sent at a step: a warm word before the question again.
WARM_LEAD = "Lovely, thank you! "
# "😢" sent at any step: a kind word before the question again.
SAD_LEAD = "I'm sorry if things feel hard right now. There's no rush: we can carry on whenever you like.\n\n"


# "Sorry I need to go, can we do this later?", "gotta go!": the parent leaving this chat, in every part of the
# message (the words around, "hmm actually", "sorry", "for now", allowed). A part about the child ("she cries
# when I have to go", "should I tell her I'll come back?", "does she have to go?") is no leaving.
_AROUND_LEAVING = alternatives(tuple(sorted(WORDS.leaving_around, key=len, reverse=True)))
_REASON = alternatives(WORDS.leaving_reasons)
_LEAVING = re.compile(
    rf"(?:(?:{_AROUND_LEAVING})\s+)*(?:{alternatives(WORDS.leaving)})(?:\s+(?:{_AROUND_LEAVING}))*"
    rf"(?:\s+(?:{_REASON}))?"
)
# Beside a leaving phrase, the words around it or the reason for it ("need to go, baby just woke up").
_ONLY_AROUND = re.compile(
    rf"(?:(?:{_AROUND_LEAVING})\s+)*(?:{_AROUND_LEAVING}|{_REASON})(?:\s+(?:{_AROUND_LEAVING}))*"
)
# Only the words around leaving ("sorry", "ok"): "sorry, have to go?" says no more than "have to go?".
_AROUND_ONLY = re.compile(rf"(?:(?:{_AROUND_LEAVING})\s+)*(?:{_AROUND_LEAVING})")
_PARTS = re.compile(r"\s*[,.!?;:]+\s*|\s+-+\s+")
# A part ending in a question mark, and leaving phrases that asked so are a question ("have to go?").
_ASKED_PART = re.compile(r"(?P<part>[^,.!?;:]+)\?")
_LEAVING_ASKED = re.compile(rf"(?:(?:{_AROUND_LEAVING})\s+)*(?:{alternatives(WORDS.leaving_asked)})")
# A hyphen joining words ("bye-bye"), read as a space.
_JOINING_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
# "Hi, I'm back", "ok back now": the whole message, after hellos and oks.
_RETURNING = re.compile(
    rf"^(?:(?:{alternatives(WORDS.returning_openers)})\s+)*(?:{alternatives(WORDS.returning)})$"
)
WELCOME_BACK = "Welcome back! "


_FIRST_SENTENCE = re.compile(r"^(?P<first>[^.!?]+)[.!?]+\s+(?P<rest>\S.*)$")


def _after_chat(text: str) -> str | None:
    """The question after a thanks, an ok or a hello ("thx. whats normal for him now"); None otherwise."""
    match = _FIRST_SENTENCE.match(text.strip())
    if match is None or chat_word(match["first"]) is None or not is_question(match["rest"]):
        return None
    return match["rest"]


def _after_hello(text: str) -> str | None:
    """What follows a hello that opens the message ("hi, Mia" -> "Mia"); None otherwise."""
    split = first_clause(text)
    return split[1] if split is not None and chat_word(split[0]) is Chat.HELLO else None


def _reads_alone(turn: Turn, step: Step, rest: str) -> bool:
    """What followed a hello is the step's answer read alone: a name that looks like one ("Alfie", not
    "colic" or "there"), a date or an age, a place, a time."""
    if step in (Step.NAME, Step.RENAME):
        return (
            _is_answer(turn, step, rest)
            or child_steps.name_then_when(rest, turn.today) is not None
            or _looks_like_a_name(turn, rest)
        )
    if step in DATE_STEPS:
        return _is_answer(turn, step, child_steps.without_hedges(rest))
    if step is Step.TIME:
        return read_time(rest) is not None
    if step is Step.PER_WEEK:
        return read_per_week(rest) is not None
    return _is_answer(turn, step, rest)


def _looks_like_a_name(turn: Turn, text: str) -> bool:
    """ "Alfie", "Mia and Leo": words typed as names are (a capital first), none a subject of the guidance, a
    feeling or a word that no name begins with."""
    words = [w for w in text.replace(",", " ").split() if w.lower() not in ("and", "&")]
    return (
        0 < len(words) <= child_steps.MOST_NAME_WORDS
        and all(w[:1].isupper() and child_steps.may_be_named(w) for w in words)
        and child_steps.read_name(text) is not None
        and feeling(text) is None
        and not asking.knows_words(turn, text)
    )


def leaving(text: str) -> bool:
    """The parent saying they must go now ("sorry I need to go, can we do this later?", "bye-bye", "gtg"): each
    part of the message leaving or the words around it, so never a question or a sentence about the child (nor
    "she's crying. have to go?", which asks; "have to go?" alone or after a "sorry" is a tired parent going)."""
    said = _JOINING_HYPHEN.sub(" ", normal_words(text))
    parts = [part for part in _PARTS.split(said) if part]
    told = any(not _LEAVING.fullmatch(part) and not _AROUND_ONLY.fullmatch(part) for part in parts)
    if told and any(
        _LEAVING_ASKED.fullmatch(asked["part"].strip()) for asked in _ASKED_PART.finditer(normal_words(text))
    ):
        return False  # "she's crying. have to go?": a question about going, not the parent leaving
    if not any(_LEAVING.fullmatch(part) for part in parts):
        return False
    return all(_LEAVING.fullmatch(part) or _ONLY_AROUND.fullmatch(part) for part in parts)


def returning(text: str) -> bool:
    """The parent saying they are back ("hi, I'm back")."""
    return _RETURNING.match(" ".join(normal_words(text).replace(",", " ").split())) is not None


Read = Callable[[Turn, str], Awaitable[Outcome]]
# Where a hello may open the answer ("hi, Mia"): every step but those reading any text their own way.
HELLO_STEPS = frozenset(ASKS) - {Step.DELETE}
# The date steps' own readers, for a guess after "not sure".
GUESSED: dict[Step, Read] = {Step.BIRTHDATE: child_steps.on_birthdate, Step.DUE: child_steps.on_due}
# "Not sure" with a guess after it that is not read ("early March", "she came at 34 weeks", "let me check"):
# asked again, a close guess welcome (never skipped silently, nor a day later read in another month).
GUESS_WELCOME = "No problem, a close guess is fine. "


async def detour(turn: Turn, step: Step, text: str, read: Read | None = None) -> Outcome | None:
    """What ``text`` means at ``step`` when it is a way out or a question; None when the step should read it.
    ``read``: the step's own reader, for what follows a hello ("hi, Mia"), read as if sent alone."""
    if step is Step.STOP and account.said_stop(text):
        return None  # "stop please" at "Stop your tips?" is the yes, not a way out of the question
    word = step_word(text)
    if word is not None:
        return await way_out(turn, step, word, text)
    if step is Step.ASK:
        return None
    greeted = _after_hello(text) if step in HELLO_STEPS and not _is_answer(turn, step, text) else None
    if greeted is not None and read is not None:  # "hi, skip", "hi, Leo, 8 months": the rest as if alone
        alone = await detour(turn, step, greeted, read)
        if alone is not None:
            return alone
        if _reads_alone(turn, step, greeted):
            return await read(turn, greeted)
        if "?" not in greeted and feeling(greeted) is None and not asking.knows_words(turn, greeted):
            return await ASKS[step](turn, CHAT_LEADS[Chat.HELLO])  # "hello, there", "hi, lol": no name
    unsure = unsure_first(text) if step in GUESSED else None
    if unsure is not None and not _is_answer(turn, step, text):
        return await _unsure_then(turn, step, *unsure)
    if leaving(text):  # "I need to go, can we do this later?": as "not now", what was given kept
        return await cancel(turn)
    if returning(text) and step in ASKS:  # "hi I'm back": where we were
        return await ASKS[step](turn, WELCOME_BACK)
    if step not in NOT_PAUSED_HERE and normal_words(text) in PAUSE_WORDS:
        return await pause_typed(turn)
    chat = chat_word(text)
    if step is Step.TIME and read_time(text) is not None:
        return None  # "morning" at the time question is 09:00, not a greeting
    if step is Step.TZ and (chat is Chat.OK or (feeling(text) is None and not has_letters(text))):
        return setup_steps.how_to_answer_tz(turn)  # "yes", "🤔": how to answer, with the zones again
    if chat is Chat.OK and step is Step.NAME:  # "ok" at the first question: a word back, then the question
        return await ASKS[step](turn, OK_AT_NAME)
    if chat is not None and step in CHAT_STEPS:  # "hello" is not a name, "yes" no time zone
        return await ASKS[step](turn, CHAT_LEADS[chat])
    if chat in (Chat.HELLO, Chat.THANKS) and step in ASKS:  # at a yes/no step "ok" may be its answer
        return await ASKS[step](turn, CHAT_LEADS[chat])
    mood = feeling(text)
    if mood is Feeling.OK and step is Step.DAYS and turn.data.mode in (Mode.FIRST, Mode.JOINED):
        return await setup_steps.on_days(turn, "keep")  # "👍" at "Sunday 09:00 is fine?": it is
    if mood is Feeling.OK and step in PICKS and len(turn.data.candidates) == 1:
        return await PICKS[step](turn, "yes")  # "👍" at "Yes, use 1 August 2026": that date
    if mood is not None and step in ASKS:  # "😢" anywhere: a kind word; "👍", "❤️" a warm one; the question
        return await ASKS[step](turn, SAD_LEAD if mood is Feeling.SAD else WARM_LEAD)
    place = place_said(turn, text) if step in CHILD_STEPS else None
    if place is not None:
        if len(place.choices) == 1:  # kept (its zone only) for the time zone question
            await turn.goto(step, replace(turn.data, zone=place.choices[0].zone))
        return await ASKS[step](turn, PLACE_LATER)  # "we live in Glasgow": asked for after the child
    # A question, or the question after a thanks ("thx. whats normal for him now"): answered, then asked again.
    asked = _after_chat(text) or (text if is_question(text) else None)
    if step is Step.NAME and child_steps.subject_then_when(turn, text):
        asked = text  # "Colic, 3 weeks": a question about colic at 3 weeks, no child called Colic
    if step in QUESTION_STEPS and asked is not None and not _is_answer(turn, step, text):
        answered = await asking.in_passing(turn, asked)
        again = await ASKS[step](turn, AGAIN)
        return Outcome(answered.replies + again.replies)
    if greeted is not None and read is not None:  # "hey. dad here, mum's asleep lol": a hello, the question
        return await ASKS[step](turn, CHAT_LEADS[Chat.HELLO])
    return None


async def _unsure_then(turn: Turn, step: Step, unsure: str, rest: str) -> Outcome:
    """ "Not sure, I think 12 March": the guess read; "not sure, have to go?" as the rest sent alone (a feeling
    after it is heard before any step: ``distress.hear``); "no idea, is it normal she cries?" answered, then the question again; a month alone, or
    anything else at the due date, asked again (a guess welcome; never skipped silently); "not sure, my
    daughter would know" at the birthdate as "not sure"."""
    guess = child_steps.without_hedges(rest)
    if _is_answer(turn, step, guess):
        return await GUESSED[step](turn, rest)
    word = step_word(rest)
    if word is not None:  # "not sure, skip": as "skip"
        return await way_out(turn, step, word, rest)
    if leaving(rest):  # "not sure, have to go?": as "have to go?", what was given kept
        return await cancel(turn)
    if "?" in rest:  # "no idea, is it normal she cries?": answered, then the question again
        answered = await asking.in_passing(turn, rest)
        again = await ASKS[step](turn, AGAIN)
        return Outcome(answered.replies + again.replies)
    if step is Step.DUE or month_named(rest) is not None:
        return await ASKS[step](turn, GUESS_WELCOME)  # "early March", "let me check": asked again, kindly
    return await way_out(turn, step, StepWord.SKIP, unsure)


# Where the parent lives, said while a child's details are asked: the time zone question comes after them.
_PLACE_SAID = re.compile(
    rf"^(?:we|i)(?:'re|'m| are| am)?\s+(?:(?:{alternatives(WORDS.place_verbs)})\s+)?in\s"
)


def place_said(turn: Turn, text: str) -> ZoneLookup | None:
    """ "We live in Glasgow": a place named in full, said as where the parent lives. Never a guess from part
    of a name, nor words the guidance reads as about health or feelings ("I'm in pain" is no Paine, "we're in
    bed" no Bedford): those are answered as the messages they are."""
    if not _PLACE_SAID.search(normal_words(text)):
        return None
    found = find_zone(text[:64], turn.now)
    if not found.choices or found.guessed:
        return None
    query = index_for(turn.env.library).analyse(text)
    return None if query.out_of_scope or feeling(text) is not None else found


PLACE_LATER = "Thank you! I'll ask about your time zone once your child is set up.\n\n"


# A tip's buttons typed instead of tapped, with nothing in progress.
TIP_WORDS = WORDS.tip_words
NOT_FOR_US_WORDS = WORDS.not_for_us_words
NOT_FOR_US_TYPED = (
    "Thanks for telling me. To keep a tip from coming again, tap <b>🙅 Not for us</b> under it, and I'll "
    "leave it out from now on. Send /tip for a different one."
)
# "pause" typed at a question; at the pause and stop questions it is their own answer.
PAUSE_WORDS = WORDS.pause_words
NOTHING_TO_PAUSE = "There's nothing to pause yet: tips start once your child is set up."
NOTHING_TO_STOP = "There are no tips to stop yet: they start once your child is set up."
NOTHING_TO_RESUME = "There's nothing to resume yet: tips start once your child is set up."
NOT_PAUSED_HERE = frozenset({Step.PAUSE, Step.STOP, Step.DELETE})


async def pause_typed(turn: Turn) -> Outcome:
    """ "pause" typed at a step or with nothing in progress: like /pause there (a half-added child is held)."""
    nothing = await nothing_to_pause(turn)
    if nothing is not None:
        return nothing
    await leave(turn)
    return await account.pause(turn)


async def nothing_to_pause(turn: Turn, said: str = NOTHING_TO_PAUSE) -> Outcome | None:
    """/pause (typed, "pause", or a pause button) before any child is saved: no tip is planned, so there is
    nothing to pause (``said``: /stop's words, for "nothing to stop"). The step the parent is at is asked
    again with its buttons (or the half-added child offered to carry on with), so nothing they typed so far
    is lost. None once a child is saved."""
    if await turn.children():
        return None
    step = turn.step
    if step is not None and step in ASKS and step not in NOT_PAUSED_HERE:
        return await ASKS[step](turn, f"{said}\n\n")
    if step is not None:
        await turn.goto(None)
    carry = await child_steps.offer_to_carry_on(turn)
    if carry is not None:
        first = carry.replies[0]
        return Outcome([Reply(f"{said}\n\n{first.text}", first.buttons)])
    return say(f"{said} Send /start when you're ready.")


async def nothing_to_resume(turn: Turn) -> Outcome | None:
    """/resume before any child is saved: no tips yet to come back; the step asked again, as for /pause."""
    return await nothing_to_pause(turn, NOTHING_TO_RESUME)


async def on_stop(turn: Turn, text: str) -> Outcome:
    """The answer to "Stop your tips?": "Pause instead" before any child is saved is nothing to pause."""
    if normal_words(text) in account.STOP_PAUSE:
        return await nothing_to_pause(turn) or await account.on_stop(turn, text)
    return await account.on_stop(turn, text)


async def nothing_to_stop(turn: Turn) -> Outcome | None:
    """/stop before any child is saved: no tips to stop. With a child half added (in a step, or held), said
    plainly what is kept and how to carry on, the setup left; otherwise the step asked again, as for /pause."""
    data = turn.data
    adding = turn.step in child_steps.MISSING and data.mode in (Mode.FIRST, Mode.ADD)
    if (adding or child_steps.holds_child(turn)) and data.name is not None and not await turn.children():
        name, birthdate = esc(data.name), data.birthdate
        kept = f"{name}'s name and birthdate, {day_date(birthdate)}" if birthdate else f"the name {name}"
        await leave(turn)
        await child_steps.offered(turn)
        text = (
            f"There are no tips to stop: {name} isn't set up yet, so I send nothing. I've kept what you told "
            f"me so far ({kept}). To finish, tap <b>Carry on with {name}</b> below or send /addchild any "
            "time; to erase it instead, send /deletedata."
        )
        return Outcome([Reply(text, child_steps.carry_on_buttons(data.name))])
    return await nothing_to_pause(turn, NOTHING_TO_STOP)


async def way_out(turn: Turn, step: Step, word: StepWord, text: str | None = None) -> Outcome:
    """A way out of ``step``, typed (``text``) or by its button."""
    if word is StepWord.CANCEL or step is Step.ASK:
        return await cancel(turn)  # at "which child is this about?", any way out lets the question go
    if word is StepWord.BACK:
        return await _back(turn, step)
    if word is StepWord.FIX:
        return await _fix(turn, step, text or "")
    if step is Step.NAME:
        return await child_steps.skip_name(
            turn, text or ""
        )  # typed "Skip" may be a name: said how to give it
    return await _skip(turn, step, text or word.value)


def _is_answer(turn: Turn, step: Step, text: str) -> bool:
    """A question-like message that still answers the step: "her name is Mia", or a date."""
    if step is Step.NAME and child_steps.mentions_multiples(text):
        return True  # "we have twins, Mia and Leo": one at a time, said at the name question
    if step is Step.NAME and child_steps.relation_said(text) is not None and not text.rstrip().endswith("?"):
        return True  # "I'm setting this up for my granddaughter": who the child is, the name asked next
    if step is Step.NAME and child_steps.says_when(text, turn.today):
        return True  # "she was born on the 3rd of June": the date, said before the name
    if step is Step.NAME and child_steps.no_name_yet(text):
        return True  # "we haven't picked one yet": no name yet, not a question
    introduced = introduced_name(text) if step is Step.NAME else None
    if introduced is not None and child_steps.names_child(turn, introduced):
        return True  # "my son Leo", "my daughter May": the name, with who the child is
    if introduced is not None:
        return said_name(text) is not None  # "my grandson is called Oliver" names him; "my son is shy" not
    if step in (Step.NAME, Step.RENAME, Step.SAME_NAME):
        return said_name(text) is not None and not text.rstrip().endswith("?")
    if step is Step.BIRTHDATE and child_steps.same_day_said(text) is not None:
        return True  # "it's the same as her sister": a sibling's birthdate
    if step in (Step.BIRTHDATE, Step.EARLY) and child_steps.renaming(turn, text) is not None:
        return True  # "actually her name is Lily": the name put right, where a date was asked
    if step is Step.DAYS and (read_days_said(text) or read_day_and_time_said(text)) is not None:
        return True  # "we'd love them on weekends": days, where days were asked
    if step in (Step.DAYS, Step.PER_WEEK) and read_per_week(text) is not None:
        return True  # "can I have them more often?", "twice a week please": how often, where days were asked
    said = normal_words(text)
    if step is Step.EARLY and (child_steps.said_not_early(said) or child_steps.said_early(said)):
        return True  # "she was on time", "he was premature": the answer, in a sentence
    if step is Step.EARLY and child_steps.how_early(text, turn.data.birthdate) is not None:
        return True  # "she was 5 weeks early": how early, where "born early?" was asked
    if step is Step.TZ:  # "I'm in Manchester", "we live in Toronto": a place, not a question
        return not text.rstrip().endswith("?") and bool(find_zone(text[:64], turn.now).choices)
    if step is Step.EARLY and child_steps.said_birthdate(text, turn.today):
        return True  # "actually it was on the 14th": the birthdate put right
    birthdate = turn.data.birthdate
    if step is Step.EARLY and birthdate and child_steps.due_dates_said(text, turn.today, birthdate):
        return True  # "she was due on the 20th": the due date, where "born early?" was asked
    if step not in DATE_STEPS:
        return False
    if step in (Step.BIRTHDATE, Step.BIRTHDATE_PICK) and said_age(text[:64], turn.today) is not None:
        return True  # "he's 4 months old": the age, where the birthdate was asked
    if step in (Step.DUE, Step.DUE_PICK) and birthdate and said_due_date(text[:64], birthdate) is not None:
        return True  # "she was 5 weeks early": how early, where the due date was asked
    after = birthdate if step in (Step.DUE, Step.DUE_PICK) else None
    return reads_as_date(text, turn.today, after=after)  # "she was born last Tuesday", "it's the 14th"


async def _back(turn: Turn, step: Step) -> Outcome:
    data = turn.data
    earlier = BACK.get(step)
    onboarding = data.mode in (Mode.FIRST, Mode.JOINED)
    if step is Step.NAME and data.mode is Mode.FIRST:
        return await ASKS[step](turn, "This is the first question.\n")
    if step is Step.TZ and data.mode is Mode.JOINED:
        return await ASKS[step](
            turn, "You share the children already; this is the first question about your tips.\n\n"
        )
    if step is Step.TZ and onboarding:
        offer = await _offer_fix(
            turn, "{name} is saved already: tap below to put something right, or carry on."
        )
        return offer or await ASKS[step](turn, "")
    if (
        earlier is None
        or (step is Step.BIRTHDATE and data.mode is Mode.EDIT)
        or (step in (Step.DAYS, Step.TIME) and not onboarding)
    ):
        return await cancel(turn)
    await turn.goto(earlier, replace(data, candidates=(), hour=None, minute=None))
    return await ASKS[earlier](turn, "")


FIXED = "No problem, let's put it right.\n"
_DATE_WORDS = re.compile(r"\b(date|birth\w*|day)\b")


async def _fix(turn: Turn, step: Step, text: str) -> Outcome:
    """ "I made a mistake", "wrong date": back to the answer that was wrong; where the question already is
    the correction (new dates, a new name) it is asked again; in setup's time zone question, the child."""
    data = turn.data
    about_dates = bool(_DATE_WORDS.search(text.lower()))
    if step is Step.RENAME or (step is Step.BIRTHDATE and (data.mode is Mode.EDIT or about_dates)):
        return await ASKS[step](turn, FIXED)
    if about_dates and step in (Step.BIRTHDATE_PICK, Step.EARLY, Step.DUE) and data.mode is not None:
        await turn.goto(Step.BIRTHDATE, replace(data, candidates=(), birthdate=None))
        return await ASKS[Step.BIRTHDATE](turn, FIXED)
    if step is Step.TZ and data.mode is Mode.FIRST:
        offer = await _offer_fix(turn, "No problem: tap what to put right for {name}, or carry on below.")
        if offer is not None:
            return offer
    return await _back(turn, step)


async def _offer_fix(turn: Turn, text: str) -> Outcome | None:
    """At setup's time zone question: buttons to put the child's birthdate or name right, then the question."""
    child = await turn.child(turn.data.child_id)
    if child is None:
        return None
    fix = Reply(text.format(name=esc(child.name)), setup_steps.fix_buttons(child.name))
    return Outcome([fix, *setup_steps.ask_tz(turn).replies])


# A date offered back to confirm: its own answer to "no".
PICKS = {Step.BIRTHDATE_PICK: child_steps.on_birthdate_pick, Step.DUE_PICK: child_steps.on_due_pick}


async def _skip(turn: Turn, step: Step, text: str) -> Outcome:
    """ "Skip", "not sure", "no": the step's way forward without an answer."""
    data = turn.data
    onboarding = data.mode in (Mode.FIRST, Mode.JOINED)
    if step in PICKS and len(data.candidates) == 1 and normal_words(text) in child_steps.NO:
        return await PICKS[step](turn, "no")  # "no" to the one date offered: not that date, asked again
    if step in (Step.BIRTHDATE, Step.BIRTHDATE_PICK):
        return await _no_birthdate(turn, text)
    if step is Step.EARLY and normal_words(text) in child_steps.NO:
        other = await child_steps.another_due_date(turn)  # "no" to "the same due date as Leo?"
        if other is not None:
            return other
    if step in (Step.EARLY, Step.DUE, Step.DUE_PICK):
        return await child_steps.skip_due(turn)
    if step is Step.SAME_NAME:
        return await child_steps.on_same_name(turn, "no")
    if step is Step.TZ and onboarding:
        await turn.goto(Step.DAYS, data)
        return setup_steps.ask_days(
            turn, f"I'll keep {esc(zone_label(turn.parent.time_zone))} time for now.\n\n", first=True
        )
    if step is Step.DAYS and onboarding:
        return await setup_steps.on_days(turn, "keep")
    if step is Step.TIME and onboarding:
        return await setup_steps.finish(turn)
    if step is Step.DELETE:
        return await account.on_delete(turn, "no")
    if step is Step.STOP:
        return await account.on_stop(turn, "no")
    return await cancel(turn)


async def _no_birthdate(turn: Turn, text: str) -> Outcome:
    """ "Skip", "no thanks", "later" where the birthdate was asked: a birthdate cannot be skipped. "Later" is
    the question's own "Not now" (the child is held); a refusal is told why the date is needed, once; a second
    refusal stops there, with the child held to carry on with."""
    data = turn.data
    if is_later(text) or data.mode is Mode.EDIT or data.name is None:
        return await cancel(turn)  # like the question's "Not now" (or, for new dates, "Keep the dates")
    name = esc(data.name)
    if data.refused:
        await leave(turn)
        await child_steps.offered(turn)
        text = (
            f"No problem, we'll leave it there for now. {name} isn't saved yet: whenever you have the "
            f"birthdate (a close guess is fine), tap <b>Carry on with {name}</b>."
        )
        return Outcome([Reply(text, child_steps.carry_on_buttons(data.name))])
    await turn.goto(Step.BIRTHDATE, replace(data, candidates=(), refused=True))
    return child_steps.ask_birthdate(
        turn,
        f"I need {name}'s birthdate to fit the tips to {name}'s age. A close guess is fine (like "
        f"<i>1 March 2026</i>), or tell me {name}'s age (like <i>4 months</i>). If now isn't a good time, "
        "tap <b>Not now</b>, and I'll keep what you've told me.\n\n",
    )


leave = child_steps.leave


async def cancel(turn: Turn) -> Outcome:
    """/cancel (or "cancel", "never mind"): leave the step, and say what was kept and what was not."""
    step, data = turn.step, turn.data
    if step is None:
        return say(NOTHING_TO_CANCEL)
    if data.then is Step.TZ and data.child_id is not None:  # a correction during setup: setup goes on
        await leave(turn)
        return await setup_steps.back_to_setup(turn, data.child_id, "OK, nothing changed.\n\n")
    name = esc(data.name or "your child")
    await leave(turn)
    if step in child_steps.MISSING and data.mode in (Mode.FIRST, Mode.ADD) and data.name is not None:
        await child_steps.offered(turn)
        missing = child_steps.MISSING[step].format(name=name)
        return Outcome(
            [
                Reply(
                    f"OK, we've stopped there. {name} isn't saved yet: I still need to know {missing}.",
                    child_steps.carry_on_buttons(data.name),
                )
            ]
        )
    if step in CHILD_STEPS and data.mode is Mode.EDIT:
        return say(f"OK, nothing changed: {name}'s dates stay as they were.")
    if step in CHILD_STEPS:  # a first setup starts again with /start, another child with /addchild
        again = "/start" if data.mode is Mode.FIRST and not await turn.children() else "/addchild"
        return say(f"OK, we've left that. Nothing was saved. Send {again} when you're ready.")
    if step in (Step.TZ, Step.DAYS, Step.TIME) and data.mode in (Mode.FIRST, Mode.JOINED):
        await reschedule(turn.s, turn.parent, turn.now)
        return say(
            f"OK, we've left that. What you chose so far is saved. {setup_steps.schedule_line(turn)} "
            "Change it any time in /settings."
        )
    return say(_LEFT.get(step, CANCELLED))


_LEFT = {
    Step.TZ: "OK, nothing changed.",
    Step.DAYS: "OK, nothing changed.",
    Step.TIME: "OK, nothing changed.",
    Step.PER_WEEK: "OK, nothing changed.",
    Step.RENAME: "OK, the name stays as it is.",
    Step.ASK: "OK, I've let that question go.",
    Step.DELETE: "OK, nothing was deleted.",
    Step.PAUSE: "OK, your tips carry on as before.",
    Step.STOP: "OK, your tips carry on as before.",
}


async def on_press(turn: Turn, action: str) -> Outcome | None:
    """``r:carry`` takes a held child up where it was left; ``r:afresh`` forgets it and starts again."""
    data = turn.data
    if turn.step is not None or data.held is None:
        return None
    if action == "carry":
        held = data.held
        await turn.goto(held, replace(data, held=None, offered=False, refused=False))
        return await ASKS[held](turn, "")
    if action == "afresh":
        await turn.goto(None)
        return await child_steps.begin_another(turn)
    return None


# With nothing in progress: what a way out said in words gets (instead of being read as a question).
IDLE_OK = "OK, nothing has changed. Ask me anything when you're ready, or send /help."
BEFORE_START_WORD = (
    "Nothing to stop or undo: we haven't set anything up, and I send nothing unless you ask. Ask me a question "
    "any time, or send /start when you're ready."
)
NOTHING_TO_UNDO = "There's nothing to go back to right now."
# A child held at one of these steps, offered to carry on with: the date typed is the answer.
HELD_DATES: dict[Step, Callable[[Turn, str], Awaitable[Outcome]]] = {
    Step.BIRTHDATE: child_steps.on_birthdate,
    Step.BIRTHDATE_PICK: child_steps.on_birthdate,
    Step.DUE: child_steps.on_due,
    Step.DUE_PICK: child_steps.on_due,
}
AFRESH_WORDS = WORDS.afresh_words
# Besides a yes (child_steps.said_yes), the offer to carry on taken up in words.
CARRY_ON_WORDS = WORDS.carry_on_words
# After a yes at "Carry on?", words that put it off: the child stays held.
_YES_FIRST = re.compile(rf"^(?:{alternatives(WORDS.yes_first)})\b[\s,.!;:-]*", re.I)
_PUT_OFF = re.compile(rf"\b(?:{alternatives(WORDS.put_off)})\b")


async def _yes_and_more(turn: Turn, text: str) -> Outcome:
    """A yes at "Carry on?" that says more: put off ("yes but not now", "yeah no"), the child stays held and
    how to come back is said; with a question or a worry, it is answered, and the offer stands."""
    said = normal_words(text)
    rest = said.split(" ", 1)[1] if " " in said else ""
    name = esc(turn.data.name or "your child")
    if _PUT_OFF.search(rest) and not is_question(rest):
        await child_steps.offered(turn)
        kept = (
            f"No problem, I'll keep what you've told me about {name}. Whenever you're ready, tap "
            f"<b>Carry on with {name}</b> or send /addchild."
        )
        return Outcome([Reply(kept, child_steps.carry_on_buttons(turn.data.name or ""))])
    answered = await asking.in_passing(turn, text)
    offer = await child_steps.offer_to_carry_on(turn)
    return Outcome(answered.replies + (offer.replies if offer is not None else []))


def before_start_word(text: str) -> Outcome | None:
    """ "Stop", "cancel", "go back" from someone who has not sent /start: nothing to stop, said so."""
    return say(BEFORE_START_WORD) if escape_word(text) is not None else None


async def idle(turn: Turn, text: str) -> Outcome | None:
    """A way out said with nothing in progress; None when the message is no such word (a question, then).

    "Stop" may be about the tips: pause or stop them by button. "I made a mistake" or "go back" leads to the
    child to put right (or the child held from before). A "yes" to the offer to carry on with a held child
    carries on.
    """
    word = escape_word(text)
    held, said = child_steps.holds_child(turn), normal_words(text)
    if said in PAUSE_WORDS:  # like /pause: with a child held, nothing to pause yet and the offer to carry on
        return await pause_typed(turn)
    mood = feeling(text)
    yes = child_steps.said_yes(text)  # "yes", "yes that's right": the one rule, as for a date offered
    if held and turn.data.offered and (yes or said in CARRY_ON_WORDS or mood is Feeling.OK):
        return await on_press(turn, "carry")
    chat = chat_word(text)
    if held and turn.data.offered and (chat in (Chat.HELLO, Chat.THANKS) or mood is not None):
        # "hello", "thanks", "❤️" at "Carry on?": a word back, and the offer still stands
        if mood is not None:
            lead = SAD_LEAD if mood is Feeling.SAD else WARM_LEAD
        else:
            lead = CHAT_LEADS[chat] if chat is not None else ""
        return await child_steps.offer_to_carry_on(turn, lead)
    if held and turn.data.offered and said == normal_words(turn.data.name or ""):
        return await on_press(turn, "carry")  # "Mia", at "We were adding Mia... Carry on?": that child

    if held and returning(text):  # "hi I'm back": the offer to carry on again
        return await child_steps.offer_to_carry_on(turn, WELCOME_BACK)
    held_step = turn.data.held
    dated = _YES_FIRST.sub("", text.strip())  # "yes it's 15 March 2026": the date
    if held and turn.data.offered and held_step in HELD_DATES and _is_answer(turn, held_step, dated):
        # "I still need the birthdate. Carry on?" answered with the date itself: carry on with it
        await turn.goto(held_step, replace(turn.data, held=None, offered=False, candidates=()))
        return await HELD_DATES[held_step](turn, dated)
    if held and turn.data.offered and said.split(" ", 1)[0] in child_steps.YES_WORDS:
        return await _yes_and_more(turn, text)  # "yes but not now", "yes but first, is it normal...?"
    named = child_steps.name_at_offer(turn, text) if held and turn.data.offered and word is None else None
    if named is not None and said_name(text) is None and asking.knows_words(turn, text):
        named = None  # "sleep" at the offer is a question, not a name
    if named is not None and held_step is not None and chat_word(text) is None and feeling(text) is None:
        # "Noah" at "We were adding Baby... Carry on?": the name skipped before, and on with that child
        await turn.goto(held_step, replace(turn.data, name=named, held=None, offered=False, refused=False))
        return await ASKS[held_step](turn, f"Got it, {esc(named)} it is.\n\n")
    if held and said in AFRESH_WORDS:
        return await on_press(turn, "afresh")
    if held and word is not None and is_stopping(text) and not await turn.children():
        return await nothing_to_stop(turn)  # "stop" with a child held: what is kept, as /stop says
    await leave(turn)  # anything else is no answer to the offer, and a later "ok" none either
    if said in TIP_WORDS:  # "another tip", typed rather than tapped: like /tip
        return await asking.tip(turn)
    if said in NOT_FOR_US_WORDS:  # the button typed: which tip is not known, so how to tap it
        return say(NOT_FOR_US_TYPED)
    per_week = read_per_week(text)
    if per_week is not None and ("week" in said or per_week > 3) and await turn.children():
        # "can I have tips more often?", "twice a week please": the tips-a-week setting, as in /settings
        await turn.goto(Step.PER_WEEK, FlowData(mode=Mode.SETTINGS))
        return await setup_steps.on_per_week(turn, text)
    if word is None and _changes_schedule(said) and await turn.children():
        return await _change_schedule(turn, said)  # "can I change the time to the evening?": that question
    days_said = read_day_and_time_said(text.rstrip(" ?!."))
    if word is None and days_said is not None and _ABOUT_TIPS.search(said) and await turn.children():
        # "actually can we do wednesdays instead", "tips on fridays please": the days, as in /settings
        await turn.goto(Step.DAYS, FlowData(mode=Mode.SETTINGS))
        return await setup_steps.on_days(turn, text.rstrip(" ?!."))
    if word in (None, StepWord.FIX) and _puts_right(turn, text) and await turn.children():
        return await _put_right(turn, "No problem. ")  # "I made a mistake with his birthday", "wrong date"
    if word is None and returning(text):  # "I'm back" with nothing in progress: a welcome, nothing looked up
        return say(f"{WELCOME_BACK}Ask me anything, or send /help.")
    if word is None and step_word(text) is StepWord.SKIP:  # "I don't know", "no": no question to look up
        return say(IDLE_OK)
    if word is None:
        return None
    if word in (StepWord.BACK, StepWord.FIX):
        return await child_steps.offer_to_carry_on(turn) or await _put_right(turn)
    if is_stopping(text):
        return await _about_tips(turn)
    return say(IDLE_OK)


# Said with nothing in progress, the tips' schedule to change: "can I change the time?", "change the tips day",
# "move the time to the evening". Not the child's routine: "change the time she naps", "switch the day and
# night around for him", "move the time of his bath" are questions.
_SCHEDULE_CHANGE = re.compile(
    rf"\b(?:{alternatives(WORDS.schedule_verbs)})\s+(?:the\s+|my\s+|our\s+)?(?P<tips>(?:tips?|messages?)\s+)?"
    rf"(?P<what>{alternatives(WORDS.schedule_whats)})\b\s*(?P<rest>.*)$"
)
# Days said with nothing in progress are the tips' only when the tips are in the sentence, or "instead".
_ABOUT_TIPS = re.compile(rf"\b(?:{alternatives(WORDS.about_tips_words)})\b")
_TO = re.compile(r"^(?:to|for|on|at)\s+")


async def _change_schedule(turn: Turn, said: str) -> Outcome:
    """ "Change the time to 8pm", "change my time zone": that question of /settings, answered at once when
    the answer came with it ("to the evening", "to Berlin"); the whole menu where the words name none."""
    match = _SCHEDULE_CHANGE.search(said)
    if match is None:
        return await account.settings(turn)
    what = match["what"]
    step = Step.TZ if "zone" in what else Step.DAYS if "day" in what else Step.TIME
    await turn.goto(step, FlowData(mode=Mode.SETTINGS))
    rest = _TO.sub("", match["rest"].strip(" ?.!"))
    if step is Step.TIME and rest and read_time(rest) is not None:
        return await setup_steps.on_time(turn, rest)
    if step is Step.DAYS and rest and read_day_and_time_said(rest) is not None:
        return await setup_steps.on_days(turn, rest)
    if step is Step.TZ and rest and find_zone(rest[:64], turn.now).choices:
        return await setup_steps.on_tz(turn, rest)
    return account.SETTINGS_QUESTIONS[step](turn)


# What may follow "change the time" for it to be the tips': nothing, the tips, or when to ("to the evening").
_TIPS_REST = re.compile(
    r"(?:(?:to|for|on|of|when|that)\s+(?:the\s+|my\s+|our\s+|your\s+)?(?:tips?|messages?)\b.*"
    r"|(?:you|they)\s+(?:send|come)\b.*"
    rf"|(?:to|for)\s+(?!.*\b(?:{alternatives(WORDS.child_words)})\b).*"
    r"|please|)"
)


def _changes_schedule(said: str) -> bool:
    """The tips' days or time to change, said in words ("can I change the time?"), not the child's routine."""
    match = _SCHEDULE_CHANGE.search(said)
    if match is None:
        return False
    return bool(match["tips"]) or _TIPS_REST.fullmatch(match["rest"].strip(" ?.!")) is not None


# Said with nothing in progress, a child's details put right: "I made a mistake with his birthday", "I typed
# her name wrong", "the due date is wrong", "actually he was born on the 14th". The detail is what is wrong:
# a mistake said beside the birth ("I made a mistake and shouted at him, he was born so small", "I got his
# feeding wrong since he was born") is the parent's worry, answered as a question.
_WRONG = re.compile(rf"\b(?:{alternatives(WORDS.wrong_words)})\b")
_DETAIL = re.compile(
    r"\b(?:his|her|their|the|my|our|\w+'s|wrong|incorrect)\s+(?:first\s+)?"
    rf"(?:{alternatives(WORDS.detail_words)})\b(?!\s+(?:{alternatives(WORDS.not_the_detail)}))"
)
_CLAUSE = re.compile(r"\s*[,;.!]\s*|\s+(?:and|but|so|because|since)\s+")
_BORN_ON = re.compile(
    r"^(?:(?:actually|sorry|oops|oh|no|wait|i meant)\s+)*(?:he|she|they|[a-z]+)\s+(?:was|were)\s+born\s+"
    r"(?:on\s+)?(?P<day>.+)$"
)


# After the birthdate said again, the one it replaces: "on the 13th, not the 15th", "the 13th instead".
# Only a date after "not" ("not the 15th") or "instead" at the end: "not sure if that matters" is no correction.
_NOT_THAT = re.compile(r"[\s,]+(?:(?:not|rather than|instead of)\s+(?P<other>.+)|instead)$")


def _puts_right(turn: Turn, text: str) -> bool:
    """The child's name or dates plainly said to be wrong (in one clause, the detail its object), or the
    birthdate said again on its own, with nothing in progress."""
    said = normal_words(text).replace(",", " , ")
    if text.rstrip().endswith("?"):
        return False
    if any(_DETAIL.search(part) and _WRONG.search(part) for part in _CLAUSE.split(said)):
        return True
    born = _BORN_ON.match(" ".join(said.replace(",", " ").split()))
    day = born["day"] if born is not None else ""
    other = _NOT_THAT.search(day)  # "the 13th of march not the 15th": the first date
    if other is not None and (other["other"] is None or reads_as_date(other["other"], turn.today)):
        day = day[: other.start()]
    return born is not None and reads_as_date(day, turn.today)


async def _put_right(turn: Turn, lead: str = f"{NOTHING_TO_UNDO} ") -> Outcome:
    kids = await turn.children()
    if not kids:
        return say(f"{NOTHING_TO_UNDO} {NO_CHILD_YET}")
    if len(kids) == 1:
        child = kids[0]
        name = esc(child.name)
        buttons = (
            (Button("✏️ Rename", f"c:rename:{child.id}"), Button("📅 Change dates", f"c:dates:{child.id}")),
        )
        return Outcome([Reply(f"{lead}To put something right about {name}, tap below.", buttons)])
    shown = kids[: children.CHILDREN_PER_PAGE]
    rows = tuple((Button(child.name, f"c:menu:{child.id}"),) for child in shown)
    more = " (all of them are in /children)" if len(kids) > len(shown) else ""
    text = f"{lead}To put a name or a date right, tap the child{more}."
    return Outcome([Reply(text, rows)])


async def _about_tips(turn: Turn) -> Outcome:
    """ "Stop" with nothing in progress: perhaps the tips; a button for each way, nothing stopped unasked."""
    if not await turn.children():
        return say(
            "Nothing is in progress, and I send no tips until a child is set up. Send /start when you're ready."
        )
    if turn.parent.state is not ParentState.ACTIVE:
        return say(f"Nothing is in progress, so nothing has changed. {setup_steps.schedule_line(turn)}")
    buttons = ((Button("⏸ Pause tips", "tip:pause"), Button("⏹ Stop tips", "tip:stop")),)
    text = (
        "Nothing is in progress, so nothing has changed. If you meant your tips, you can pause or stop them:"
    )
    return Outcome([Reply(text, buttons)])
