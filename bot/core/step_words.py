"""What a parent types instead of the answer a step asked for: a way out ("skip", "back", "cancel"), a name
said in a sentence ("her name is Mia"), or a question ("what's normal at 10 months?").

Plain functions on text, so each step can decide what the words mean there. They err on the side of taking a
message as the answer: a real name ("Mia", "Jo-Ann", "Noah James", "Will") is never a question here.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

from bot.core.age_phrases import find_age
from content.conversation import alternatives, conversation_words

# The word lists kept as data in content/conversation.yaml (checked on load: a typo fails at start-up).
WORDS = conversation_words()


class StepWord(StrEnum):
    """A way out of a step, said in words. ``FIX`` says the last answer was wrong ("I made a mistake", "wrong
    date"): mostly a step back, but where the question already is the correction it is simply asked again."""

    SKIP = "skip"
    BACK = "back"
    FIX = "fix"
    CANCEL = "cancel"


_WORDS: dict[StepWord, frozenset[str]] = {
    StepWord.SKIP: WORDS.skip_words,
    StepWord.BACK: WORDS.back_words,
    StepWord.FIX: WORDS.fix_words,
    StepWord.CANCEL: WORDS.cancel_words,
}
# Skip words that mean "skip" anywhere; the others ("no", "not sure") are answers only where a step asked.
_PLAIN_SKIP = WORDS.plain_skip
# Skip words that put the question off rather than turn it down: where a step cannot be skipped (a birthdate),
# they mean its "Not now".
_LATER = WORDS.later_words
# Cancel words that, with nothing in progress, may be about the tips themselves.
_STOPPING = WORDS.stopping_words


def _phrases(text: str) -> frozenset[str]:
    return frozenset(phrase.strip() for phrase in text.split("|"))


# Words that open a question even in a two-word message ("what's normal", "how come").
_OPENERS_STRONG = _phrases(
    "what|what's|whats|how|how's|hows|why|is|isn't|does|doesn't|should|shouldn't|are|aren't|help|tips|"
    "advice|normal|hi|hello|hey"
)
# Words that open a question only in a longer message: "Will" and "Baby" are names on their own.
_OPENERS_WEAK = _phrases(
    "my|our|she|she's|he|he's|they|they're|i|i'm|im|we|we're|when|where|which|who|will|do|don't|can|"
    "can't|could|would|am|baby|babies|toddler|any|tell|it|it's|her|his|their|please"
)
# With an age named ("my 8 month old cries"), one of these makes it a sentence about a child.
_VERBS = _phrases(
    "is|are|was|does|do|did|has|have|had|can|will|should|won't|wont|can't|cant|doesn't|keeps|cries|cry|"
    "crying|sleeps|sleep|wakes|eats|talks|walks|says|hits|bites|clings|screams|needs|wants|gets|seems|"
    "started|stopped|refuses|help|normal|typical"
)
_WORD = re.compile(r"[a-z0-9]+(?:['/-][a-z0-9]+)*")
_KIN = (
    r"(?:baby|son|daughter|child|kid|grandson|granddaughter|grandchild|grandbaby|nephew|niece|little\s+one|"
    r"(?:little\s+|baby\s+)?(?:boy|girl))"
)
_SAID_NAME = re.compile(
    r"^(?:(?:her|his|their|(?:my|our)\s+" + _KIN + r"'?s?|the\s+baby'?s?|baby'?s?)\s+name"
    r"(?:\s+is|'s|\s*:)"
    r"|(?:my|our)\s+" + _KIN + r"(?:\s+is|'s)\s+(?:called|named)"
    r"|(?:she|he|they)(?:\s+is|'s|\s+are|'re)\s+called"
    r"|(?:we|i)\s+call\s+(?:her|him|them)"
    r"|call\s+(?:her|him|them)"
    r"|name\s*(?:is|:)"
    r"|it'?s)\s+(?P<name>\S.*)$",
    re.IGNORECASE,
)


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).strip(" .!,;")


def normal_words(text: str) -> str:
    """The message as the word lists compare it: lower case, one space, no end punctuation."""
    return _normal(text)


