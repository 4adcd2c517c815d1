"""Find the age a parent names in a question: "my 10-month-old", "ten months", "2 1/2", "a year and a half".

The conversation layer uses this to know whether a question needs a child (no age named) and the answer
engine uses it to pick the stage. Durations ("for 2 weeks", "3 months ago") are not ages and are skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.core.ages import describe_months
from content.conversation import alternatives, conversation_words

DAYS_PER_MONTH = 365.25 / 12
# A count of weeks or days is rounded to the week or the day, so it may fall a day or two short of the months it
# means: 13, 26, 39 and 52 weeks are three, six, nine and twelve months (91 days is 2.99 months by the average
# month), and so are the same spans said in days ("90 days": three calendar months can be 89 to 92 days). Two days
# make up for it without moving any other count ("4 weeks" and "28 days" are still 0 months, "6 weeks" 1).
COUNT_SLACK_DAYS = 2.0
# The word lists kept as data in content/conversation.yaml (checked on load: a typo fails at start-up).
WORDS = conversation_words()
# A bare "two and a half" with no unit means years only for small numbers.
BARE_HALF_MAX_YEARS = 5

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_WORD_VALUES: dict[str, int] = {w: n for n, w in enumerate(_UNITS)} | {
    w: n + 10 for n, w in enumerate(_TEENS)
}
_WORD_VALUES |= _TENS

_WORD_NUMBER = rf"(?:(?:{'|'.join(_TENS)})(?:[\s-]+(?:{'|'.join(_UNITS[1:])}))?|{'|'.join(_TEENS + _UNITS)})"
_HALF = (
    r"(?:\s*(?:and|&)\s*(?:(?:a\s+)?half|a\s+quarter|(?:three|3)[\s-]+quarters?)|-and-a-(?:half|quarter)"
    r"|\s*(?:and\s+)?[13]/[24]|\s*[½¼¾])"
)
_NUMBER = rf"(?:\d+(?:[.,]\d+)?|{_WORD_NUMBER}(?![a-z])|an?(?=\s)|half(?:\s+an?)?(?=\s))"
_UNIT = (
    r"(?:(?P<y>y(?:ears?|rs?|/o|\.o\.?|o)?)|(?P<m>m(?:o|ou)?n?t?h?s?)|(?P<w>w(?:ee)?k?s?|w/?o)|(?P<d>d(?:ays?|ys?)?))"
    r"(?![a-z])"
)
_ANY_UNIT = r"[\s-]*(?:y(?:ears?|rs?|/o|\.o\.?|o)?|m(?:o|ou)?n?t?h?s?|w(?:ee)?k?s?|d(?:ays?|ys?)?)(?![a-z])"
_SMALL_UNIT = r"(?:(?P<m2>m(?:o|ou)?n?t?h?s?)|(?P<w2>w(?:ee)?k?s?)|(?P<d2>d(?:ays?|ys?)?))(?![a-z])"
_AGE = re.compile(
    rf"(?<![a-z0-9.,/])(?P<num>{_NUMBER})(?P<half1>{_HALF})?[\s-]*{_UNIT}(?P<half2>{_HALF})?"
    # "2 years, 3 months" is one age; "4 months, 9 months" is two.
    rf"(?(y)(?:\s*,?\s*(?:and\s+|&\s*)?(?P<num2>\d+|{_WORD_NUMBER}(?![a-z]))[\s-]*{_SMALL_UNIT})?)"
    r"|(?P<newborn>\bnew[\s-]?born\b|\bjust\s+born\b)"
    rf"|\bturn(?:ed|s|ing)?\s+(?P<turned>\d|{_WORD_NUMBER})(?![a-z0-9])(?!{_ANY_UNIT}|{_HALF})"
    rf"|(?<![a-z0-9.,/])(?P<bare>\d|{_WORD_NUMBER}(?![a-z]))(?P<half3>{_HALF})(?![\s-]*(?:[a-z]*\d|y|m|w|d)[a-z]*\b)"
)
# A baby a parent still calls a newborn: an exact age said beside the word, up to this many months, is the same child.
NEWBORN_SAID_MONTHS = 3
# "6 months next week", "will be 1 next month", "turns 2 on Friday": not there yet, so a month less.
_SOON = (
    r"(?:next\s+(?:week|month)|soon|tomorrow|this\s+(?:week|weekend|month)"
    r"|in\s+(?:a|two|three|\d)\s+(?:few\s+|couple\s+(?:of\s+)?)?(?:days?|weeks?|months?)|in\s+a\s+fortnight"
    r"|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|in\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b)"
)
_OLD_AFTER = re.compile(r"[\s-]*old\b")
_AT_BEFORE = re.compile(r"\b(?:at|from)\s+(?:(?:about|around|age)\s+)?$")
_IS_BEFORE = re.compile(
    r"\b(?:he's|she's|they're|(?:he|she|they|who)\s+(?:is|are)|is\s+now|now)\s+(?:just\s+)?$"
)
_NEARLY = (
    r"(?:almost|nearly|(?:about|going)\s+to(?:\s+turn)?|coming\s+up(?:\s+to|\s+on)?|(?:fast\s+)?approaching"
    r"|(?:just|a\s+(?:bit|little|touch))\s+(?:under|shy\s+of)|shy\s+of|close\s+to|getting\s+on\s+for)"
)
# "almost 2", "an almost-2 year old", "coming up to 18 months", "just under 2": a month short of it.
# With no unit, a small number is an age in years only in a few shapes: "he's 1 and ...", "she is almost two.",
# "(2.5)", "wean off the dummy at 2".
_BARE_END = r"(?=\s*(?:$|[.,;:!?)]|[-–—](?:\s+(?!\d|one\b|two\b|three\b)|$)|and\b|now\b|but\b|so\b|&|x\b|lol\b|he\b|she\b|they\b))"
_BARE_AGE = re.compile(
    r"\b(?:(?:he|she|they|it|baby|son|daughter|granddaughter|grandson|child|kid|toddler|lo|dd|ds|twins|who"
    r"|girls?|boys?|eldest|oldest|youngest|little\s+one|one|niece|nephew|stepson|stepdaughter|mine|ours)"
    r"(?:'s|\s+is|\s+are|\s+was)|hes|shes)\s+(?:now\s+)?(?:(?P<about>{_NEARLY})[\s-]+|just\s+|about\s+)?"
    rf"(?P<is>[1-3](?:\.5)?|one|two|three)(?:{_BARE_END}|(?P<soon>\s+{_SOON}))"
    # "(2.5)", "(3 next month)"
    rf"|\((?P<paren>[1-3](?:\.5)?)(?P<psoon>\s+{_SOON})?\)"
    # "... take the ipad away, 2.5. how much ...": a year and a half said alone between commas or stops
    r"|(?:^|[,;]\s*)(?P<alone>[1-3]\.5)(?=\s*(?:[.,;!?]|$))"
    rf"|\b(?:now\s+)?at\s+(?P<at>[1-3]){_BARE_END}"
    rf"|\b(?P<about2>{_NEARLY})[\s-]+(?P<near>[1-3]|one|two|three){_BARE_END}"
    # "just gone 2", "she's 2 going on 3": that age now
    rf"|\b(?:just\s+gone|(?:just|a\s+(?:bit|little))\s+over)\s+(?P<over>[1-3]|one|two|three){_BARE_END}"
    # "he's just over a year": one
    r"|(?:'s|\bis|\bnow)\s+(?:just|a\s+(?:bit|little)|slightly)\s+over\s+a\s+year(?P<overyear>)(?!\s+(?:ago|later|since))\b"
    # "2 and a bit", "she's 2 going on 3": the first number
    r"|\b(?P<bit>[1-3]|one|two|three)\s+and\s+a\s+(?:little\s+)?bit\b"
    r"|\b(?P<going>[1-3]|one|two|three)\s+going\s+on\s+(?:[2-4]|two|three|four)\b"
    rf"|\b(?:will\s+be|'ll\s+be|turns|turning|is\s+turning)\s+(?P<will>[1-3]|one|two|three)(?=\s+{_SOON})"
    rf"|\bage(?:d)?\s+(?P<aged>[1-3](?:\.5)?|one|two|three)(?!\d|[.,]\d|\s*(?:y|m|w|d)[a-z]*\b)"
)
# "6 months next week", "will be 1 next month", "turns 2 on Friday": not there yet, so a month less.
_SOON_AFTER = re.compile(rf"(?:[\s-]*old)?\s+{_SOON}\b")
_NEARLY_BEFORE = re.compile(rf"\b{_NEARLY}[\s-]+(?:a\s+)?$")
# "3 months ago", "6 weeks early", "34 weeks gestation": a time or a prematurity, not the child's age.
_NOT_AGE_AFTER = re.compile(
    r"\s+(?:ago|later|before|from now|early|premature|prem|preemie|prematurely|gestation|pregnant"
    r"|(?:a|per|each|every)\s+(?:week|month|fortnight|year)"  # "5 days a week": how often
    r"|at\s+a\s+time"  # "works away 2 weeks at a time": how long
    r"|on[\s,/]+(?:\d+|a|one|two|three|four|six)(?:\s+(?:weeks?|days?|months?))?\s+off"  # "3 weeks on 3 off": a rota
    r"|of\s+(?!age\b)"  # "3 weeks of crying at drop off": how long ("10 months of age" is an age)
    # "a 2 week holiday", "her 3 day stay at nan's": how long something lasts
    r"|holidays?|vacations?|trips?|breaks?|stays?|visits?|courses?|placements?|contracts?|absences?)\b"
)
# "4 or 6 months?", "6 to 9 months": a range of ages asked about, not the child's age.
_RANGE_BEFORE = re.compile(
    rf"\b(?:\d{{1,2}}|{_WORD_NUMBER}|new[\s-]?born|birth)\s*(?:or|to|-|–|until|till|up\s+to)\s*$"
)
# "newborn to 3 years", "newborn to toddler": the start of a range of ages, not the child's age.
_RANGE_FROM_NEWBORN = re.compile(
    rf"\s*(?:to|-|–|until|till|up\s+to|through)\s+(?:\d|{_WORD_NUMBER}\b|toddler|preschool|school)"
)
_DURATION_BEFORE = re.compile(
    r"\b(?:past|last|next|first|every|in|after|within|over|than|per|since|couple\s+of|few|once|twice|spent|spend"
    r"|born(?:\s+at)?|arrived(?:\s+at)?|delivered(?:\s+at)?|(?:when|since|from\s+when)\s+(?:he|she|they|it)\s+was)"
    r"\s+(?:(?:about|around|the|a|nearly|almost|over|like|just|only)\s+)*$"
)
# "she's been at nursery 2 years", "he goes to nursery 4 days": how long, or how many days of a week.
_BEEN_AT_BEFORE = re.compile(r"\bbeen\s+(?:at|in|to|with|going\s+to|attending)(?:\s+[a-z']+){1,3}\s+$")
_DAYS_AT_BEFORE = re.compile(
    r"\b(?:goes|go|going|does|do|attends|attend|works|work|there|nursery|day\\s*care|childcare|childminder|creche"
    r"|preschool|school)(?:\s+(?:to|at)(?:\s+[a-z']+){1,2})?\s+(?:for\s+)?$"
)
_FOR_BEFORE = re.compile(r"\bfor\s+(?:(?:about|around|the|nearly|almost|over|like|just|only)\s+)*$")
_PERFECT_TENSE = re.compile(r"\b(?:been|has|have|had)\b")
# "the 12 month jabs", "her 2 year check": an age-named occasion is an age even after "after" or "the".
_OCCASION_AFTER = re.compile(
    r"[\s-]*(?:jabs?|vaccin\w*|shots?|immuni[sz]\w*|injections?|check[\s-]?ups?|checks?|reviews?"
    r"|appointments?|visits?|sleep\s+regression|regression|milestones?)\b"
)
# "sterilise bottles after 6 months?": at the end of a clause, "after/before/until N months" is the age the
# question is about, but only when no other age is named (so it is weak, like "for").
_EDGE_BEFORE = re.compile(r"\b(?:after|before|until|till|by|under|from)\s+(?:(?:about|around|the|age)\s+)*$")
_EDGE_AFTER = re.compile(r"(?:[\s-]*old)?\s*(?:$|[?.!,;]|of\s+age\b)")


# "she's 2 and 9 months": years with no unit, then months, is one age; "between 2 and 9 months" is a range and
# "my kids are 2 and 9 months" two children.
_YEARS_BEFORE = re.compile(r"(?<![\d.,])\b(?P<n>[1-3]|one|two|three)\s*(?:and|&|,)\s*$")
_OLDS_AFTER = re.compile(r"[\s-]*olds\b")
_TWO_CHILDREN = re.compile(
    r"\b(?:between|from|kids|children|boys|girls|twins|ones|they|they're|both|aged|ages)\b[^.?!]*$"
)


@dataclass(frozen=True, slots=True)
class AgeMention:
    """An age found in text: completed ``months`` (what bands use), the ``text`` as typed, its ``span``, and
    a ``label`` in the parent's unit ("6 weeks", "10 months", "1 year 6 months", "newborn")."""

    months: int
    text: str
    span: tuple[int, int]
    label: str


