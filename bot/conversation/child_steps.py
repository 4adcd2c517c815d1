"""A child's name, birthdate and (for a baby born early) due date: for onboarding, /addchild and edits.

The flow's mode: ``Mode.FIRST`` (onboarding, goes on to time zone and schedule), ``Mode.ADD`` (another child),
``Mode.EDIT`` (new dates for ``child_id``). Answers so far live in the flow data, so a restart loses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.conversation import setup_steps, ways
from bot.conversation.clean import clean_name
from bot.conversation.flow import FlowData, Mode, Step
from bot.conversation.outcome import Outcome, say
from bot.conversation.schedules import reschedule
from bot.conversation.texts import MAX_NAME_CHARS, NAME_HINT, NAME_NOT_CAUGHT, TOO_MANY_CHILDREN
from bot.conversation.turn import Turn, choice
from bot.core.ages import (
    DateProblem,
    age_note,
    age_on,
    describe_age,
    is_past_36_months,
    validate_birthdate,
    validate_due_date,
)
from bot.core.dates import EXAMPLES, day_of_month, parse_date, reads_as_date, relative_date, says_due
from bot.core.emoji import feeling, has_letters
from bot.core.reply import Button, Reply
from bot.core.retrieval import index_for
from bot.core.said_age import born_at_term, said_age, said_due_date
from bot.core.schedule import WEEKDAY_NAMES
from bot.core.step_words import (
    Introduced,
    NameSaid,
    StepWord,
    introduced_name,
    is_question,
    name_said,
    normal_words,
    said_name,
)
from bot.core.text import day_date, esc
from content.conversation import alternatives, conversation_words
from db import families
from db.models import Child

# The word lists kept as data in content/conversation.yaml (checked on load: a typo fails at start-up).
WORDS = conversation_words()
YES = WORDS.plain_yes
ANOTHER_DUE_DATE = WORDS.another_due_date
# At "Is Ben's due date the same too?": the twin's button, or said.
SAME_AS_TWIN = WORDS.same_as_twin
NO = WORDS.plain_no
# At a second child's birthdate: born the same day as a brother or sister ("same day as Mia", "same birthday",
# "same as her sister"). Said alone, or before the sibling (a name, or one of SIBLING_WORDS).
SAME_DAY_ALONE = WORDS.same_day_alone
SAME_DAY_AS = WORDS.same_day_as
SIBLING_WORDS = WORDS.sibling_words
_SIBLING_OWNERS = re.compile(r"^(?:her|his|their|my|the|our)\s+")
_SAID_BEFORE = re.compile(
    r"^(?:(?:yes|yeah|yep|oh|it's|its|it is|it was|she was|he was|they were|born on)\s+)+"
)


async def begin(turn: Turn, mode: Mode, lead: str = "") -> Outcome:
    await turn.goto(Step.NAME, FlowData(mode=mode))
    return ask_name(turn, lead)


def ask_name(turn: Turn, lead: str = "", *, first: bool = False) -> Outcome:
    question = "What's your child's name?" if turn.data.mode is Mode.FIRST else "What's this child's name?"
    question = "What's the first one's name?" if first else question
    skip = ways.row(Step.NAME, StepWord.SKIP, "Skip for now")
    return Outcome([Reply(lead + question + " A nickname is fine.", (skip,))])


async def begin_another(turn: Turn) -> Outcome:
    """/addchild: a parent without children (all removed, or setup left early) gets the full setup; a child
    held from before is offered first; a parent at the limit is told so before typing anything."""
    count = await families.count_children(turn.s, turn.parent.id)
    if count >= families.MAX_CHILDREN:
        return say(TOO_MANY_CHILDREN)
    return await offer_to_carry_on(turn) or await begin(turn, Mode.ADD if count else Mode.FIRST)


# Steps a half-added child is held at when the parent leaves, and what is still missing there.
MISSING: dict[Step, str] = {
    Step.BIRTHDATE: "the birthdate",
    Step.BIRTHDATE_PICK: "the birthdate",
    Step.SAME_NAME: "which name to use",
    Step.EARLY: "whether {name} was born early",
    Step.DUE: "the due date",
    Step.DUE_PICK: "the due date",
}


async def leave(turn: Turn) -> None:
    """Leave the current flow for something else: a half-added child is held for later (with its answers),
    anything else forgotten."""
    step, data = turn.step, turn.data
    if step in MISSING and data.mode in (Mode.FIRST, Mode.ADD) and data.name is not None:
        await turn.hold(replace(data, held=step, candidates=(), offered=False))
    elif step is not None:
        await turn.goto(None)
    elif data.offered:  # something else came after the offer to carry on: a later "ok" is not its answer
        await turn.hold(replace(data, offered=False))


async def offered(turn: Turn) -> None:
    """The offer to carry on with the held child has just been made."""
    await turn.hold(replace(turn.data, offered=True))


def carry_on_buttons(name: str) -> tuple[tuple[Button, ...], ...]:
    return ((Button(f"Carry on with {name}", "r:carry"),), (Button("Start afresh", "r:afresh"),))


def holds_child(turn: Turn) -> bool:
    """A child held from before (left with /cancel or a command half-way), to offer to carry on with."""
    data = turn.data
    return turn.step is None and data.held is not None and data.name is not None


async def offer_to_carry_on(turn: Turn, lead: str = "") -> Outcome | None:
    """A child held from before: offer to carry on with it (remembered, so a "yes" next answers it)."""
    data = turn.data
    if not holds_child(turn) or data.held is None or data.name is None:
        return None
    await offered(turn)
    missing = MISSING.get(data.held, "a little more").format(name=esc(data.name))
    text = f"{lead}We were adding {esc(data.name)}, and I still need to know {missing}. Carry on?"
    return Outcome([Reply(text, carry_on_buttons(data.name))])


async def begin_dates(turn: Turn, child_id: int, name: str) -> Outcome:
    await turn.goto(Step.BIRTHDATE, FlowData(mode=Mode.EDIT, child_id=child_id, name=name))
    return ask_birthdate(turn)


async def _restart(turn: Turn) -> Outcome:
    """A flow stored without an answer this step needs (only an older version could leave one): ask again."""
    data = turn.data
    if data.mode is Mode.EDIT and data.child_id is not None and data.name is not None:
        return await begin_dates(turn, data.child_id, data.name)
    return await begin_another(turn)


def ask_birthdate(turn: Turn, lead: str = "") -> Outcome:
    name = turn.data.name or "your child"
    return Outcome([ways.birthdate_ask(name, editing=turn.data.mode is Mode.EDIT, lead=lead)])


# A name typed alone has at most so many words ("Mary Jane Anne Rose"); more is a sentence.
MOST_NAME_WORDS = 4


def read_name(text: str) -> str | None:
    """A name as typed ("Mia", or "her name is Mia"), on one line with spacing tidied; None when empty, too
    long, or without a letter or figure ("❤️" alone is a feeling, not a name)."""
    said = said_name(text)
    if said is None and len(text.split()) > MOST_NAME_WORDS:
        return None  # "just got home, it's been a busy week": a sentence, not a name
    name = clean_name(said or text)
    if name is not None and name.isupper() and sum(ch.isalpha() for ch in name) >= 3:
        name = capitalised(
            name
        )  # typed in capitals ("MIA"): not shouted back in every tip; "AJ" stays as typed
    return name if name is not None and len(name) <= MAX_NAME_CHARS and has_letters(name) else None


# Roman numerals after a name ("Leo III") stay in capitals; those of one or two letters do as initials do.
ROMAN_NUMERALS = frozenset({"III", "VII", "VIII", "XII", "XIII", "XIV", "XV"})


def capitalised(name: str) -> str:
    """A name typed in capitals, word by word: "MIA ROSE" -> "Mia Rose", "ELİF" -> "Elif"; words of two
    letters or fewer ("MJ") and roman numerals after the name ("LEO III") as typed."""
    words = name.split(" ")
    return " ".join(
        word
        if sum(ch.isalpha() for ch in word) <= 2 or (i > 0 and word in ROMAN_NUMERALS)
        else word.title().replace("i\u0307", "i")
        for i, word in enumerate(words)
    )


def says_when(text: str, today: date) -> bool:
    """ "2 weeks ago", "15/06/2025", "she's 8 months": when the child was born or how old, not a name. ("June"
    or "May" alone may be a name: a date here has a figure in it, or is a day like "last Tuesday".)"""
    if relative_date(text[:64], today) is not None or said_age(text[:64], today) is not None:
        return True
    return any(ch.isdigit() for ch in text) and reads_as_date(text, today)


# Said at the name question by a parent of more than one baby born together: they are set up one at a time.
# Only the plural: "my twin sister helped name her", "Noah. He's a twin" are one child to name.
MULTIPLES = WORDS.multiples
# "Noah. He's a twin": said after the name, not part of it.
_A_TWIN = re.compile(r"[\s.,;!]+(?:(?:he|she)(?:'s|’s|\s+is)\s+)?(?:a\s+)?twin[.!]*$", re.I)


def mentions_multiples(text: str) -> bool:
    """ "We have twins", "twins, Mia and Leo", "triplets!", "twin girls": more than one child to name at once."""
    words = normal_words(text).replace(",", " ").replace(".", " ").split()
    padded = f" {' '.join(words)} "
    return not text.rstrip().endswith("?") and (
        any(word in MULTIPLES for word in words)
        or any(f" {said} " in padded for said in WORDS.multiples_phrases)
    )


def without_twin_note(text: str) -> str:
    """ "Noah. He's a twin" -> "Noah": the name, without a word about being a twin after it."""
    return _A_TWIN.sub("", text).strip() or text


ONE_AT_A_TIME = (
    "How lovely! I'll take them one at a time: tell me about one now, and once we're done, send /addchild "
    "for the next (I'll notice they share a birthday).\n\n"
)


# Who the child is to the one typing, said where the name was asked ("it's for my grandson"): no name.
RELATIONS = WORDS.relations
_RELATION = re.compile(r"\b(?:my|our)\s+(?P<who>[a-z]+(?:\s+[a-z]+)?)\s*$")


# "For my daughter, her baby boy was born last month": a grandparent's grandchild, said after their own child.
# Only the baby plainly introduced (named as the message begins or after "for", and at most its birth said
# after it): never a loss, an illness or a question ("my son's baby boy was stillborn", "my daughter's little
# boy has a rash", "I look after my son's little girl, she is 2"), nor a parent's own two children ("my
# daughter is 2 and her new baby is due in march").
_GRANDCHILD = re.compile(
    r"(?:^|\bfor\s+|^(?:hi|hello|hey)\s+)(?:my|our)\s+(?:son|daughter)(?:'s\s+|\s*,?\s+(?:her|his|their)\s+)"
    rf"(?:new\s+|first\s+)?(?P<who>{alternatives(tuple(WORDS.grandchild_words))})"
    r"(?:\s+(?:was\s+(?:just\s+)?born|(?:has\s+)?(?:just\s+)?arrived|is\s+here)"
    r"(?P<when>(?:\s+[a-z0-9]+){0,4}))?\s*[.!]*$"
)
# After "was born": when ("last month", "on the 3rd"), never another clause ("... she is poorly").
_NOT_WHEN = re.compile(rf"\b(?:{alternatives(WORDS.not_when_born)})\b")


def relation_said(text: str) -> str | None:
    """ "It's for my grandson", "my daughter", "our baby": who the child is, with no name; None otherwise."""
    said = normal_words(text)
    # "for my daughter, her baby boy was born last month": a grandson
    grandchild = None if "?" in text else _GRANDCHILD.search(said)
    if grandchild is not None and not _NOT_WHEN.search(grandchild["when"] or ""):
        return WORDS.grandchild_words[grandchild["who"]]
    match = _RELATION.search(said)
    if match is None:
        return None
    who = match["who"]
    if who in RELATIONS:
        return who
    last = who.split()[-1]
    return last if last in RELATIONS else None


async def on_name(turn: Turn, text: str) -> Outcome:
    if mentions_multiples(text) and said_name(text) is None:
        return ask_name(turn, ONE_AT_A_TIME, first=True)
    if no_name_yet(text):  # "not sure yet", "we haven't decided": the question skipped, kindly
        return await skip_name(turn)
    introduced = introduced_name(text)
    if introduced is not None and names_child(turn, introduced):
        text = introduced.words  # "my son Leo", "Leo, my son", "Mia's her name", "my daughter May": the name
    elif introduced is not None and not is_question(text) and said_name(text) is None:  # "this is hard"
        return ask_name(turn, f"{NAME_NOT_CAUGHT}\n\n")
    relation = relation_said(text) if said_name(text) is None or "my " in normal_words(text) else None
    if relation is not None:  # "it's for my grandson": how lovely, and the name still to come
        buttons = ask_name(turn).replies[0].buttons
        return Outcome(
            [Reply(f"How lovely! What's your {esc(relation)}'s name? A nickname is fine.", buttons)]
        )
    when = name_then_when(text, turn.today) or _named_in_a_sentence_then_when(text, turn.today)
    if when is not None and _a_subject(turn, when[0]):  # "Colic, 3 weeks" (answered as a question before)
        return ask_name(turn, f"{NAME_NOT_CAUGHT}\n\n")
    if when is not None:  # "Mia, 2 weeks", "Leo (8 months)": the name, and the age offered as the birthdate
        return await _named_then_when(turn, *when)
    if says_when(text, turn.today):  # the date before the name: asked for next, the name first
        return ask_name(turn, "That looks like when your child was born: I'll ask for that next.\n\n")
    words = normal_words(text).split()
    if len(words) > 1 and words[0] in WORDS.not_name_openers and said_name(text) is None:
        return ask_name(turn, f"{NAME_NOT_CAUGHT}\n\n")  # "yes that's right": a reply, not a name
    lead = ""
    given = given_name_after_surname(text)
    if given is not None:  # "Smith, John": the first name, the family name left out and said back
        text = given.name
        lead = (
            f"I'll call your child {esc(given.name)}, with {esc(given.surname)} as the family name. If you "
            f"meant another name, say <i>back</i>.\n\n"
        )
    pair = None if given is not None else two_words(text)
    if pair is not None:
        names = [name for name in map(_as_a_name, pair.words) if name is not None]
        query = index_for(turn.env.library).analyse(without_months_as_names(text))
        if not names or query.topical or query.out_of_scope:  # "Mum and Dad", "Tantrums and Biting"
            return ask_name(turn, f"{NAME_NOT_CAUGHT}\n\n")
        if len(names) == 2 and pair.joined:  # "Oscar and Lily": twins, one at a time, the first now
            return await _two_named(turn, names[0], names[1])
        text = names[0]  # "Mia & me", "Elizabeth, Lizzie": the one name, or the first
        if len(names) == 2 and names[0].casefold() != names[1].casefold():
            # "Thomas, Tom" or "Noah, Ella": a short form or a twin; the first is used and the other said.
            lead = f"I'll use {esc(names[0])}. If {esc(names[1])} is another child, send /addchild once we're done."
            lead += "\n\n"
    name = read_name(without_twin_note(text))
    if name is None:  # the question again, with its Skip button; the limit said only where it was passed
        too_long = len(text.split()) <= MOST_NAME_WORDS and len(text.strip()) > MAX_NAME_CHARS
        return ask_name(turn, f"{NAME_HINT if too_long else NAME_NOT_CAUGHT}\n\n")
    if await _has_child_called(turn, name):
        await turn.goto(Step.SAME_NAME, replace(turn.data, name=name))
        return ask_same_name(turn, lead)
    return await _named(turn, name, lead)


# Between a name and an age or a date said after it: the opener ("aged", "who is"), and what wraps it
# ("Leo (8 months)", "Mia - 2 weeks").
_WHEN_OPENER = re.compile(rf"^(?:(?:{alternatives(WORDS.name_then_when)})\s+)")
_WRAPPING = " ,;:()[].!-–"
# A word of a name: letters first ("Jo-Ann", "D'Arcy").
_NAME_WORD = re.compile(r"[^\W\d_][\w'-]*")


def name_then_when(text: str, today: date) -> tuple[str, str] | None:
    """ "Mia, 2 weeks", "Mia 2 weeks old", "Leo (8 months)", "Mia, born 15 March 2026": the name as typed and
    the age or date after it; None when the message is not put so (an age alone, "she's 8 months", is no
    name, nor is "my baby 2 weeks")."""
    words = " ".join(text.replace(",", ", ").split()).split(" ")
    if said_age(text[:64], today) is not None:
        return None
    for k in range(1, min(MOST_NAME_WORDS, len(words) - 1) + 1):
        name = " ".join(words[:k]).rstrip(_WRAPPING)
        rest = _WHEN_OPENER.sub("", normal_words(" ".join(words[k:]).strip(_WRAPPING)))
        if not all(_NAME_WORD.fullmatch(w) and may_be_named(w) for w in name.split()):
            continue
        if _says_when_alone(rest, today):
            return name, rest
    return None


def subject_then_when(turn: Turn, text: str) -> bool:
    """ "Colic, 3 weeks", "Separation anxiety, 9 months": a subject of the guidance, or a feeling, put where a
    name goes before an age: a question, not a child called Colic."""
    when = name_then_when(text, turn.today)
    return when is not None and _a_subject(turn, when[0])


def _a_subject(turn: Turn, words: str) -> bool:
    """Words the guidance reads as a subject ("colic", "separation anxiety") or a feeling ("struggling"):
    never a name put before an age."""
    query = index_for(turn.env.library).analyse(without_months_as_names(words))
    return query.topical or bool(query.out_of_scope) or feeling(words) is not None


def _says_when_alone(rest: str, today: date) -> bool:
    """An age ("2 weeks old", "born 3 weeks ago") or a date with a figure ("born 15/03/2026"), and nothing else."""
    return said_age(rest[:64], today) is not None or (
        any(ch.isdigit() for ch in rest) and reads_as_date(rest, today)
    )


def _named_in_a_sentence_then_when(text: str, today: date) -> tuple[str, str] | None:
    """ "She's called Rosie, born 3 weeks ago": the name said in a sentence and the age or date after it."""
    said = name_said(text)
    if said is None or not said.rest:
        return None
    rest = _WHEN_OPENER.sub("", normal_words(said.rest))
    return (said.name, rest) if _says_when_alone(rest, today) else None


# "Smith, John Paul": a family name, a comma, then the name (up to three words).
_SURNAME_FIRST = re.compile(
    r"(?P<surname>[^\W\d_][\w'’-]*)\s*,\s*(?P<given>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2})"
)


@dataclass(frozen=True)
class SurnameFirst:
    """ "Smith, John": the family name typed first (said back, in case it was a child's), and the name."""

    surname: str
    name: str


def given_name_after_surname(text: str) -> SurnameFirst | None:
    """ "Smith, John" or "SMITH, John": the name after a family name typed first, as on a form; None otherwise
    ("Noah, Ella", "Harrison, Riley" and "MIA, Leo" are two first names)."""
    match = _SURNAME_FIRST.fullmatch(" ".join(text.split()).strip(" .!"))
    if match is None:
        return None
    surname, given = match["surname"], match["given"]
    if not all(may_be_named(w) and not _a_surname(w) for w in given.split()):
        return None
    name = read_name(given) if _a_surname(surname) else None
    return None if name is None else SurnameFirst(surname, name)


def _a_surname(word: str) -> bool:
    """A family name seldom a child's first name ("Smith", "O'Brien", "Smith-Jones")."""
    lower = word.lower().replace("’", "'")
    return lower in WORDS.surnames or all(part in WORDS.surnames for part in lower.split("-"))


def may_be_named(word: str) -> bool:
    """A word that may be part of a name typed before an age: not "my", "she's", "baby" or "mum"."""
    lower = word.lower().split("'")[0]
    lists = (
        WORDS.not_a_name,
        WORDS.not_name_openers,
        WORDS.not_a_childs_name,
        WORDS.relations,
        WORDS.not_name_starts,
    )
    return not any(lower in words or word.lower() in words for words in lists)


async def _named_then_when(turn: Turn, typed: str, when: str) -> Outcome:
    """The name taken, then the age or date said after it read as the birthdate question reads it (an age
    offered back as a likely birthdate to confirm, never saved unasked); a name here already asked about
    first, and the birthdate asked for after."""
    name = read_name(typed)
    if name is None:
        return ask_name(turn, f"{NAME_NOT_CAUGHT}\n\n")
    if await _has_child_called(turn, name):  # the age said is asked for again after: said so, not dropped
        await turn.goto(Step.SAME_NAME, replace(turn.data, name=name))
        return ask_same_name(turn, AGE_AFTER)
    await turn.goto(Step.BIRTHDATE, replace(turn.data, name=name))
    return await on_birthdate(turn, when)


# A name with an age after it, the name one a child here has already: the age asked for once that is settled.
AGE_AFTER = "Thank you. I'll ask when your child was born in a moment.\n\n"


async def _has_child_called(turn: Turn, name: str) -> bool:
    """A child of that name is here already (asked about before another is added; not when renaming)."""
    if turn.data.mode is Mode.EDIT:
        return False
    return any(c.name.casefold() == name.casefold() for c in await turn.children())


# Two words at the name question: "Oscar and Lily", "Mia & Leo" (joined: two children), "Elizabeth, Lizzie" (the
# first used, the other said back), "Mum and Dad", "Mia & me" (one word each).
_TWO_WORDS = re.compile(
    r"(?P<first>[^\W\d_][\w'-]*)(?:\s+(?P<and>and|&)\s+|\s*(?P<amp>&)\s*|\s*,\s*)(?P<second>[^\W\d_][\w'-]*)"
)


@dataclass(frozen=True)
class TwoWords:
    """Two words said where the name was asked; ``joined`` by "and" or "&". After a comma ("Thomas, Tom", "Noah,
    Ella") the first is used and the other said back: a short form and a twin cannot be told apart."""

    words: tuple[str, str]
    joined: bool


def two_words(text: str) -> TwoWords | None:
    """ "Oscar and Lily", "Mia, Mimi": the two words as typed, or None for anything else."""
    match = _TWO_WORDS.fullmatch(" ".join(text.split()).strip(" .!"))
    if match is None:
        return None
    words = (match["first"], match["second"])
    if any(w.lower() in WORDS.not_a_name or w.lower() in WORDS.not_name_openers for w in words):
        return None  # "yes and no", "hi and thanks": no names, read as the message they are
    return TwoWords(words, joined=bool(match["and"] or match["amp"]))


def without_months_as_names(text: str) -> str:
    """ "April and May" -> "and": months that are names too left out before the words are read for a subject
    of the guidance (its text says "may")."""
    return " ".join(w for w in text.split() if w.strip(",.!&").lower() not in WORDS.months_as_names)


def _as_a_name(word: str) -> str | None:
    """A word as a child's name (as read_name reads it); None for "me", "mum", "dad", "baby"."""
    lower = word.lower()
    return None if lower in WORDS.not_a_childs_name or lower in RELATIONS else read_name(word)


async def _two_named(turn: Turn, first: str, second: str) -> Outcome:
    """ "Oscar and Lily": the first now (asked about first if a child has that name here), the second after."""
    lead = (
        f"Lovely names! {esc(first)} first; once we're done, send /addchild for {esc(second)} (I'll notice "
        "if they share a birthday).\n\n"
    )
    if await _has_child_called(turn, first):  # "Oscar and Lily" with an Oscar here: that asked first
        await turn.goto(Step.SAME_NAME, replace(turn.data, name=first, next_name=second))
        return ask_same_name(turn, lead)
    await turn.goto(Step.BIRTHDATE, replace(turn.data, name=first, next_name=second))
    return ask_birthdate(turn, lead)


def names_child(turn: Turn, introduced: Introduced) -> bool:
    """Whether "my son ___" gives the name: typed with its capital ("my son Will", "this is May"), or in lower
    case a word that neither describes ("shy", "colicky") nor is a subject the guidance knows ("nursery",
    "sleep"): "she is mia", not "my son is shy" (a question, answered before the name is asked again)."""
    if introduced.capitalised:
        return True
    if introduced.describes:
        return False
    query = index_for(turn.env.library).analyse(introduced.words)
    # "my son teddy", "our daughter poppy": a name, even where the guidance has the word
    if introduced.pet_form:
        return not query.out_of_scope
    return not (query.topical or query.out_of_scope)


# Ways out at the name question that are names too: said how to give them as the name.
NAME_LIKE_SKIPS = frozenset({"skip"})


async def skip_name(turn: Turn, said: str = "") -> Outcome:
    """No name given: "Baby" for now, which a parent can change in /children. "Skip" is a name too: how to
    give it as one is said."""
    word = normal_words(said)
    also = (
        f" If your child really is called {esc(word.capitalize())}, send <i>their name is "
        f"{esc(word.capitalize())}</i>."
        if word in NAME_LIKE_SKIPS
        else ""
    )
    lead = f"{SKIPPED_NAME}{also}\n\n"
    return await _named(turn, NO_NAME, lead)


# The name a child gets when the name question is skipped.
NO_NAME = "Baby"
SKIPPED_NAME = (
    f"No problem: I'll call your child <b>{NO_NAME}</b> for now. To change the name any time, send /children "
    "and tap ✏️ Rename."
)
# Said at the name question when the name is not decided: the question skipped, never a name.
NO_NAME_YET = WORDS.no_name_yet
_NOT_NAMED_YET = re.compile(
    rf"^(?:(?:we|i)\s+)?(?:{alternatives(WORDS.not_named_yet_before)})\s+"
    rf"(?:yet\s+)?(?:{alternatives(WORDS.not_named_yet_verbs)})\b"
)


def no_name_yet(text: str) -> bool:
    """ "Not sure yet", "we haven't picked one yet", "still deciding": no name to give yet (never a name)."""
    said = normal_words(text)
    return not text.rstrip().endswith("?") and (said in NO_NAME_YET or _NOT_NAMED_YET.match(said) is not None)


def name_at_offer(turn: Turn, text: str) -> str | None:
    """A name typed at "We were adding Baby... Carry on?": "her name is Noah" for any child held, and a name
    alone ("Noah") where the name was skipped; None for anything else (a question, a word, a date)."""
    said = said_name(text)
    if said is not None and not text.rstrip().endswith("?"):
        return read_name(text)
    if turn.data.name != NO_NAME or is_question(text) or says_when(text, turn.today):
        return None  # a name alone only where none was given, and not a word the guidance knows ("sleep")
    if any(ch.isdigit() for ch in text) or len(normal_words(text).split()) > 3:
        return None
    return read_name(text)


async def _named(turn: Turn, name: str, lead: str = "") -> Outcome:
    await turn.goto(Step.BIRTHDATE, replace(turn.data, name=name))
    return ask_birthdate(turn, lead)


def ask_same_name(turn: Turn, lead: str = "") -> Outcome:
    name = turn.data.name or ""
    buttons = (
        (choice(Step.SAME_NAME, "yes", f"Yes, add another {name}"),),
        (choice(Step.SAME_NAME, "no", "Use a different name"),),
    )
    text = f"You already have a child called {esc(name)} here. Add another {esc(name)}?"
    return Outcome([Reply(lead + text, buttons)])


async def on_same_name(turn: Turn, text: str) -> Outcome:
    """The check for a second child with a name already in the list; typing a name instead uses it."""
    answer = normal_words(text)
    name = turn.data.name
    if answer in YES and name is not None:
        return await _named(turn, name)
    if answer in NO:
        await turn.goto(Step.NAME, replace(turn.data, name=None))
        return say("Which name should I use? A nickname or an initial is fine.")
    return await on_name(turn, text)


def renaming(turn: Turn, text: str) -> NameSaid | None:
    """The new name in "actually her name is Lily", typed at a later question about a child not yet saved:
    only a message opening with a correction, or one that is the naming (with perhaps a date after it, "she's
    called Mia and she was born on 15 March"), not a name in passing ("...we call her Bub when she's grumpy")."""
    if turn.data.mode is Mode.EDIT or text.rstrip().endswith("?"):
        return None
    said = name_said(text)
    if said is None or read_name(said.name) is None or says_when(said.name, turn.today):
        return None  # "it's 15 March 2026": the date, not a name
    if said.correction or (said.whole and (not said.rest or reads_as_date(said.rest, turn.today))):
        return said
    return None


async def _renamed(turn: Turn, said: NameSaid) -> Outcome:
    """The name put right, then the question the parent was at asked again with it; at the birthdate
    question, a date said after the name is taken as its answer."""
    name = read_name(said.name) or said.name
    await turn.goto(turn.step or Step.BIRTHDATE, replace(turn.data, name=name))
    lead = f"Got it, {esc(name)} it is.\n\n"
    if turn.step is Step.EARLY:
        return await ask_early(turn, lead)
    if said.rest and reads_as_date(said.rest, turn.today):
        return led(lead, await on_birthdate(turn, said.rest))
    return ask_birthdate(turn, lead)


def led(lead: str, outcome: Outcome) -> Outcome:
    """The outcome with ``lead`` said first, in its first reply."""
    first, *others = outcome.replies
    return replace(outcome, replies=[replace(first, text=lead + first.text), *others])


# "Umm like 20th sept i think": the hedges around a date dropped, before it is read.
_HEDGES = alternatives(WORDS.date_hedges, any_space=True)
_HEDGED = re.compile(rf"^(?:(?:{_HEDGES})\b[\s,.]*)+|(?:[\s,.-]*\b(?:{_HEDGES}))+[\s.!?]*$", re.I)


def without_hedges(text: str) -> str:
    """ "umm like 20th sept i think" -> "20th sept"; the text as it was when nothing else is left."""
    return _HEDGED.sub("", text.strip()).strip() or text


async def on_birthdate(turn: Turn, text: str, *, changing: date | None = None) -> Outcome:
    """The birthdate typed; ``changing`` (the birthdate given before, when typed again at a later question)
    has even a plain date offered back to confirm, with a button to keep the one before."""
    typed, text = text, without_hedges(text)
    sibling = await same_day_as(turn, text) if changing is None else None
    new_name = renaming(turn, text) if changing is None and sibling is None else None
    if new_name is not None:
        return await _renamed(turn, new_name)
    name = turn.data.name or "your child"

    def check(d: date) -> str | None:
        validate_birthdate(d, turn.today)
        if is_past_36_months(d, turn.today):
            return (
                f"{esc(name)} is past 36 months, and my tips are written for children from birth to "
                f"three, so I wouldn't have much to offer. Thank you for thinking of me! If the date has a "
                f"typo, just send it again; or say <i>never mind</i> to leave it here."
            )
        return None

    if sibling is not None:  # "same day as Mia"
        who = same_day_said(text) or ""
        named = any(normal_words(c.name) == who for c in sibling)
        plain = not who or _SIBLING_OWNERS.sub("", who) in SIBLING_WORDS
        unknown = "" if named or plain else " ".join(w.capitalize() for w in who.split())
        return await _same_day(turn, sibling, check, unknown)
    age = said_age(text[:64], turn.today)
    if age is not None:  # "he's 4 months old": the birthdate that makes, to confirm
        return await _offer_estimate(
            turn, age.birthdate, check, Step.BIRTHDATE_PICK, "birthdate", exact=age.exact, changing=changing
        )
    if _day_unsure(turn) and day_of_month(text[:64]) == (turn.today + timedelta(days=1)).day:
        # Before the time zone is known, "the 30th" may be today where the parent is (tomorrow by the
        # server's clock): not read as a month back, the full date asked for instead.
        return _problem(turn, f"Just to be sure of the month, please send the full date, {EXAMPLES}.")
    day = relative_date(text[:64], turn.today)
    if day is not None:  # "last Tuesday", "on the 3rd": the day that is, to confirm
        return await _offer_estimate(
            turn, day, check, Step.BIRTHDATE_PICK, "birthdate", exact=True, changing=changing
        )
    if changing is None:
        return await _read_date(turn, text, Step.BIRTHDATE_PICK, check, _birthdate_known, typed=typed)

    async def offer(turn: Turn, birthdate: date) -> Outcome:
        return await _offer_estimate(
            turn, birthdate, check, Step.BIRTHDATE_PICK, "birthdate", exact=True, changing=changing
        )

    return await _read_date(turn, text, Step.BIRTHDATE_PICK, check, offer, typed=typed)


def same_day_said(text: str) -> str | None:
    """Who a birthdate typed as "same day as Mia", "same birthday" or "same as her sister" points to: the
    name or sibling word said ("" when none is); None when the message is not put so."""
    said = _SAID_BEFORE.sub("", normal_words(text).replace(",", " "))
    said = " ".join(said.split())
    if said in SAME_DAY_ALONE:
        return ""
    opener = next((o for o in sorted(SAME_DAY_AS, key=len, reverse=True) if said.startswith(o + " ")), None)
    if opener is None:
        return None
    return said[len(opener) :].strip().removesuffix("'s").removesuffix("s'")


async def same_day_as(turn: Turn, text: str) -> list[Child] | None:
    """The parent's own children (never this one) a birthdate typed as a sibling's points to: the one named,
    or all of them when none is; None when the message is not put so, or names no child of theirs."""
    who = same_day_said(text)
    if who is None:
        return None
    others = [c for c in await turn.children() if c.id != turn.data.child_id]
    named = [c for c in others if who and normal_words(c.name) == who]
    if named:
        return named
    return others or None


async def _same_day(turn: Turn, siblings: list[Child], check: Check, unknown: str = "") -> Outcome:
    """A birthdate given as a sibling's: that day, said back with the sibling's name; with brothers and
    sisters born on different days, which one is asked; so too when ``unknown`` (a name said that is none of
    theirs: "same day as Mia" after Mia became Mila) was said."""
    by_day: dict[date, list[str]] = {}
    for c in sorted(siblings, key=lambda c: (c.birthdate, c.id)):
        by_day.setdefault(c.birthdate, []).append(c.name)
    if len(by_day) > 1 or unknown:  # born on different days, or a name said that is not theirs: which?
        await turn.goto(Step.BIRTHDATE_PICK, replace(turn.data, candidates=tuple(by_day)))
        buttons = tuple(
            (choice(Step.BIRTHDATE_PICK, day.isoformat(), f"{' & '.join(names)}: {day_date(day)}"[:64]),)
            for day, names in by_day.items()
        )
        neither = ways.row(Step.BIRTHDATE_PICK, StepWord.BACK, "Neither: I'll type it")
        lead = f"I don't have a child called {esc(unknown)} here. " if unknown else ""
        return Outcome([Reply(f"{lead}The same day as which of them?", (*buttons, neither))])
    day, names = next(iter(by_day.items()))
    problem = _date_problem(check, day)
    if problem is not None:
        return _problem(turn, problem)
    name = esc(turn.data.name or "your child")
    await turn.goto(Step.EARLY, replace(turn.data, candidates=(), birthdate=day, refused=False))
    said = f"<b>{WEEKDAY_NAMES[day.weekday()]} {day_date(day)}</b>"
    lead = (
        f"Got it: {said}. If not, just type the date.\n\n"  # the question says whose day it is
        if await _twin(turn) is not None
        else f"Got it: {name}'s birthdate is {said}, the same as {' and '.join(esc(n) for n in names)}'s. If "
        "not, just type the date.\n\n"
    )
    return await ask_early(turn, lead)


def _date_problem(check: Check, day: date) -> str | None:
    """What is wrong with ``day`` for this step, as HTML for the parent (a check may say or raise it), or None."""
    try:
        return check(day)
    except DateProblem as exc:
        return esc(str(exc))


def _day_unsure(turn: Turn) -> bool:
    """First setup, before the time zone question: "today" is the server's, which may be a day behind or
    ahead of the parent's."""
    return turn.data.mode is Mode.FIRST and turn.parent.time_zone == turn.env.default_time_zone


async def _offer_estimate(
    turn: Turn,
    estimate: date,
    check: Check,
    pick: Step,
    what: str,
    *,
    exact: bool = False,
    changing: date | None = None,
) -> Outcome:
    """A date worked out from what the parent said (an age, how early, "last Tuesday"), offered with a button
    to confirm: said in full, so a misreading shows and can be put right by typing the date. ``changing``:
    the date it would replace, kept with a button."""
    problem = _date_problem(check, estimate)
    if problem is not None:
        return _problem(turn, problem)
    await turn.goto(pick, replace(turn.data, candidates=(estimate,)))
    name = esc(turn.data.name or "your child")
    if exact:
        text = (
            f"Thank you! So {name}'s {what} is <b>{WEEKDAY_NAMES[estimate.weekday()]} "
            f"{day_date(estimate)}</b>? If I got it wrong, just type the date."
        )
    else:
        text = (
            f"Thank you! That puts {name}'s {what} at about <b>{day_date(estimate)}</b>. Shall I use it? A "
            "close guess is fine, or type the date if you know it."
        )
    use = (choice(pick, estimate.isoformat(), f"Yes, use {day_date(estimate)}"),)
    if changing is not None:
        text = (
            f"Change {name}'s {what} from {day_date(changing)} to <b>{WEEKDAY_NAMES[estimate.weekday()]} "
            f"{day_date(estimate)}</b>?"
        )
        return Outcome([Reply(text, (use, (choice(pick, KEEP, f"No, keep {day_date(changing)}"),)))])
    if exact:  # a day worked out from "last Tuesday" or "the 3rd": a way to say it is not that one
        return Outcome([Reply(text, (use, (choice(pick, RETYPE, "No, I'll type it"),)))])
    return Outcome([Reply(text, (use,))])


# The buttons under a date offered back: keep the birthdate given before, or type the date instead.
KEEP = "keep"
RETYPE = "retype"


async def on_birthdate_pick(turn: Turn, value: str) -> Outcome:
    candidates = turn.data.candidates
    if len(candidates) == 1 and said_yes(value):
        return await _birthdate_known(turn, candidates[0])  # "yes" to the one date offered
    before = turn.data.birthdate
    said_no = normal_words(value) in NO
    if before is not None and (value == KEEP or said_no):  # second thoughts taken back: as it was
        await turn.goto(Step.EARLY, replace(turn.data, candidates=()))
        name = esc(turn.data.name or "your child")
        return await ask_early(turn, f"OK, {name}'s birthdate stays <b>{day_date(before)}</b>.\n\n")
    if value in (KEEP, RETYPE) or said_no:  # not the day offered: the question again
        await turn.goto(Step.BIRTHDATE, replace(turn.data, candidates=()))
        return ask_birthdate(turn, "No problem.\n")
    return await _pick(turn, value, _birthdate_known, on_birthdate)


async def on_due(turn: Turn, text: str) -> Outcome:
    if text == "skip":  # the Skip button (typed words for it are read before the step)
        return await skip_due(turn)
    birthdate = turn.data.birthdate
    if birthdate is None:  # only a flow stored by an older version could lack it
        return await _restart(turn)
    typed, text = text, without_hedges(text)  # "umm like 20th dec i think", "around 39 weeks i think"
    if born_at_term(_LEADING_NO.sub("", without_yes(text))[:64]):  # "40 weeks", "she was born at 39 weeks"
        return led(AT_TERM, await _complete(turn, None))
    check = _due_check(birthdate)
    due = said_due_date(text[:64], birthdate)
    if due is not None:  # "5 weeks early", "born at 34 weeks": the due date that makes, to confirm
        return await _offer_estimate(turn, due, check, Step.DUE_PICK, "due date")
    day = relative_date(text[:64], turn.today, after=birthdate)
    if day is not None:  # "on the 20th": the first 20th after the birth, to confirm
        return await _offer_estimate(turn, day, check, Step.DUE_PICK, "due date", exact=True)
    # A due date said without its year may still be to come: the first such day after the birth.
    return await _read_date(turn, text, Step.DUE_PICK, check, _complete, after=birthdate, typed=typed)


# "40 weeks" where how early was asked: a pregnancy at term, so no due date is needed.
AT_TERM = "That's full term, so I'll count from the birthdate.\n\n"


def _due_check(birthdate: date) -> Check:
    def check(d: date) -> str | None:
        validate_due_date(d, birthdate)
        return None

    return check


_LEADING_YES = re.compile(rf"^(?:{alternatives(WORDS.leading_yes)})\b[\s,.!;:-]*")
_LEADING_NO = re.compile(rf"^(?:{alternatives(WORDS.leading_no)})\b[\s,.!;:-]*")
_EARLY_BY = re.compile(
    r"^(?:(?:she|he|they|it) (?:was|were|came|arrived) )?(?:born )?(?:early )?by (?P<n>.+)$"
)
# With a figure: born after the due date ("3 weeks late", "overdue by 5 days"), so not early.
_LATE = re.compile(rf"\b(?:{alternatives(WORDS.late_words)})\b")


def how_early(text: str, birthdate: date | None) -> date | None:
    """The due date in "yes, 5 weeks early" or "born at 34 weeks", said at "Was Mia born early?"."""
    if birthdate is None:
        return None
    said = _LEADING_YES.sub("", " ".join(text.lower().replace("’", "'").split()))[:64]
    said = _LEADING_NO.sub("", said)  # "no, 3 weeks early": the weeks say it, whatever word came first
    said = _EARLY_BY.sub(r"\g<n> early", said)  # "early by 3 weeks", "yes by 3 weeks": "3 weeks early"
    if born_at_term(said):
        return None  # "40 weeks" is the length of the pregnancy, never 40 weeks early
    # Where "how early?" was asked, "7 weeks" alone says how early.
    return said_due_date(said, birthdate) or (
        said_due_date(f"{said.strip(' .!,;')} early", birthdate) if "early" not in said else None
    )


async def on_due_pick(turn: Turn, value: str) -> Outcome:
    candidates = turn.data.candidates
    if len(candidates) == 1 and said_yes(value):
        return await _complete(turn, candidates[0])  # "yes" to the one date offered
    if value == RETYPE or normal_words(value) in NO:  # not the day offered: the due date asked again
        await turn.goto(Step.DUE, replace(turn.data, candidates=()))
        return ask_due(turn, "No problem.\n")
    return await _pick(turn, value, _complete, on_due)


# A yes, where one was asked: these alone, or opening a short reply ("yes that's right", "ok let's go").
YES_WORDS = YES | WORDS.carry_on_openers
# In a reply opening with a yes, a word that takes it back or puts it off ("yeah no", "yes but not now").
_BUT = WORDS.not_yes_words
_MOST_YES_WORDS = 5


def said_yes(text: str) -> bool:
    """ "Yes", "ok", or a short reply opening so ("yes that's right", "yep that's it"), to the one date offered
    or at "Carry on?". Not with a but, a date, or a question in it ("yeah no", "yes it's 15 March 2026", "yes
    but first is it normal she cries?"): those say more than yes, and are read for it."""
    said = normal_words(text)
    if said in YES_WORDS:
        return True
    words = said.replace(",", " ").split()
    return (
        bool(words)
        and words[0] in YES_WORDS
        and len(words) <= _MOST_YES_WORDS
        and not any(w in _BUT for w in words)
        and not any(ch.isdigit() for ch in said)
        and not text.rstrip().endswith("?")
    )


async def on_early(turn: Turn, text: str) -> Outcome:
    new_name = renaming(turn, text)
    if new_name is not None:
        return await _renamed(turn, new_name)
    text = without_hedges(text)  # "about 40 weeks", "around 5 weeks early i think"
    answer = normal_words(text)
    if answer in ANOTHER_DUE_DATE:
        await turn.goto(Step.DUE, turn.data)
        return ask_due(turn)
    if answer in SAME_AS_TWIN or answer.startswith("same as ") or answer in YES:
        twin = await _twin(turn)  # asked "Is Ben's due date the same too?", a yes means the same
        if twin is not None:
            return await _complete(turn, twin.due_date)
    if answer in YES:
        await turn.goto(Step.DUE, turn.data)
        return ask_due(turn)
    if answer in NO or said_not_early(answer):  # "no he wasn't early", "she was on time", "a week late"
        if answer not in NO and not said_on_time(answer) and await _twin(turn) is not None:
            await turn.goto(Step.DUE, turn.data)  # "no, not the same" to "Is Leo's due date the same too?"
            return ask_due(turn)
        return await _complete(turn, None)
    if said_early(answer):  # "yes she was", "yeah a little early": how early, asked next
        await turn.goto(Step.DUE, turn.data)
        return ask_due(turn)
    birthdate = turn.data.birthdate
    due = how_early(text, birthdate)
    if due is not None and birthdate is not None:  # "yes, 5 weeks early": the due date that makes, to confirm
        await turn.goto(Step.DUE, turn.data)
        return await _offer_estimate(turn, due, _due_check(birthdate), Step.DUE_PICK, "due date")
    if birthdate is not None:
        dues = due_dates_said(text, turn.today, birthdate, twin=await _twin(turn) is not None)
        if dues:  # "due 20 March", "yes, 20 March", a date after the birth: the due date, to confirm
            await turn.goto(Step.DUE, turn.data)
            if len(dues) == 1:
                return await _offer_estimate(
                    turn, dues[0], _due_check(birthdate), Step.DUE_PICK, "due date", exact=True
                )
            await turn.goto(Step.DUE_PICK, replace(turn.data, candidates=dues))
            return ask_date_pick(turn)
    if said_birthdate(text, turn.today):  # "actually it's the 14th": second thoughts about the birthdate
        return await _second_thoughts(turn, text)
    tap = "one of these" if await _twin(turn) is not None else "Yes or No"
    return await ask_early(
        turn, f"Please tap {tap}, or tell me how early (for example <i>5 weeks early</i>).\n\n"
    )


# At "Was Mia born early?": said in a sentence. A "no" or "yes" opening one, and phrases that say on time.
NO_OPENERS = WORDS.early_no_openers
YES_OPENERS = WORDS.early_yes_openers
ON_TIME = WORDS.on_time
EARLY_WORDS = WORDS.early_words


def said_not_early(answer: str) -> bool:
    """ "No, he wasn't early", "she was on time", "a week late": not born early (no figures: "no, 3 weeks
    early" is read for how early)."""
    if born_at_term(_LEADING_NO.sub("", _LEADING_YES.sub("", answer))):
        return True  # "no, she was born at 39 weeks", "no, 40 weeks": at term, so on time
    if any(ch.isdigit() for ch in answer):
        return _LATE.search(answer) is not None and "early" not in answer
    words = answer.replace(",", " ").split()
    if said_on_time(answer):
        return True
    return bool(words) and words[0] in NO_OPENERS and not any(w in EARLY_WORDS for w in words[1:])


def said_on_time(answer: str) -> bool:
    """ "On time", "full term", "not early", "a week late": said in so many words."""
    padded = f" {' '.join(answer.replace(',', ' ').split())} "
    return any(f" {phrase} " in padded for phrase in ON_TIME)


def said_early(answer: str) -> bool:
    """ "Yes she was", "yeah a little early", "she was early": born early, how early still to ask."""
    if any(ch.isdigit() for ch in answer):
        return False
    words = answer.replace(",", " ").split()
    if not words or words[0] not in YES_OPENERS or "not" in words or any(w.endswith("n't") for w in words):
        return False
    return words[0] not in ("she", "he", "they") or any(w in EARLY_WORDS for w in words)


def without_yes(text: str) -> str:
    return _LEADING_YES.sub("", " ".join(text.lower().replace("’", "'").split()))


def due_dates_said(text: str, today: date, birthdate: date, *, twin: bool = False) -> tuple[date, ...]:
    """The due date(s) a date typed at "born early?" means, or none when it is the birthdate put right.

    It is the due date when it says so ("due 20 March"), follows a yes ("yes, 20 March"), or falls after the
    birth as a due date can; at "Is Mia's due date the same too?" any date is the due date. Read with the
    birth as the starting point, so a due date without its year is the one after the birth, not a year back.
    """
    said = without_yes(text)[:64]
    meant = twin or says_due(said) or said != " ".join(text.lower().replace("’", "'").split())
    check = _due_check(birthdate)

    def fits(d: date) -> bool:
        try:
            return check(d) is None
        except DateProblem:
            return False

    day = relative_date(said, today, after=birthdate)
    if day is not None:
        readings: tuple[date, ...] = (day,)
    else:
        try:
            readings = parse_date(said, today, after=birthdate).candidates
        except DateProblem:
            return ()
    fitting = tuple(d for d in readings if fits(d))
    if meant and not fitting:
        return readings[:1]  # said to be the due date but cannot be: explained at the due date
    return fitting


async def _second_thoughts(turn: Turn, text: str) -> Outcome:
    """A birthdate typed at a later question: offered back to confirm (never changed silently), with a button
    to keep the one given before."""
    before = turn.data.birthdate
    await turn.goto(Step.BIRTHDATE, replace(turn.data, candidates=()))
    asked = await on_birthdate(turn, text, changing=before)
    if before is None or turn.step is not Step.BIRTHDATE_PICK or len(turn.data.candidates) < 2:
        return asked
    keep = (choice(Step.BIRTHDATE_PICK, KEEP, f"No, keep {day_date(before)}"),)
    first = asked.replies[0]
    return Outcome([Reply(first.text, (*first.buttons, keep)), *asked.replies[1:]])


def said_birthdate(text: str, today: date) -> bool:
    """A date typed where something else was asked about the child: the birthdate put right. (Not an age:
    "6 weeks" at "was she born early?" says how early; nor a due date: "due 20 March".)"""
    return not says_due(text) and reads_as_date(text, today)


async def another_due_date(turn: Turn) -> Outcome | None:
    """ "No" at "Is Leo's due date the same too?": another due date, not "not born early"; None without a twin."""
    if await _twin(turn) is None:
        return None
    await turn.goto(Step.DUE, turn.data)
    return ask_due(turn)


async def _twin(turn: Turn) -> Child | None:
    """A brother or sister in the list born the same day, with a due date: a twin's is the same."""
    birthdate = turn.data.birthdate
    return next(
        (
            c
            for c in await turn.children()
            if c.birthdate == birthdate and c.due_date is not None and c.id != turn.data.child_id
        ),
        None,
    )


async def ask_early(turn: Turn, lead: str = "") -> Outcome:
    name = esc(turn.data.name or "your child")
    twin = await _twin(turn)
    if twin is not None and twin.due_date is not None:
        same = f"Same as {twin.name} ({day_date(twin.due_date)})"
        buttons = (
            (choice(Step.EARLY, "twin", same),),
            (choice(Step.EARLY, "other", "Another due date"), choice(Step.EARLY, "no", "Not born early")),
        )
        text = (
            f"{name} was born the same day as {esc(twin.name)}. Is {name}'s due date the same too? "
            "I count the age from the due date (the corrected age) for babies born early."
        )
        return Outcome([Reply(lead + text, buttons)])
    plain = ((choice(Step.EARLY, "yes", "Yes, born early"), choice(Step.EARLY, "no", "No")),)
    text = (
        f"Was {name} born early, before the due date? If so, I count the age from the due date "
        "(the corrected age), as doctors do for babies born early."
    )
    return Outcome([Reply(lead + text, plain)])


def ask_due(turn: Turn, lead: str = "") -> Outcome:
    buttons = ((choice(Step.DUE, "skip", "Skip: no due date"),),)
    text = (
        f"What was the due date? Write it {EXAMPLES}, or say how early (like <i>5 weeks early</i>). Not sure? "
        "Tap Skip, and I'll use the birthdate."
    )
    return Outcome([Reply(lead + text, buttons)])


async def skip_due(turn: Turn) -> Outcome:
    """No due date: the child is saved with the birthdate alone, said so with where to add one later."""
    return await _complete(turn, None, due_left_out=True)


def ask_date_pick(turn: Turn, lead: str = "") -> Outcome:
    """The "which date do you mean" buttons again, for the step the parent is at."""
    step = turn.step or Step.BIRTHDATE_PICK
    buttons = tuple((choice(step, d.isoformat(), day_date(d)),) for d in turn.data.candidates)
    neither = ways.row(step, StepWord.BACK, "Neither: I'll type it again")
    return Outcome([Reply(lead + "Just to be sure, which date do you mean?", (*buttons, neither))])


Check = Callable[[date], "str | None"]
Known = Callable[[Turn, date], Awaitable[Outcome]]


def _problem(turn: Turn, problem: str) -> Outcome:
    """A date that cannot be right, said with the buttons of the question it answered: the way out stays."""
    step = turn.step
    if step is Step.DUE:
        asked = ask_due(turn)
    elif step in (Step.BIRTHDATE_PICK, Step.DUE_PICK) and turn.data.candidates:
        asked = ask_date_pick(turn)
    else:
        asked = ask_birthdate(turn)
    return Outcome([Reply(problem, asked.replies[0].buttons)])


async def _read_date(
    turn: Turn,
    text: str,
    pick_step: Step,
    check: Check,
    known: Known,
    *,
    after: date | None = None,
    typed: str | None = None,
) -> Outcome:
    """Parse a typed date; every reading that passes ``check`` is a candidate; two candidates -> ask.
    ``typed``: the message as the parent typed it (``text`` without its hedges), quoted in a problem."""
    try:
        parsed = parse_date(text[:64], turn.today, after=after)
    except DateProblem as exc:
        said = str(exc)
        if typed is not None:  # "umm like 20th smarch i think" quoted as typed, not as read
            said = said.replace(f"“{text[:64].strip()}”", f"“{typed[:64].strip()}”")
        renaming = pick_step is Step.BIRTHDATE_PICK and turn.data.mode is not Mode.EDIT
        if renaming and not any(c.isdigit() for c in text):  # perhaps a name put right: say how
            return _problem(turn, f"{esc(said)} To change the name instead, say <i>back</i>.")
        return _problem(turn, esc(said))
    valid: list[date] = []
    problems: list[str] = []
    for candidate in parsed.candidates:
        problem = _date_problem(check, candidate)
        if problem is None:
            valid.append(candidate)
        else:
            problems.append(problem)
    if not valid:
        return _problem(turn, problems[0])
    if len(valid) == 1:
        return await known(turn, valid[0])
    await turn.goto(pick_step, replace(turn.data, candidates=tuple(valid)))
    return ask_date_pick(turn)


async def _pick(
    turn: Turn, value: str, known: Known, retype: Callable[[Turn, str], Awaitable[Outcome]]
) -> Outcome:
    """A button from the "which date" question; typed text instead is read as a fresh date."""
    picked = next((d for d in turn.data.candidates if d.isoformat() == value), None)
    if picked is not None:
        return await known(turn, picked)
    return await retype(turn, value)


async def _birthdate_known(turn: Turn, birthdate: date) -> Outcome:
    """On to "born early?"; a birthdate typed again over an earlier one (second thoughts, or "back") says
    what it is now, so the change is seen."""
    before = turn.data.birthdate
    await turn.goto(Step.EARLY, replace(turn.data, candidates=(), birthdate=birthdate, refused=False))
    if before is None or before == birthdate:
        return await ask_early(turn)
    name = esc(turn.data.name or "your child")
    return await ask_early(turn, f"OK, {name}'s birthdate is now <b>{day_date(birthdate)}</b>.\n\n")


async def _complete(turn: Turn, due_date: date | None, *, due_left_out: bool = False) -> Outcome:
    data = turn.data
    birthdate = data.birthdate
    if birthdate is None or data.name is None:  # only a flow stored by an older version could lack them
        return await _restart(turn)
    if data.mode is Mode.EDIT:
        child = await turn.child(data.child_id)
        await turn.goto(None)
        if child is None:
            return say("That child is no longer in your list. Send /children to see it.")
        await families.update_child(
            turn.s, child, birthdate=birthdate, due_date=due_date, clear_due_date=due_date is None
        )
        age = age_on(birthdate, turn.today, due_date)
        early = " (corrected for being born early)" if age.corrected else ""
        corrected = f" ({age_note(age)})" if age.by_birth else early
        saved = f"Saved. {esc(child.name)} is {describe_age(age)} old{corrected}."
        if data.then is Step.TZ:  # put right during setup: on where the parent was
            await reschedule(turn.s, turn.parent, turn.now)
            return await setup_steps.back_to_setup(turn, child.id, f"{saved}\n\n")
        return say(saved)
    try:
        child = await families.add_child(
            turn.s, turn.parent, name=data.name, birthdate=birthdate, due_date=due_date
        )
    except families.TooManyChildren:  # a child shared with them while they were typing
        await turn.goto(None)
        return say(TOO_MANY_CHILDREN)
    # Scheduled right away with the defaults, so a parent who leaves the remaining questions still gets tips.
    await reschedule(turn.s, turn.parent, turn.now)
    dates = (
        DUE_LEFT_OUT.format(born=day_date(birthdate)) if due_left_out else _dates_read(birthdate, due_date)
    )
    # "Oscar and Lily", then "Use a different name" and Lily: no reminder to add the child just added.
    next_name = data.next_name if (data.next_name or "").casefold() != child.name.casefold() else None
    if data.mode is Mode.FIRST:
        await turn.goto(
            Step.TZ, FlowData(mode=Mode.FIRST, child_id=child.id, zone=data.zone, next_name=next_name)
        )
        return setup_steps.ask_tz(turn, f"Thank you! {esc(child.name)} is all set. {dates}\n\n")
    await turn.goto(None)
    added = setup_steps.ready(turn, child, f"{esc(child.name)} is added! {dates}")
    return setup_steps.remind_next(added, next_name)


# The due date skipped: never left out without a word, and where to add it later.
DUE_LEFT_OUT = (
    "Born {born}. I've left the due date out for now, so I'll go by the birthdate "
    "(to add it later, or change anything: /children)."
)


def _dates_read(birthdate: date, due_date: date | None) -> str:
    """The dates as read, said back once, so a date misread shows (and /children puts it right)."""
    due = f", due {day_date(due_date)}" if due_date is not None else ""
    return f"Born {day_date(birthdate)}{due} (to change it: /children)."