# Said around a way out without changing it: "oops, wrong date", "sorry, cancel", "no wait, go back please".
_AROUND = re.compile(
    r"^(?:(?:oh|ah|oops|whoops|sorry|wait|hang on|hmm|um|no|ok|okay|actually)\s+)+|(?:\s+(?:sorry|please|thanks))+$"
)
_INNER_STOPS = re.compile(r"[,;:!.]+")


def step_word(text: str) -> StepWord | None:
    """ "Skip", "not sure", "go back", "never mind"...: which way out the whole message asks for, if any."""
    said = _normal(text)
    word = next((word for word, phrases in _WORDS.items() if said in phrases), None)
    if word is not None:
        return word
    bare = _AROUND.sub("", " ".join(_INNER_STOPS.sub(" ", said).split()))
    if not bare or bare == said:
        return None
    return next((word for word, phrases in _WORDS.items() if bare in phrases), None)


class Chat(StrEnum):
    """A few words of conversation where a step asked for something else: said back, then the step again."""

    HELLO = "hello"
    THANKS = "thanks"
    OK = "ok"


_CHAT: dict[Chat, frozenset[str]] = {
    Chat.HELLO: _phrases(
        "hi|hello|hey|hiya|hi there|hello there|hey there|good morning|good evening|morning"
    ),
    # Not "ty" or "ta": a child may be called Ty, and the name question reads these before the name.
    Chat.THANKS: _phrases("thanks|thank you|thank you so much|thanks a lot|many thanks|thx|cheers"),
    Chat.OK: _phrases("ok|okay|ok then|okay then|alright|all right|yes|yep|yeah|sure|ok thanks|okay thanks"),
}


def chat_word(text: str) -> Chat | None:
    """ "Hello", "thanks", "ok": conversation, not an answer to a name, date or time zone. An emoji alone is
    read by ``bot.core.emoji.feeling``, once, where the step decides."""
    said = _normal(text)
    return next((chat for chat, phrases in _CHAT.items() if said in phrases), None)


def escape_word(text: str) -> StepWord | None:
    """A way out said with no step to leave: cancel, back, fix, and an explicit "skip" (not "no" or "not sure",
    which are ordinary replies then)."""
    word = step_word(text)
    if word is StepWord.SKIP and _normal(text) not in _PLAIN_SKIP:
        return None
    return word


# The first clause of a message and the rest after its punctuation ("hi, Mia", "not sure - about 3 weeks").
# A dash ends it only with a space before it: "bye-bye" and "hi-res" are one word.
_FIRST_CLAUSE = re.compile(r"^(?P<first>[^,;:.!?]+?)(?:[,;:.!?]+|\s+[-–]+)\s*(?P<rest>\S.*)$", re.S)


def first_clause(text: str) -> tuple[str, str] | None:
    """ "Hi, Mia" -> ("Hi", "Mia"): the words before the first punctuation, and the rest as typed; None when
    the message is one clause."""
    match = _FIRST_CLAUSE.match(text.strip())
    return None if match is None else (match["first"], match["rest"])


def unsure_first(text: str) -> tuple[str, str] | None:
    """ "Not sure, my daughter would know": the words saying the answer is not known, opening a longer
    message, and what follows them; None otherwise."""
    split = first_clause(text)
    unsure = _normal(split[0]) if split is not None else ""
    return (unsure, split[1]) if split is not None and unsure in WORDS.unsure_words else None


def is_later(text: str) -> bool:
    """ "Later", "I'll tell you later": the question put off, not turned down."""
    said = _normal(text)
    return said in _LATER or _AROUND.sub("", " ".join(_INNER_STOPS.sub(" ", said).split())) in _LATER


def is_stopping(text: str) -> bool:
    """ "Stop", "quit", "end": said with nothing in progress, perhaps about the tips."""
    return _normal(text) in _STOPPING


class NameSaid(NamedTuple):
    """A name said in a sentence: ``rest`` is what followed it ("she was born on 15 March"), ``whole`` says
    the message itself is the naming ("she's called Mia", not "I'm her gran, she's called Mia"), and
    ``correction`` that it opens with one ("actually", "sorry", "no", "oh")."""

    name: str
    rest: str
    whole: bool
    correction: bool