def find_age(text: str) -> AgeMention | None:
    """The first age named in ``text``, or None."""
    ages = find_ages(text)
    return ages[0] if ages else None


def find_ages(text: str) -> list[AgeMention]:
    """Every age named in ``text``, in order ("my 8 month old and my 2 year old"); like :func:`find_age`, a
    possible duration ("clingy for 3 months") counts only when no other age is named."""
    lowered = text.lower().replace("’", "'")
    strong: list[AgeMention] = []
    weak: list[AgeMention] = []
    for match in _AGE.finditer(lowered):
        found = _mention(match, lowered)
        if found is None:
            edge = _edge_age(match, lowered)
            if edge is not None:
                weak.append(edge)
            continue
        if (
            found[0] > 0
            and (
                _NEARLY_BEFORE.search(lowered[: match.start()])
                # "starts nursery at 11 months in January": the age the question is about, said as such
                or (
                    _SOON_AFTER.match(lowered, match.end())
                    and not match["newborn"]
                    and not _AT_BEFORE.search(lowered[: match.start()])
                )
            )
        ):
            found = _months_label(found[0] - 1)  # "nearly 2" is 23 months, "6 months next week" 5
        mention = AgeMention(found[0], text[match.start() : match.end()], match.span(), found[1])
        shared = _YEARS_BEFORE.search(lowered[: match.start()]) if match["y"] else None
        if shared is not None and _OLDS_AFTER.match(lowered, match.end()):
            # "my 2 and 4 year olds": two children, the first with the unit of the second
            months, label = _months_label(_number(shared["n"]) * 12)
            strong.append(
                AgeMention(months, text[shared.start("n") : shared.end("n")], shared.span("n"), label)
            )
        if not _FOR_BEFORE.search(lowered[: match.start()]) or _OLD_AFTER.match(lowered, match.end()):
            strong.append(mention)
        else:
            weak.append(mention)
    if len(strong) > 1 and any(m.label == "newborn" for m in strong):
        # "newborn stares at my face ... 5 wks": "newborn" is the parent's word for a young baby; an age said
        # beside it in weeks or months is the same child's, and more exact. ("my newborn and my 2 year old"
        # stays two children.)
        exact = [m for m in strong if m.label != "newborn"]
        if all(m.months <= NEWBORN_SAID_MONTHS for m in exact):
            strong = exact
    if (since := _since_joining(strong, text, lowered)) is not None:
        return since
    if len(strong) > 1:
        # "moves them up at 12 months ... she's 11 months": an age "at" a point in time gives way to the
        # child's own age said beside it.
        own = [m for m in strong if not _AT_BEFORE.search(lowered[: m.span[0]])]
        if own and len(own) < len(strong) and any(_IS_BEFORE.search(lowered[: m.span[0]]) for m in own):
            strong = own
    if strong and all(_AT_BEFORE.search(lowered[: m.span[0]]) for m in strong):
        # "put him in nursery at 4 months ... he's nearly 2 now": the ages "at" are a back story; the child's
        # own age, said after them as "he's nearly 2", is the age the question is about.
        later = max(m.months for m in strong)
        own = [m for m in _bare_ages(text, lowered) if m.span[0] > strong[-1].span[1] and m.months > later]
        if own:
            return own[:1]
    if strong:
        return _current(strong, text, lowered)
    return weak[:1] or _bare_ages(text, lowered)


# "adopted at 20 months, he's been home 6 weeks now": the age on joining the family ("adopted at", "placed with
# us aged"), then the time since ("home", "with us") said soon after it. The words are data
# (content/conversation.yaml: joined_family, home_for, roughly_words); the grammar stays here.
_ROUGHLY = rf"(?:(?:{alternatives(WORDS.roughly_words)})\s+)*"
_JOINED_AT = re.compile(
    rf"\b(?:{alternatives(WORDS.joined_family, any_space=True)})(?:\s+(?:him|her|them|(?:our|my)\s+[a-z]+))?"
    rf"\s+(?:at|aged)\s+(?:age\s+)?{_ROUGHLY}$"
)
_HOME_FOR = re.compile(
    rf"\b(?:been\s+)?(?:{alternatives(WORDS.home_for, any_space=True)})\s+(?:for\s+)?{_ROUGHLY}"
    rf"(?P<n>\d{{1,2}}|{_WORD_NUMBER}|an?)(?P<half>{_HALF})?[\s-]*"
    r"(?:(?P<y>years?|yrs?)|(?P<m>months?|mths?|mos?)|(?P<w>weeks?|wks?)|(?P<d>days?))\b"
    rf"(?P<half2>{_HALF})?"
)
# The time since joining is said soon after the age on joining: its "home" or "with us" starts within this many
# characters (about a dozen words: "adopted at 9 months and I went back to work when he'd been home 3 months").
HOME_FOR_WITHIN_CHARS = 60
# "adopted at 2", "placed with us aged 3": the number a bare age after "at" or "aged" starts with.
_BARE_AT = re.compile(r"(?:now\s+)?(?:at|aged?)\s+")