def said_name(text: str) -> str | None:
    """The name in "her name is Mia", "we call him Leo", "it's Noah"; None when the message is not put so."""
    said = name_said(text)
    return None if said is None else said.name


def name_said(text: str) -> NameSaid | None:
    """The name said in "her name is Mia", with what came after it; None when the message names no one
    ("we call her a water baby", "her name is not decided yet")."""
    said = " ".join(text.replace("’", "'").split())
    match = _SAID_NAME.match(said)
    if match is not None and _named_as(match) is None:
        match = None  # "it's my daughter, she's called Ava": not "it's ...", the naming after it
    whole = match is not None
    # Put after a few words: "actually her name is Lily", "I'm her grandma, she's called Rosie".
    if match is None:
        clauses = (_LEAD_IN.sub("", said), *(c.strip() for c in _CLAUSES.split(said)[1:]))
        match = next((m for c in clauses if c != said and (m := _SAID_NAME.match(c)) and _naming(m)), None)
    if match is None:  # "my sister helped name her Mia", "we named him Leo after his grandad"
        match = _NAMED.search(said)
        if match is not None and _NOT_NAMED.search(said[: match.start()]):
            match = None  # "we haven't named her yet"
    named = None if match is None else _named_as(match)
    if named is None:
        return None
    name, rest = named
    return NameSaid(name, rest, whole, _CORRECTION.match(said) is not None)


def _named_as(match: re.Match[str]) -> tuple[str, str] | None:
    """The name a naming match gives, and what follows it; None when it is no name ("my daughter")."""
    captured = match["name"]
    end = _NAME_ENDS.search(captured)
    name = (captured[: end.start()] if end else captured).strip(" .!,;")
    rest = captured[end.end() :].strip(" .!,;") if end else ""
    words = name.split()
    if not words or len(words) > _MOST_NAME_WORDS or words[0].lower() in _NOT_NAME_STARTS:
        return None
    return name, rest


# Naming said in the middle of a sentence.
_NAMED = re.compile(r"\bnamed?\s+(?:her|him|them)\s+(?P<name>\S.*)$", re.I)
_NOT_NAMED = re.compile(r"n't\b|\b(?:not|never|yet|still)\b", re.I)
# Where a name said in a sentence ends: "Bub when she's grumpy", "Mia and she was born on 15 March".
_NAME_ENDS = re.compile(r"\s*[,;]\s*|\s+(?:" + "|".join(map(re.escape, WORDS.name_endings)) + r")\b\s*", re.I)
# A name does not begin so: "we call her a water baby", "her name is not decided yet", "she calls me mummy".
_NOT_NAME_STARTS = WORDS.not_name_starts
_MOST_NAME_WORDS = 3
# A message putting something right: a name in it, at a later question, renames the child.
_CORRECTION = re.compile(r"^(?:actually|sorry|no|oh)\b", re.I)
# Said before a name without changing it ("actually her name is Lily"), and where a new clause begins.
_LEAD_IN = re.compile(r"^(?:(?:oh|ah|oops|whoops|sorry|wait|hang on|no|ok|okay|actually)[,.!]?\s+)+", re.I)


# Only plain naming words there ("her name is", "she's called"), not "it's": "I'm tired, it's been hard".
def _naming(match: re.Match[str]) -> bool:
    before = match.string[: match.start("name")].lower()
    return "name" in before or "call" in before


_CLAUSES = re.compile(r"[,;.!]\s*|\s+(?:and|but)\s+", re.I)

# Said after "my son" or "this is" but no name: "this is hard", "my baby always cries", "she is tired".
_NOT_A_NAME = WORDS.not_a_name
# How words that describe end ("shy", "jealous", "colicky", "hitting", "tired"): typed in lower case after
# "my son is", no name.
_DESCRIBING = re.compile(r"(?:" + "|".join(map(re.escape, WORDS.describing_endings)) + r")$")