def _since_joining(strong: list[AgeMention], text: str, lowered: str) -> list[AgeMention] | None:
    """The age now of a child who joined the family at an age, when the time since is said too.

    "adopted at 20 months, home 6 weeks now" is 21 months and "adopted at 2, been home 3 months" 27: the age on
    joining (:data:`_JOINED_AT`, an age with a unit among ``strong`` or a bare "at 2") and the time since
    (:data:`_HOME_FOR`, starting within :data:`HOME_FOR_WITHIN_CHARS` after it), added up. Another age said,
    at least the age on joining and not "at" a point in time ("now hes 2", "she turned 2 last week"), is the
    age now, and wins. None when no age on joining is followed by a time since.
    """
    if _HOME_FOR.search(lowered) is None:
        return None
    # A bare age inside one with a unit ("at 2" of "at 2 and a half") is that one.
    bare = [m for m in _bare_ages(text, lowered) if not any(_overlap(m, s) for s in strong)]
    # Each age said, with how much of it comes before its number ("at " in a bare "at 2").
    said = sorted([(m, 0) for m in strong] + [(m, _lead_in(m)) for m in bare], key=lambda pair: pair[0].span)
    for joined, lead_in in said:
        if not _JOINED_AT.search(lowered[: joined.span[0] + lead_in]):
            continue
        home = _HOME_FOR.search(lowered, joined.span[1])
        if home is None or home.start() - joined.span[1] > HOME_FOR_WITHIN_CHARS:
            continue
        now = [
            m
            for m, at in said
            if m is not joined
            and (m.span[1] <= home.start() or m.span[0] >= home.end())
            and m.months >= joined.months
            and not at
            and not _AT_BEFORE.search(lowered[: m.span[0]])
        ]
        if now:
            return now[:1]
        value = _number(home["n"]) + _fraction(home["half"] or home["half2"])
        if home["y"]:
            since = math.floor(value * 12 + 1e-9)
        elif home["m"]:
            since = math.floor(value + 1e-9)
        else:
            since = _days_to_months(value * 7 if home["w"] else value)
        months, label = _months_label(joined.months + since)
        return [AgeMention(months, joined.text, joined.span, label)]
    return None


def _overlap(one: AgeMention, other: AgeMention) -> bool:
    return one.span[0] < other.span[1] and other.span[0] < one.span[1]


def _lead_in(mention: AgeMention) -> int:
    """How many characters of a bare age come before its number: 4 in "at 2", 0 in "he's 2"."""
    lead = _BARE_AT.match(mention.text.lower())
    return lead.end() if lead else 0


# "was fine at 5 months and now at 8", "at 5 months ... now 8 months": the age now is the later one.
_NOW_BEFORE = re.compile(r"\bnow\s+(?:(?:at|is|he's|she's|they're|(?:he|she|it)\s+is|they\s+are)\s+)?$")
# "adopted at 19 months, he's 20 months now": the age followed by "now" is the age now.
_NOW_AFTER = re.compile(r"(?:[\s-]*old)?\s+(?:now|currently|at\s+the\s+moment|these\s+days)\b")
_NOW_BARE = re.compile(
    r"\bnow\s+(?:(?:at|is|he's|she's|they're|(?:he|she|it)\s+is|they\s+are)\s+)?"
    r"(?P<n>\d{1,2})(?![\d.,]|\s*(?:y|m|w|d|(?:and|&)\s+a\s+half|1/2|½)\w*)"
)


def _current(mentions: list[AgeMention], text: str, lowered: str) -> list[AgeMention]:
    """Drop ages that an age "now" follows; a unitless "now at 8" takes the unit of the age before it."""
    first = mentions[0]
    bare = _NOW_BARE.search(lowered, first.span[1])
    if bare is not None and len(mentions) == 1 and "month" in _unit_of(first):
        months, label = _months_label(int(bare["n"]))
        if months > first.months:
            return [AgeMention(months, text[bare.start("n") : bare.end("n")], bare.span("n"), label)]
    for n in range(len(mentions) - 1, 0, -1):
        later = mentions[n]
        now = _NOW_BEFORE.search(lowered[: later.span[0]]) or _NOW_AFTER.match(lowered, later.span[1])
        if now and all(m.months <= later.months for m in mentions[:n]):
            return mentions[n:]
    return mentions