# A name given with who the child is, at the name question only: "my son Leo", "Leo, my son", "Mia's her
# name", "this is Leo", "she is Mia".
_KIN_FIRST = f"(?:{alternatives(WORDS.kin_words, any_space=True)})"
_A_NAME = r"(?P<name>[^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*)?)"
_INTRODUCED = (
    re.compile(
        r"^(?:(?:it's|its|it is|this is|meet)\s+)?(?:my|our)\s+"
        + _KIN_FIRST
        + r"[,:]?\s+(?P<is>is\s+)?"
        + _A_NAME
        + "$",
        re.I,
    ),
    re.compile(r"^" + _A_NAME + r"[,:]?\s+(?P<is>is\s+)?(?:my|our)\s+" + _KIN_FIRST + "$", re.I),
    re.compile(r"^" + _A_NAME + r"(?:'s|\s+is)\s+(?:her|his|their|the)\s+name$", re.I),
    re.compile(r"^(?:name's|named|called|this is|meet)\s+" + _A_NAME + "$", re.I),
    re.compile(r"^(?:he|she|they)(?:'s|\s+is|'re|\s+are)\s+" + _A_NAME + "$", re.I),
)


class Introduced(NamedTuple):
    """The words where a name goes in "my son Leo", "this is hard", "my son is shy", typed at the name
    question; whether they are a name is for the conversation to settle (it knows the guidance's subjects)."""

    words: str
    capitalised: bool  # each word begins with a capital the rest of the message lacks: "my son Will"
    describes: bool  # a word that is no name ("hard", "tired"), or a lower-case word that describes ("shy")
    pet_form: bool = False  # one lower-case word ending in -y or -ie straight after "my son": "my son teddy"


def _describes(word: str) -> bool:
    """A lower-case -y word that is no pet name: "grumpy", "sorry", "needy", "daddy" (content's not_pet_names).
    A list, not word frequencies: "casey", "sandy", "destiny" and "buddy" are common words and names too, and a
    name refused is worse than a word taken for one (the parent sees "When was sleepy born?" and can say so)."""
    return word in WORDS.not_pet_names or word in WORDS.not_a_childs_name


def introduced_name(text: str) -> Introduced | None:
    """What stands where a name goes in "my son Leo", "Leo, my son", "Mia's her name", "this is Leo", "she
    is Mia"; None when the message is not put so ("for my little girl": who, the name still to come)."""
    said = " ".join(text.replace("’", "'").split()).strip(" .!")
    match = next((m for pattern in _INTRODUCED if (m := pattern.match(said))), None)
    if match is None:
        return None
    name = match["name"]
    words = name.lower().split()
    if match.re is _INTRODUCED[1] and words[0] in _NOT_A_NAME:
        return None  # "for my little girl", "it's for our grandson": who, and the name still to come
    others = said[: match.start("name")].split() + said[match.end("name") :].split()
    capitalised = all(w[0].isupper() for w in name.split()) and any(w[:1].islower() for w in others)
    # "my son is shy" describes; "my son teddy", with no "is" between, can only name (a name in lower case).
    linked = (
        "is" not in match.re.groupindex or match["is"] is not None
    )  # no "is" to leave out: not a pet name
    pet_form = not linked and len(words) == 1 and words[0].endswith(("y", "ie")) and not _describes(words[0])
    describes = any(
        w in _NOT_A_NAME or w in _VERBS or w in _OPENERS_STRONG or w in _OPENERS_WEAK for w in words
    ) or (not capitalised and not pet_form and any(_DESCRIBING.search(w) for w in words))
    return Introduced(name, capitalised, describes, pet_form and not describes)


def is_question(text: str) -> bool:
    """A question or a sentence about a child, typed where a name or a date was asked for."""
    said = _normal(text)
    words = _WORD.findall(said)
    if not words:
        return False
    if text.rstrip().endswith("?") and (len(words) >= 2 or words[0] in _OPENERS_STRONG):
        return True
    first = words[0]
    if first in _OPENERS_STRONG and len(words) >= 2:
        return True
    if first in _OPENERS_WEAK and len(words) >= 3:
        return True
    return find_age(said) is not None and len(words) >= 3 and any(word in _VERBS for word in words)