def _unit_of(mention: AgeMention) -> str:
    """ "month" when the parent counted in months ("5 months", "5mo"), else the label's words."""
    return "month" if re.search(r"\d\s*m|month|mo\b", mention.text.lower()) else mention.label


# Months and years in the languages parents most often write in when not in English, for the polite
# "answers are in English" reply to keep the age it names.
_FOREIGN_AGE = re.compile(
    r"(?P<n>\d{1,2})[\s-]*(?:(?P<m>mois|mes|meses|mês|mese|mesi|maand(?:en)?|monat(?:e|en|s)?|miesi\w*"
    r"|månad\w*|måned\w*|mnd|ay\w*|месяц\w*|міся\w*|měsíc\w*|mesiac\w*|luni|lună|hónap\w*|kuukau\w*"
    r"|bulan|tháng)"
    r"|(?P<y>ans?|años?|anni|anno|anos?|jahre?n?|jährig\w*|jaar|lat|rok\w*|år|год\w*|лет|рок\w*|ani"
    r"|éves|vuot\w*|tahun|tuổi|yaş\w*))(?!\w)"
    r"|(?P<cn>\d{1,2})\s*(?:(?P<cm>个月|個月|ヶ月|か月|カ月|개월)|(?P<cy>岁|歲|歳|살))"
)


# "2 ans et demi", "2 años y medio", "2 anni e mezzo", "2 einhalb Jahre", "2 e meio": half a year more.
# Newborn in the languages the bot recognises most (German, French, Spanish, Italian, Portuguese, Dutch and a
# few more): the reply is in English, but the age is still read.
_FOREIGN_NEWBORN = re.compile(
    r"\b(?:neugeboren\w*|nouveaux?[\s-]n[ée]e?s?|reci[ée]n[\s-]nacid[oa]s?|neonat[oaie]|appena\s+nat[oaie]"
    r"|rec[ée]m[\s-]nascid[oa]s?|pasgeboren\w*|nyf[øöo]d\w*|noworod\w*|novorozen\w*|новорожд\w*)"
)
_FOREIGN_HALF = re.compile(
    r"\d{1,2}\s*(?:ans?|años?|anni|anos?|jahre?n?)?\s*(?:et\s+demi|y\s+medio|e\s+mezzo|e\s+meio|einhalb|und\s+ein\s+halb)"
)


# Ages said in words in the languages the bot recognises most, for a message in another language: numbers as
# words ("dos años", "deux ans", "zwei Jahre", "dwa lata"), a year and a half ("anderhalf", "año y medio",
# "półtora roku"), two and a half in one word ("zweieinhalb", "tweeënhalf"), weeks ("6 Wochen", "7 semaines"),
# "nearly" ("casi 2 años", "presque 2 ans", "bald 2": a month less, as "nearly 2" is 23 months), a bare age
# after "is" ("ist drei", "is twee"), and Polish one-word ages ("roczek", "dwulatek"). The words are kept as
# data in content/conversation.yaml (checked on load: a typo fails at start-up); the grammar stays here.
_FOREIGN_WORD_NUMBERS = WORDS.foreign_numbers
_FOREIGN_WORDS = alternatives(tuple(sorted(_FOREIGN_WORD_NUMBERS, key=len, reverse=True)))
_FOREIGN_ONE_WORD = WORDS.foreign_word_ages
_FOREIGN_ONE = alternatives(tuple(sorted(_FOREIGN_ONE_WORD, key=len, reverse=True)))
_FOREIGN_NEAR = f"(?:{alternatives(WORDS.foreign_nearly)})"
_FOREIGN_WORD_AGE = re.compile(
    rf"(?<!\w)(?P<near>{_FOREIGN_NEAR}\s+)?(?:"
    rf"(?P<one>{_FOREIGN_ONE})(?!\w)"
    rf"|(?:(?P<n>{_FOREIGN_WORDS})\s+)?(?P<yh>año|an|anno|ano)\s+(?:y|et|e)\s+(?:medio|demi|mezzo|meio)(?!\w)"
    rf"|(?P<n2>\d{{1,2}}(?:[.,]\d)?|{_FOREIGN_WORDS})\s*(?P<half>(?:i|en|y|et|e|und)\s+(?:pół|een\s+half|medio|demi|mezzo|meio"
    rf"|ein\s+halb)\s+)?"
    r"(?:(?P<y>jaar|jahre?n?|jahr|años?|ans?|anni|anno|anos?|lata?|latka|rok|roku|roki)"
    r"(?P<half2>\s+(?:et\s+demie?|y\s+medio|e\s+mezzo|e\s+meio|und\s+ein\s+halb|en\s+een\s+half))?"
    r"(?:,?\s+(?:y|und|en|et|e|i)\s+(?P<mn>\d{1,2})\s+(?:meses|monate?n?|maanden|mois|mesi|miesi\w*))?"
    r"|(?P<m>maand(?:en)?|monat(?:e|en)?|meses|mes|mois|mesi|mese|meses|miesi\w*)"
    r"|(?P<w>wochen|woche|semaines?|semanas?|settimane|settimana|weken|week|tygodni\w*|tydzień|tydzien))(?!\w)"
    rf"|(?:\b(?:ist|is|wird|word|wordt)\s+)(?P<bnear>{_FOREIGN_NEAR}\s+)?(?P<bare>\d{{1,2}}(?:[.,]5)?|{_FOREIGN_WORDS})(?=\s*(?:[,.!?]|$|\s+(?:und|en|y|et|e|i)\b))"
    rf"|\b(?:peuter|kleuter|zoon|zoontje|dochter|dochtertje|kind|kindje)\s+van\s+(?P<van>{_FOREIGN_WORDS})\b"
    ")"
)


def _foreign_word_age(text: str) -> AgeMention | None:
    """An age a message in another language says (:data:`_FOREIGN_WORD_AGE`)."""
    match = _FOREIGN_WORD_AGE.search(text.lower())
    if match is None:
        return None
    if match["one"]:
        months = float(_FOREIGN_ONE_WORD[match["one"]])
    elif match["yh"]:
        months = 12.0 * (_FOREIGN_WORD_NUMBERS[match["n"]] if match["n"] else 1) + 6
    elif match["van"] or match["bare"]:
        said = match["van"] or match["bare"]
        years = float(said.replace(",", ".")) if said[0].isdigit() else _FOREIGN_WORD_NUMBERS[said]
        if years < 1.5 and match["bare"]:
            return None  # "ist ein Schatz": one is too often no age
        months = 12.0 * years
    else:
        said = match["n2"]
        value = float(said.replace(",", ".")) if said[0].isdigit() else float(_FOREIGN_WORD_NUMBERS[said])
        if match["half"] or match["half2"]:
            value += 0.5
        if match["w"]:
            count = math.floor(value + 1e-9)
            return AgeMention(
                _days_to_months(value * 7),
                text[match.start() : match.end()],
                match.span(),
                f"{count} week" + ("" if count == 1 else "s"),
            )
        months = value * 12 + (int(match["mn"]) if match["mn"] else 0) if match["y"] else value
    if (match["near"] or match["bnear"]) and months >= 12:
        months -= 1
    whole, label = _months_label(months)
    return AgeMention(whole, text[match.start() : match.end()], match.span(), label)


def find_age_any_language(text: str) -> AgeMention | None:
    """An age in English, or one said in a few other languages ("8 mois", "dos años", "półtora roku",
    "casi 2 años"), or their word for a newborn ("recém-nascido", "Neugeborenes")."""
    found = find_age(text)
    if found is not None:
        return found
    worded = _foreign_word_age(text)
    if worded is not None:
        return worded
    match = _FOREIGN_AGE.search(text.lower())
    if match is None:
        newborn = _FOREIGN_NEWBORN.search(text.lower())
        if newborn is None:
            return None
        return AgeMention(0, text[newborn.start() : newborn.end()], newborn.span(), "newborn")
    number = float(match["n"] or match["cn"])
    if (match["y"] or match["cy"]) and _FOREIGN_HALF.match(text.lower(), match.start()):
        number += 0.5
    months, label = _months_label(number * (12 if match["y"] or match["cy"] else 1))
    return AgeMention(months, text[match.start() : match.end()], match.span(), label)


def _bare_ages(text: str, lowered: str) -> list[AgeMention]:
    """Ages with no unit, in years: "he's 1", "she's almost two", "(2.5)", "at 2"."""
    found = []
    for match in _BARE_AGE.finditer(lowered):
        number = (
            match["is"]
            or match["paren"]
            or match["at"]
            or match["near"]
            or match["will"]
            or match["aged"]
            or match["over"]
            or match["bit"]
            or match["going"]
            or match["alone"]
            or "1"  # "he's just over a year": the one alternative with no number
        )
        years = _number(number)
        short = match["about"] or match["about2"] or match["will"] or match["soon"] or match["psoon"]
        months = years * 12 - (1 if short else 0)
        whole, label = _months_label(months)
        found.append(AgeMention(whole, text[match.start() : match.end()], match.span(), label))
    return found


def _mention(match: re.Match[str], text: str) -> tuple[int, str] | None:
    """(months, label) for one regex match, or None when the match is a duration or a stray word."""
    if match["newborn"]:
        return None if _RANGE_FROM_NEWBORN.match(text, match.end()) else (0, "newborn")
    if match["turned"]:
        return _months_label(_number(match["turned"]) * 12)
    before, after = text[: match.start()], text[match.end() :]
    if match["bare"]:
        years = _number(match["bare"]) + _fraction(match["half3"])
        if years > BARE_HALF_MAX_YEARS:
            return None
        return _months_label(years * 12)
    num = match["num"]
    half = _fraction(match["half1"] or match["half2"])
    is_old = (
        _OLD_AFTER.match(after) is not None
        or _OCCASION_AFTER.match(after) is not None
        or bool(
            match["y"] and re.fullmatch(r"y(?:/o|\.o\.?|o)", match["y"])  # "2 yo before daycare": years old
        )
    )
    if num in ("a", "an") and not (half or is_old):
        return None  # "once a week", "a month ago": not an age
    if not is_old and (
        _NOT_AGE_AFTER.match(after)
        or _RANGE_BEFORE.search(before)
        or _is_duration(before, small_unit=bool(match["w"] or match["d"]))
        or _BEEN_AT_BEFORE.search(before)
        or (match["d"] and _number(num) <= 7 and _DAYS_AT_BEFORE.search(before))
    ):
        return None
    value = (0.5 if num.startswith("half") else _number(num)) + half
    if match["y"]:
        months = value * 12 + (_number(match["num2"]) if match["num2"] and match["m2"] else 0)
        return _months_label(months)
    if match["m"]:
        whole_years = _YEARS_BEFORE.search(before)
        if whole_years is not None and value < 12 and not _TWO_CHILDREN.search(before[: whole_years.start()]):
            return _months_label(_number(whole_years["n"]) * 12 + value)  # "she's 2 and 9 months"
        return _months_label(value)
    unit = "week" if match["w"] else "day"
    count = math.floor(value + 1e-9)
    label = f"{count} {unit}" + ("" if count == 1 else "s")
    return _days_to_months(value * 7 if match["w"] else value), label


def _edge_age(match: re.Match[str], text: str) -> AgeMention | None:
    """ "after 6 months?": an age in months or years at a clause end after "after", "before", "by"."""
    if not (match["m"] or match["y"]) or match["num"] in ("a", "an") or match["num"].startswith("half"):
        return None
    if not _EDGE_BEFORE.search(text[: match.start()]) or not _EDGE_AFTER.match(text, match.end()):
        return None
    value = _number(match["num"]) + _fraction(match["half1"] or match["half2"])
    months, label = _months_label(value * 12 if match["y"] else value)
    return AgeMention(months, text[match.start() : match.end()], match.span(), label)


def _fraction(said: str | None) -> float:
    """ "and a half" is 0.5, "and a quarter" 0.25, "and three quarters" 0.75; nothing said is 0."""
    if not said:
        return 0.0
    if "quarter" in said:
        return 0.75 if "three" in said or "3" in said else 0.25
    if "¼" in said or "1/4" in said:
        return 0.25
    if "¾" in said or "3/4" in said:
        return 0.75
    return 0.5


def _is_duration(before: str, *, small_unit: bool) -> bool:
    """ "in 2 weeks", "for the past 3 months", "has been clingy for 2 months": how long, not how old."""
    if _DURATION_BEFORE.search(before):
        return True
    return _FOR_BEFORE.search(before) is not None and (
        small_unit or _PERFECT_TENSE.search(before) is not None
    )


def _days_to_months(days: float) -> int:
    """Completed months in a count of days (weeks said as days), with :data:`COUNT_SLACK_DAYS` for the rounding
    of the count: 91 days or 13 weeks is 3 months, 28 days or 4 weeks 0."""
    return math.floor((days + COUNT_SLACK_DAYS) / DAYS_PER_MONTH + 1e-9)


def _months_label(months: float) -> tuple[int, str]:
    whole = math.floor(months + 1e-9)
    return whole, describe_months(whole)


def _number(text: str) -> float:
    if text[0].isdigit():
        return float(text.replace(",", "."))
    if text in ("a", "an"):
        return 1.0
    parts = re.split(r"[\s-]+", text)
    return float(sum(_WORD_VALUES[p] for p in parts))
