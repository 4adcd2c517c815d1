"""Find what a question is about: ranked retrieval over every content item, built once per library.

A question is split into clauses and words (``content.lexicon.words``). Words that are not English words are
mended against the known vocabulary (a precomputed delete index, so it costs microseconds); real words stay
as typed. Words after a negation ("doesn't cry") are marked as negated. Items are then scored three ways:

- their own text, by BM25 (with the content words parents' synonyms stand for);
- parents' phrasings of the questions each item answers (``content/questions``): the best-matching phrasing
  counts, so "she follows me to the bathroom" finds the item that answers it in the guidance's own words;
- concepts a parent names ("bond", "trust", "feel safe"), which point at the items that do them.

Subjects the content does not cover are matched as phrases too; the caller weighs them against how much of
the question the best item explains (a tie goes to the content).
"""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import snowballstemmer  # type: ignore[import-untyped]

from bot.core.language import is_english_word
from bot.core.semantic import SemanticIndex, semantic_index
from bot.core.text import osa_distance
from content import Item, Library
from content.lexicon import (
    AgeHint,
    Intent,
    Lexicon,
    LexiconError,
    OutOfScope,
    default_lexicon,
    normalise,
    split_words,
    words,
)
from content.questions import Concept, Questions, load_questions

# BM25 constants: the usual values; items are short, so length normalisation is kept moderate.
K1 = 1.2
B = 0.3
# Words mended for spelling: shorter ones have too many neighbours, longer ones are not words (and the
# delete index would cost quadratic time in their length).
MIN_CORRECTED = 4
MAX_CORRECTED = 20
# Entries kept in the stem and spelling caches before they are emptied.
CACHE_LIMIT = 50_000
# Content words a synonym adds weigh less than the words the parent actually typed.
SYNONYM_WEIGHT = 0.7
# How the three scores add up: the item's own text, its best phrasing, a concept it does.
TEXT_WEIGHT = 0.6
PHRASING_WEIGHT = 1.0
CONCEPT_BONUS = 2.0
# A negated word ("doesn't smile") still finds the item about smiling by its text, at this weight.
NEGATED_TEXT_WEIGHT = 0.5
# The sentence-similarity ranker: an item's cosine similarity above SEMANTIC_FLOOR adds SEMANTIC_WEIGHT for
# each unit above it (a close paraphrase, around 0.8, adds about 16, as much as a strong phrasing match). Measured
# on the development sets, top-3 rose from weight 7 to about 20 and stayed flat to 30; 25 sits in that plateau.
SEMANTIC_WEIGHT = 25.0
SEMANTIC_FLOOR = 0.15
# An everyday word ("need", "hold") weighs this much against a subject the content does not cover.
GENERIC_WEIGHT = 0.5
# Words a negation reaches ("doesn't want to be held": want, held).
NEGATION_REACH = 2
NEGATIONS = frozenset({"not", "no", "never", "without", "nothing", "nobody", "none", "neither", "nor"})
# A subject the content does not cover weighs this much more when a question frame points at it ("how much
# milk", "when should she sit up", "is it normal he isn't walking"): then it is what the question is about.
FOCUS_WEIGHT = 2.0
# How many content words after a frame it points at.
FOCUS_REACH = 2
# "should I / can we ...": whether to do something about the subject named, which is then what is asked.
_WHETHER_TO = re.compile(r"\b(?:should|can|could|shall)\s+(?:i|we)\b")
_FOCUS_FRAME = re.compile(
    r"\b(?:how\s+(?:much|many|often|long|early|soon)|when\s+(?:should|will|would|do|does|did|can|could|is|are)"
    r"|(?:at\s+)?what\s+age|how\s+old|is\s+it\s+(?:normal|ok|okay|too\s+early|too\s+late|bad|safe)"
    r"(?:\s+(?:that|if|to|for))?|is\s+(?:this|that)\s+(?:normal|ok|okay)|enough"
    r"|how\s+(?:do|can|should|could)\s+(?:i|we)\s+(?:get|make|stop|start|teach|know\s+if|introduce|switch)"
    r"|(?:is|could|might)\s+(?:it|this|that|he|she)\s+(?:be\s+)?(?:a\s+sign\s+of\s+)?"  # "is it colic"
    r"|(?:should|can|could)\s+(?:i|we)\s+(?:teach|give|let|use|buy|start|stop|try|introduce|move|switch)"
    # "should we *co-sleep*", "can I *sleep train* yet": what the parent asks whether to do
    r"|(?:should|can|could|shall)\s+(?:i|we)"
    # "when's the right time to *move her into her own room*", "the best age to *stop the dummy*"
    r"|(?:the\s+)?(?:right|best|ideal|safest|good)\s+(?:time|age|point)\s+(?:to|for)"
    r"|what\s+is\s+(?:a|the)\s+(?:good|best|right|normal)|best\s+way\s+to|should\s+(?:i|we)\s+(?:worry|be\s+worried)"
    r"|(?:when|whenever)\s+(?:i|we)\s+(?:try|tried|trying)\s+to"
    r"|(?:scared|terrified|afraid|frightened|petrified)\s+of"
    r"(?:\s+(?:that|if|about))?"
    # "what actually helps with *reflux*": what is asked about
    r"|helps?\s+(?:with|for)"
    # What a parent asks for: "any tips for a *flight*", "which *car seat*", "the best *sippy cup*"
    r"|(?:any\s+)?(?:tips|ideas|advice|hacks|tricks|suggestions|recommendations|remedies|products)"
    r"(?:\s+(?:for|on|with|about|to))|which|best)\b"
)
# "what *vaccines* does she need": the one word between "what" and its verb (see Index._what_subjects)
_WHAT_SUBJECT = re.compile(
    r"\bwhat\s+([a-z]+)\s+(?:does|do|did|can|could|should|would|will|make|makes|cause|causes|is|are)\b"
)
# "is she clingy because she's *ill*": the cause a question asks about is its subject (read apart from
# _FOCUS_FRAME, whose "is she" would take the same words first).
_CAUSE_FRAME = re.compile(r"\b(?:is|are)\s+(?:\w+\s+){0,3}?because\s+(?:of\s+)?")
# "How do I / how do you ...": what follows is what the parent wants to do ("how do I *comfort* her", "how do
# you get them *off the bottle*"): a covered behaviour there makes the question the content's, an uncovered
# subject there makes it not.
_HOW_FRAME = re.compile(
    r"\bhow\s+(?:(?:do|can|should|could|would|to)\s+(?:(?:i|we|you)\s+)?"
    r"|(?:am|are)\s+(?:i|we)\s+(?:supposed|meant)\s+to\s+)"  # "how am I supposed to get any *sleep* myself"
)
# Verbs "how do I ..." uses to point at what follows ("how do I teach her *colours*", "how do I get him to
# *sleep*"): the verb frames the question, the words after it are what is asked (as in _FOCUS_FRAME).
_FRAME_VERBS = frozenset({"get", "make", "stop", "start", "teach", "introduce", "switch"})
# Verbs "should I / can we ..." asks with ("should I *give* him space", "can I *let* her"): frames too.
_ASKED_VERBS = frozenset({"give", "let", "use", "try", "do", "move", "buy", "put", "take", "leave", "go"})
# A request noun after the subject ("any *teething* remedies", "*sleep* tips"): the words just before it.
_REQUEST_AFTER = re.compile(r"\b(?:remedy|remedies|tips|hacks|tricks|products|recommendations)\b")
# A yes/no question whose grammatical subject is a practice ("does *breastfeeding* for longer make them more
# attached", "is *sleep training* bad for the bond"): the practice is what is asked about. A person as the
# subject ("does she ...") is not a practice, so it is no such frame.
_SUBJECT_FRAME = re.compile(
    r"(?:^|[.?!;:]|\bbut\b|\band\b)\s*(?:does|do|did|will|would|can|could|is|are|has|have)\s+"
    r"(?!(?:she|he|it|they|i|you|we|my|our|his|her|your|their|this|that|these|those|there|baby|babies|kids?"
    r"|child|children|toddlers?|ds|dd|lo|son|daughter|anyone|everyone|someone)\b)"
)
# A question about an effect on the bond ("..., will it affect our bond?", "is X bad for attachment"): the
# uncovered subject it names is the practice asked about, as with _SUBJECT_FRAME.
_EFFECT = re.compile(
    r"\b(?:affects?|affecting|impacts?|harms?|damages?|(?:bad|good|better|worse|best)\s+for)\b"
)
# "is there a link between *reflux* and the crying": whether one thing bears on another is an effect frame too,
# unless one side is the bond itself ("a link between breastfeeding and bonding", the lexicon's bond_words):
# the guidance speaks to that half, and the uncovered half is said in a line of its own.
_LINK = re.compile(r"\b(?:connection|link|links|linked)\s+(?:between|to|with)\b")
_SENTENCE_END = re.compile(r"[.?!\n]")
# "are the jabs safe", "is co-sleeping ok": whether a practice is safe or all right is an effect frame too;
# only the judging word is the frame ("safe"), the words between are the practice.
_JUDGED = re.compile(r"\b(?:is|are|isn't|aren't)(?:\s+[\w'&-]+){1,4}?\s+(safe|harmful|dangerous|risky)\b")
# Words after these, to the end of the clause, set the scene ("while I'm feeding her", "when she has
# accidents"): an uncovered subject said only there weighs CONTEXT_WEIGHT.
_EFFECT_ALL = "*"  # in ``practice``: every word of an uncovered subject is the practice
_TURNED_BEFORE = re.compile(r"\b(?:(?:has|have|just|only)\s+)*(?:turned|turning|turns)\s+$", re.I)
# "wants help", "asks for my help", "needs help with her shoes": help a child asks for is a subject (seeking
# help), not the frame of the parent's question.
_ASKED_FOR = frozenset({"help", "helping"})
_ASKING = frozenset({"wants", "wanting", "asks", "asking", "begs", "demands", "insists", "needs"})
# "people say", "my mum keeps telling me", "the thing everyone talks about": who said it is not what is asked
# ("people" is no stranger, "talk" no speech), so these words are left out; what was said stays.
_HEARSAY = re.compile(
    r"\b(?:people|everyone|everybody|others|they|(?:my|our|his|her)\s+(?:own\s+)?(?:m[uo]m|mother|dad|father"
    r"|nan|nana|gran|granny|grandma|grandmother|mil|sister|friends?|family|in-laws|mother[\s-]in[\s-]law))"
    r"\s+(?:always\s+|keeps?\s+|kept\s+)?(?:says?|said|saying|tells?\s+me|told\s+me|telling\s+me"
    r"|talks?\s+about|talking\s+about|warns?|warned|reckons?)\b",
    re.I,
)
_CONTEXT_OPENERS = frozenset({"when", "whenever", "while", "during", "who"})
_ATTEMPT = re.compile(r"\b(?:when|whenever|every\s+time)\s+(?:i|we)\s+(?:try|tried|trying)\s+to\b")
CONTEXT_WEIGHT = 0.5
# The frame that asks what something is ("is that a comfort thing?", "could it be separation anxiety"): the
# words it points at are the subject of the question, whether the content covers them or not.
_ASK_FRAME = re.compile(r"(?:is|could|might)\s+(?:it|this|that|he|she)\s+(?:be\s+)?(?:a\s+sign\s+of\s+)?")
# A clause that asks ("will she still bond with me", "did I cause this", "how do I comfort him").
_ASKING_CLAUSE = re.compile(
    r"\s*(?:(?:so|and|but|now|then|or)\s+)?(?:will|would|can|could|should|is|are|am|was|does|do|did|have|has"
    r"|how|what|why)\b"
)
_HOW_I_FEEL = re.compile(r"\s*(?:(?:so|and|but|now|then)\s+)?(?:should|am|would|shall)\s+i\s+(?:be\b|feel\b)")
_FOCUS_STOP = frozenset(
    {"when", "whenever", "while", "during", "if", "because", "after", "before", "since", "unless", "who"}
)
# What a child does to a toy is play, not the uncovered subject: "feeds her doll", "puts teddy to sleep", "gives
# her toy dog a nappy change" are pretend play (the guidance's own example), so these subjects do not count.
PLAYTHINGS = frozenset(
    {"toy", "toys", "teddy", "teddies", "doll", "dolls", "dolly", "dollies", "puppet", "puppets", "stuffed"}
)
PRETEND_TOPICS = frozenset(
    {"feeding and eating", "sleep", "toilet training and nappies", "bathing and hygiene"}
)
_CLAUSES = re.compile(r"([,.;:!?()\n]+|\bbut\b|\bthough\b|\balthough\b)")


@dataclass(frozen=True)
class Query:
    """What a question is about, as far as the content and the lexicon can tell."""

    intent: Intent | None
    terms: dict[
        str, float
    ]  # stem -> weight, for ranking item texts (never a word an uncovered subject claimed)
    marked: dict[str, float]  # stem, "!stem" when negated -> weight, for ranking phrasings
    synonyms: tuple[int, ...]  # lexicon synonyms matched (their phrase bonuses add to the ranking)
    concepts: tuple[int, ...]  # concepts named
    out_of_scope: tuple[OutOfScope, ...]  # subjects named that the content does not cover
    out_of_scope_stems: frozenset[str]  # the words those subjects claimed
    out_of_scope_words: float  # words of uncovered subjects, double where a question frame points at one
    unknown: tuple[str, ...]  # words known neither to the content, the phrasings nor the lexicon
    hints: tuple[AgeHint, ...]  # "baby", "toddler": an age hint, used when no age is known
    negated: bool
    stems: frozenset[str]  # every content stem of the question
    text: str = ""  # the question without its age phrases, for the sentence-similarity ranker
    asked: frozenset[str] = frozenset()  # the stems "is that a ..." points at ("is that a *comfort* thing")
    # Each word of an uncovered subject and its weight (see ``Index.uncovered``); and those only a "does
    # <practice> ..." frame points at, which weigh single when the content answers them by a phrasing.
    subject_weights: tuple[tuple[str, float], ...] = ()
    practice: frozenset[str] = frozenset()
    subject_phrases: tuple[frozenset[str], ...] = ()  # the uncovered subjects' phrases said, as stems
    effect: frozenset[str] = (
        frozenset()
    )  # "affect", "harm", "bad for": a frame, not what the content explains
    negated_stems: frozenset[str] = frozenset()  # the stems a negation reaches ("doesn't mind *strangers*")
    # Stems said only before a closing question that asks about an uncovered subject alone ("scared my first will
    # feel less secure. *what's the best age gap?*"): the story, weighing CONTEXT_WEIGHT in ``explained``.
    story: frozenset[str] = frozenset()

    @property
    def topical(self) -> bool:
        return bool(self.terms or self.concepts or self.marked)

    @property
    def in_scope(self) -> bool:
        """Out-of-scope words win only when more of them than topic words were said (before ranking)."""
        return not self.out_of_scope or len(self.stems - self.out_of_scope_stems) >= self.out_of_scope_words


@dataclass(frozen=True, slots=True)
class Scored:
    item: Item
    score: float
    stems: frozenset[str]  # the question's stems this item explains
    strong: frozenset[str]  # those explained by a phrasing, a concept or a synonym, not only by its text
    lexical: float = 0.0  # the score from words alone (without sentence similarity)
    # The question's stems the item explains by its own text, phrasings or concepts: not those a synonym lends
    # to every item sharing one of its content words ("say bye" -> comfort -> "comfort your toddler").
    own: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Phrase:
    bag: tuple[tuple[str, int], ...]  # (stem, count), sorted
    size: int
    synonym: int | None  # index into lexicon.synonyms
    out_of_scope: int | None  # index into lexicon.out_of_scope
    concept: int | None  # index into questions.concepts
    # Modifier stems in the phrase ("not" in "not crawling"): each must sit right before one of the phrase's
    # other words in the question, so "can't find me ... crawls" never makes "not crawling".
    modifiers: tuple[str, ...] = ()
    # The phrase's stems in order: an uncovered subject's phrase of several words must be said as a phrase
    # ("good nursery near" is not "leave her at nursery after a good nap").
    sequence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Frames:
    """How a question is framed: modifier pairs, what its frames point at, its stems in order."""

    pairs: frozenset[tuple[str, str]]
    focus: frozenset[str]  # the words question frames point at: what is asked
    sequence: list[str]
    asked: frozenset[str]  # those a frame asks about directly ("is that a ...", "how do I ...")
    context: frozenset[str]  # stems said only in a "when / while" clause
    practice: frozenset[str]  # stems only a "does <practice> ..." frame points at
    literal: list[str]  # every word's stem in order, stopwords too, "|" between clauses
    effect: frozenset[str]  # the stems of an effect frame ("affect", "harm", "bad for")
    story: frozenset[str] = (
        frozenset()
    )  # stems said only before a closing question that names nothing covered
    closing: frozenset[str] = frozenset()  # that closing question's stems
    aside: frozenset[str] = frozenset()  # stems said in clauses the parent sets aside ("not asking about")
    aside_care: frozenset[str] = frozenset()  # stems said in a clause a doctor has in hand ("seeing the GP")


@dataclass(frozen=True, slots=True)
class _Token:
    word: str
    stem: str
    negated: bool
    position: int


class Index:
    """Precomputed postings, phrasings, phrase bags and spelling index for one library and lexicon."""

    def __init__(self, library: Library, lexicon: Lexicon, questions: Questions | None = None) -> None:
        self.library = library
        self.lexicon = lexicon
        self.questions = questions if questions is not None else load_questions(library)
        self._stemmer = snowballstemmer.stemmer("english")
        self._stems: dict[str, str] = {}
        self._items: tuple[Item, ...] = tuple(library.items())
        self._position = {item.id: n for n, item in enumerate(self._items)}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._sequences: list[list[str]] = []
        self._contribution: list[dict[str, float]] = []
        self._build_postings()
        self._synonym_terms: list[tuple[str, ...]] = []
        self._synonym_bonus: list[dict[int, float]] = []  # per synonym: item -> bonus for whole means phrases
        for number, synonym in enumerate(lexicon.synonyms):
            self._add_synonym(number, synonym.means)
        self._intents: dict[str, list[tuple[Intent, tuple[str, ...]]]] = {}  # by first word
        for intent, phrases in lexicon.intents.items():
            for phrase in phrases:
                split = tuple(words(phrase))
                self._intents.setdefault(split[0], []).append((intent, split))
        self._modifier_stems = frozenset(self.stem(w) for w in lexicon.modifiers)
        self._phrases: list[_Phrase] = []
        self._phrases_by_stem: dict[str, list[int]] = {}
        self._build_phrases()
        self._intent_stems = frozenset(
            self.stem(w) for phrases in lexicon.intents.values() for p in phrases for w in words(p)
        )
        # "should I *give* him space": a verb of a question frame is no subject of a closing question
        self._frame_verb_stems = frozenset(self.stem(w) for w in _FRAME_VERBS | _ASKED_VERBS)
        self._uncovered_stems = frozenset(
            stem for phrase in self._phrases if phrase.out_of_scope is not None for stem, _ in phrase.bag
        )
        # "teething", "dummy": words that are an uncovered subject said alone (as typed, not stems: "handed"
        # is no subject alone, though "handedness" shares its stem)
        self._lone_subject_words = frozenset(
            p for o in lexicon.out_of_scope for p in o.phrases if " " not in p and "-" not in p
        )
        self._hints = {w: hint for hint in lexicon.age_hints for w in hint.words}
        self._generic = frozenset(self.stem(w) for w in lexicon.generic)
        self._reactions = frozenset(self.stem(w) for w in lexicon.reactions)
        self._aside_clause = _phrase_pattern(lexicon.aside_clause)
        self._aside_before = _phrase_pattern(lexicon.aside_before)
        self._aside_care = _phrase_pattern(lexicon.aside_care)
        self._aside_medical = _phrase_pattern(lexicon.aside_medical)
        self._known: set[str] = set()
        for item in self._items:
            self._known.update(words(f"{item.text} {item.title or ''}"))
        self._known.update(lexicon.stopwords | lexicon.modifiers | set(self._hints))
        self._known.update(w for phrases in self._intents.values() for _, phrase in phrases for w in phrase)
        for syn in lexicon.synonyms:
            self._known.update(w for p in syn.phrases + syn.means for w in words(p))
        for oos in lexicon.out_of_scope:
            self._known.update(w for p in oos.phrases for w in words(p))
        for texts in self.questions.phrasings.values():
            self._known.update(w for text in texts for w in words(text))
        for concept in self.questions.concepts:
            self._known.update(w for p in concept.phrases for w in words(p))
        self._deletes: dict[str, list[str]] = {}
        for word in sorted(self._known):
            for variant in _deletes(word, _max_distance(word)):
                self._deletes.setdefault(variant, []).append(word)
        self._corrections: dict[str, str | None] = {}
        self._vocabulary = frozenset(self._known)
        self.small_talk_words = frozenset(w for phrase in lexicon.smalltalk for w in phrase.split())
        self._build_phrasings()
        self.semantic: SemanticIndex | None = semantic_index(self._items, self.questions)
        self._stems_of_synonym: dict[int, frozenset[str]] = {}
        self._stems_of_concept: dict[int, frozenset[str]] = {}
        for entry in self._phrases:
            stems = frozenset(stem for stem, _ in entry.bag)
            if entry.synonym is not None:
                earlier = self._stems_of_synonym.get(entry.synonym, frozenset())
                self._stems_of_synonym[entry.synonym] = earlier | stems
            if entry.concept is not None:
                earlier = self._stems_of_concept.get(entry.concept, frozenset())
                self._stems_of_concept[entry.concept] = earlier | stems
        # A concept the parent names inside an intent phrase ("bonding milestones") is still a subject: "will she
        # still *bond* with me" asks about something, so what came before it is the back story.
        self._intent_stems -= frozenset(stem for stems in self._stems_of_concept.values() for stem in stems)

    # --- building ---

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            if len(self._stems) >= CACHE_LIMIT:  # parents type endless new words: keep memory bounded
                self._stems.clear()
            stem = self._stems[word] = self._stemmer.stemWord(word)
        return stem

    def _content_stems(self, text: str) -> list[str]:
        return [self.stem(w) for w in words(text) if w not in self.lexicon.stopwords]

    def _build_postings(self) -> None:
        self._sequences = [self._content_stems(f"{item.text} {item.title or ''}") for item in self._items]
        docs = [Counter(sequence) for sequence in self._sequences]
        average = sum(len(sequence) for sequence in self._sequences) / max(1, len(docs))
        frequency = Counter(stem for d in docs for stem in d)
        for index, doc in enumerate(docs):
            length = len(self._sequences[index])
            contribution: dict[str, float] = {}
            for stem, tf in doc.items():
                idf = math.log(1 + (len(docs) - frequency[stem] + 0.5) / (frequency[stem] + 0.5))
                contribution[stem] = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
                self._postings.setdefault(stem, []).append((index, contribution[stem]))
            self._contribution.append(contribution)

    def _build_phrasings(self) -> None:
        """Each phrasing as a bag of marked stems (what a question would be analysed into), with idf."""
        self._phrasing_item: list[int] = []
        self._phrasing_bags: list[frozenset[str]] = []
        for item_id, texts in self.questions.phrasings.items():
            for text in texts:
                tokens = self._tokens(text, correct=False)
                _, intent_positions = self._intent(words(text))
                bag = frozenset(_marked(t) for t in tokens if t.position not in intent_positions)
                if bag:
                    self._phrasing_item.append(self._position[item_id])
                    self._phrasing_bags.append(bag)
        frequency = Counter(stem for bag in self._phrasing_bags for stem in bag)
        count = len(self._phrasing_bags)
        self._phrasing_idf = {
            stem: math.log(1 + (count - df + 0.5) / (df + 0.5)) for stem, df in frequency.items()
        }
        self._phrasing_total = [sum(self._phrasing_idf[s] for s in bag) for bag in self._phrasing_bags]
        self._phrasing_postings: dict[str, list[int]] = {}
        for number, bag in enumerate(self._phrasing_bags):
            for stem in bag:
                self._phrasing_postings.setdefault(stem, []).append(number)

    def _add_synonym(self, number: int, means: Iterable[str]) -> None:
        """Record the content words a synonym adds; a several-word entry ("separation anxiety") also earns
        a bonus in the items that contain it as a phrase, so the concept outranks its scattered words."""
        stems: list[str] = []
        bonus: dict[int, float] = {}
        for phrase in means:
            sequence = self._content_stems(phrase)
            for stem in sequence:
                if stem not in self._postings:
                    raise LexiconError(
                        f"lexicon synonyms[{number}]: {phrase!r} is not a word any content item uses, "
                        "so the synonym could never find anything"
                    )
            stems.extend(sequence)
            if len(sequence) > 1:
                holders = [i for i, seq in enumerate(self._sequences) if _contains(seq, sequence)]
                if not holders:
                    raise LexiconError(
                        f"lexicon synonyms[{number}]: no content item says {phrase!r} as a phrase"
                    )
                for i in holders:
                    bonus[i] = bonus.get(i, 0.0) + sum(self._contribution[i][stem] for stem in sequence)
        self._synonym_terms.append(tuple(dict.fromkeys(stems)))
        self._synonym_bonus.append(bonus)

    def _build_phrases(self) -> None:
        owner: dict[tuple[tuple[str, int], ...], str] = {}
        groups: list[tuple[int | None, int | None, int | None, tuple[str, ...], str]]
        groups = [(n, None, None, s.phrases, f"synonyms[{n}]") for n, s in enumerate(self.lexicon.synonyms)]
        groups += [
            (None, n, None, o.phrases, f"out_of_scope[{n}]") for n, o in enumerate(self.lexicon.out_of_scope)
        ]
        groups += [
            (None, None, n, c.phrases, f"concepts[{n}] ({c.name})")
            for n, c in enumerate(self.questions.concepts)
        ]
        for synonym, out_of_scope, concept, phrases, where in groups:
            for phrase in phrases:
                bag = tuple(sorted(Counter(self._content_stems(phrase)).items()))
                if not bag:
                    raise LexiconError(f"{where}: phrase {phrase!r} has only stopwords")
                if owner.setdefault(bag, where) != where:
                    raise LexiconError(
                        f"{where}: phrase {phrase!r} means the same words as one in {owner[bag]}"
                    )
                number = len(self._phrases)
                modifiers = tuple(stem for stem, _ in bag if stem in self._modifier_stems)
                # An uncovered subject's phrase with stopwords in it is said word for word, stopwords too:
                # "throwing up" is never "throws food ... up", "first words" never just "words", "goes down
                # for a nap" never "goes down the slide".
                sequence = tuple(self._content_stems(phrase))
                if out_of_scope is not None and 1 < len(words(phrase)) != len(sequence):
                    sequence = ("=", *(self.stem(w) for w in words(phrase)))
                self._phrases.append(
                    _Phrase(bag, sum(c for _, c in bag), synonym, out_of_scope, concept, modifiers, sequence)
                )
                for stem, _ in bag:
                    self._phrases_by_stem.setdefault(stem, []).append(number)

    # --- questions ---

    def knows(self, word: str) -> bool:
        return word in self._known

    @property
    def vocabulary(self) -> frozenset[str]:
        return self._vocabulary

    def correct(self, word: str) -> str:
        """``word`` itself when known, short or an English word, else the closest known word within the edit
        budget ("seperation" -> "separation", but "works" never becomes "words")."""
        if word in self._known or not MIN_CORRECTED <= len(word) <= MAX_CORRECTED:
            return word
        if word in self._corrections:
            return self._corrections[word] or word
        found: str | None = None
        if not is_english_word(word):
            budget = _max_distance(word)
            best: tuple[int, int, str] | None = None
            for variant in _deletes(word, budget):
                for candidate in self._deletes.get(variant, ()):
                    if len(candidate) < MIN_CORRECTED:
                        continue  # "asdf" is keyboard mash, never "asd": short words are not mended to either
                    distance = osa_distance(word, candidate)
                    if distance <= budget:
                        rank = (distance, candidate[0] != word[0], candidate)
                        if best is None or rank < best:
                            best = rank
            found = best[2] if best else None
        if len(self._corrections) >= CACHE_LIMIT:
            self._corrections.clear()
        self._corrections[word] = found
        return found or word

    def mendable(self, word: str) -> bool:
        """Whether ``word`` is known or a typo of a known word ("seperation")."""
        return self.correct(word) in self._known

    def _tokens(self, text: str, *, correct: bool) -> list[_Token]:
        """Content words with their stems, negated when a "not" reaches them in the same clause."""
        tokens: list[_Token] = []
        position = 0
        stopwords, modifiers = self.lexicon.stopwords, self.lexicon.modifiers
        for clause in _CLAUSES.split(normalise(text)):
            reach = 0  # a clause boundary (kept by the split, so word positions still count it) ends a "not"
            for raw in split_words(clause):
                word = self.correct(raw) if correct else raw
                if word in NEGATIONS:
                    reach = NEGATION_REACH
                elif word not in stopwords and word not in modifiers:
                    tokens.append(_Token(word, self.stem(word), reach > 0, position))
                    reach = max(0, reach - 1)
                position += 1
        return tokens

    def analyse(self, question: str, skip: Iterable[tuple[int, int]] = ()) -> Query:
        """Understand ``question``; ``skip`` are spans (the age phrases) to leave out."""
        plain = question
        for start, end in sorted(skip, reverse=True):
            if turned := _TURNED_BEFORE.search(question[:start]):
                start = turned.start()  # "just turned 1": "turned" belongs to the age, not to the topic
            question = question[:start] + " , " + question[end:]
            plain = plain[:start] + " " + plain[end:]  # for question frames: "how do I get my 1yo to nap"
        question, plain = _HEARSAY.sub(" ", question), _HEARSAY.sub(" ", plain)
        if self._aside_before is not None and self._aside_before.search(normalise(question)):
            # "separate worry:", "my real worry is": words about the question, not of it ("separate")
            question = self._aside_before.sub(" , ", normalise(question))
        typed = [self.correct(w) for w in words(question)]
        intent, intent_words = self._intent(typed)
        hints = tuple(dict.fromkeys(self._hints[w] for w in typed if w in self._hints))
        tokens = [t for t in self._tokens(question, correct=True) if t.position not in intent_words]
        stems = Counter(t.stem for t in tokens)
        phrase_stems = stems + Counter(self.stem(w) for w in typed if w in self.lexicon.modifiers)
        # A phrase of several words may use a word the question's frame also used ("how can I *tell what
        # she wants*"): the intent is read from it, and the phrase still says what is asked.
        framed = Counter(self.stem(typed[p]) for p in intent_words if typed[p] not in self.lexicon.stopwords)
        frames = self._pairs_and_focus(plain)
        pairs, sequence = frames.pairs, frames.sequence
        synonyms, outside, concepts = self._match_phrases(
            phrase_stems, pairs, sequence, frames.literal, framed
        )
        if PLAYTHINGS.intersection(typed):
            outside = [n for n in outside if self._topic_of(n) not in PRETEND_TOPICS]
        # "not asking about what he eats": the uncovered words said in a clause set aside are not asked, and a
        # worry about the child's health only when a doctor has it in hand ("which we're seeing the GP about")
        set_aside = [n for n in outside if self._phrase_stems(n) <= self._aside_for(n, frames)]
        outside = [n for n in outside if n not in set_aside]
        claimed = frozenset(stem for n in set_aside for stem in self._phrase_stems(n))
        terms: dict[str, float] = {}
        marked: dict[str, float] = {}
        unknown: list[str] = []
        matched_by_phrase = {stem for number in synonyms + concepts for stem, _ in self._phrases[number].bag}
        outside_stems = frozenset(stem for n in outside for stem, _ in self._phrases[n].bag)
        weights = {stem: self._subject_weight(stem, frames) for stem in outside_stems}
        for token in tokens:
            key = _marked(token)
            if token.stem in self._postings and token.stem not in outside_stems | claimed:
                weight = NEGATED_TEXT_WEIGHT if token.negated else 1.0
                terms[token.stem] = max(terms.get(token.stem, 0.0), weight)
            if key in self._phrasing_idf:
                marked[key] = 1.0
            elif (
                token.stem not in self._postings
                and token.stem not in matched_by_phrase
                and token.word not in self._known
            ):
                unknown.append(token.word)
        synonym_numbers = tuple(dict.fromkeys(self._phrases[n].synonym for n in synonyms))
        for number in synonym_numbers:
            assert number is not None
            for stem in self._synonym_terms[number]:
                terms[stem] = max(terms.get(stem, 0.0), SYNONYM_WEIGHT)
        return Query(
            intent=intent,
            terms=terms,
            marked=marked,
            synonyms=tuple(n for n in synonym_numbers if n is not None),
            concepts=tuple(dict.fromkeys(c for n in concepts if (c := self._phrases[n].concept) is not None)),
            out_of_scope=tuple(
                dict.fromkeys(
                    self.lexicon.out_of_scope[o]
                    for n in outside
                    if (o := self._phrases[n].out_of_scope) is not None
                )
            ),
            out_of_scope_stems=outside_stems,
            out_of_scope_words=sum(weights.values()),
            unknown=tuple(unknown),
            hints=hints,
            negated=any(t.negated for t in tokens),
            negated_stems=frozenset(t.stem for t in tokens if t.negated),
            stems=frozenset(stems) | matched_by_phrase,
            text=question,
            asked=frames.asked,
            subject_weights=tuple(sorted(weights.items())),
            practice=frames.practice,
            subject_phrases=tuple(dict.fromkeys(self._phrase_stems(n) for n in outside)),
            effect=frames.effect,
            # "..., should I be *hurt*?": a word the content also says, or one of its synonyms, asks the content
            story=(frames.story | (frozenset(phrase_stems) & self._modifier_stems)) - frames.closing
            if frames.closing & outside_stems - self._postings.keys() - self._frame_verb_stems
            and not frames.closing & matched_by_phrase
            else frozenset(),
        )

    def _intent(self, typed: list[str]) -> tuple[Intent | None, set[int]]:
        """The intent of the longest matching phrase (the earliest on a tie), and the words intents used."""
        best: tuple[int, int, Intent] | None = None
        positions: set[int] = set()
        for start, word in enumerate(typed):
            if word in _ASKED_FOR and _ASKING.intersection(typed[max(0, start - 2) : start]):
                continue  # "she wants help with everything": what the child asks for, not how the parent asks
            for intent, phrase in self._intents.get(word, ()):
                size = len(phrase)
                if tuple(typed[start : start + size]) == phrase:
                    positions.update(range(start, start + size))
                    if best is None or (size, -start) > best[:2]:
                        best = (size, -start, intent)
        return (best[2] if best else None), positions

    def _subject_weight(self, stem: str, frames: _Frames) -> float:
        """How much one word of an uncovered subject counts against the content: double where a question
        frame points at it (it is what is asked), half when it only sets the scene ("while I'm feeding her")
        or is a modifier ("can't"); said several times, it still counts once."""
        if stem in frames.focus or _EFFECT_ALL in frames.practice:
            return FOCUS_WEIGHT
        weight = GENERIC_WEIGHT if stem in self._modifier_stems else 1.0
        return weight * (CONTEXT_WEIGHT if stem in frames.context else 1.0)

    def _topic_of(self, number: int) -> str | None:
        """The uncovered subject a phrase names, if it names one."""
        found = self._phrases[number].out_of_scope
        return None if found is None else self.lexicon.out_of_scope[found].topic

    def _aside_for(self, number: int, frames: _Frames) -> frozenset[str]:
        """The stems a phrase must lie within to be set aside: the child's health only in a clause that says a
        doctor has it in hand, never by "separate worry:" or "not what I'm asking" alone."""
        found = self._phrases[number].out_of_scope
        if found is not None and self.lexicon.out_of_scope[found].health:
            return frames.aside_care
        return frames.aside

    def _phrase_stems(self, number: int) -> frozenset[str]:
        return frozenset(stem for stem, _ in self._phrases[number].bag)

    def _pairs_and_focus(self, plain: str) -> _Frames:
        """Which word each modifier sits right before ("not" -> "walk" in "isn't walking"), and the words a
        question frame points at ("how much *milk*", "when should she *sit*", "is it normal he isn't
        *walking*", "any *teething* remedies", "how do I *comfort* her"): the subject the question is about,
        not a word it mentions on the way. Words said only in a "when / while" clause set the scene."""
        pairs: set[tuple[str, str]] = set()
        focus: set[str] = set()
        asked: set[str] = set()  # what "is that a ... / could it be ... / how do I ..." asks about
        sequence: list[str] = []  # the question's stems in order, "|" between clauses
        literal: list[str] = []  # every word's stem in order, stopwords too
        in_context: set[str] = set()
        in_main: set[str] = set()
        stopwords, modifiers = self.lexicon.stopwords, self.lexicon.modifiers
        text = normalise(plain)
        clauses: list[tuple[str, set[str]]] = []  # each clause said, with its content stems
        for clause in _CLAUSES.split(text):
            pending: list[str] = []
            said: set[str] = set()
            clauses.append((clause, said))
            sequence.append("|")
            literal.append("|")
            context = False
            # "screams when I try to *brush her teeth*": what the parent tries to do is what is asked, not the
            # scene ("cries when I try to leave" stays the content's by its own words).
            attempt = _ATTEMPT.search(clause)
            for raw in split_words(clause):
                word = self.correct(raw)
                if word in _CONTEXT_OPENERS and not attempt:
                    context = True
                if word in modifiers:
                    stem = self.stem(word)
                    pairs.update((m, stem) for m in pending)  # "only wants me": only -> want
                    pending.append(stem)
                    sequence.append(stem)
                elif word not in stopwords:
                    stem = self.stem(word)
                    pairs.update((m, stem) for m in pending)
                    pending = []
                    sequence.append(stem)
                    (in_context if context else in_main).add(stem)
                    said.add(stem)
                literal.append(self.stem(word))
        for match in _FOCUS_FRAME.finditer(text):
            ask = bool(_ASK_FRAME.fullmatch(match.group()))
            for stem in self._frame_words(text[match.end() :]):
                focus.add(stem)
                if ask:
                    asked.add(stem)
        for match in _CAUSE_FRAME.finditer(text):
            focus.update(self._frame_words(text[match.end() :]))
        focus.update(self._what_subjects(text))
        for match in _HOW_FRAME.finditer(text):
            after = text[match.end() :]
            taken = self._frame_words(after)
            first = split_words(after)[:1]
            if (
                taken
                and first
                and self.stem(self.correct(first[0])) == taken[0]
                and (taken[0] in self._postings or taken[0] in self._phrasing_idf)
                # "how do I *teach* her colours": a verb that only frames what follows is not what is asked
                and first[0] not in _FRAME_VERBS
            ):
                # "how do I *talk* to a baby who can't talk back": what the parent does, as the content says
                # it, is what is asked; "how do I get him to *stay in bed*" asks for what the child does.
                asked.add(taken[0])
                taken = [stem for stem in taken if stem != taken[0]]
            focus.update(taken)
        for match in _REQUEST_AFTER.finditer(text):
            before = _CLAUSES.split(text[: match.start()])[-1]
            focus.update(self._frame_words(" ".join(reversed(split_words(before)))))
        practice: set[str] = set()
        for match in _SUBJECT_FRAME.finditer(text):
            practice.update(self._frame_words(text[match.end() :], skip=False))
        effect = {self.stem(w) for m in _EFFECT.finditer(text) for w in split_words(m.group())}
        for match in _LINK.finditer(text):
            linked = split_words(_SENTENCE_END.split(text[match.end() :], maxsplit=1)[0])
            if not self.lexicon.bond_words.intersection(linked):
                effect.update(self.stem(w) for w in split_words(match.group()))
        effect.update(self.stem(m.group(1)) for m in _JUDGED.finditer(text))
        if effect:
            practice.add(_EFFECT_ALL)
        practice -= focus
        return _Frames(
            frozenset(pairs),
            frozenset(focus | practice),
            sequence,
            frozenset(asked),
            frozenset(in_context - in_main) | self._back_story(clauses),
            frozenset(practice),
            literal,
            frozenset(effect),
            *self._story_before_closing(clauses),
            *self._set_aside(clauses),
        )

    def _set_aside(self, clauses: list[tuple[str, set[str]]]) -> tuple[frozenset[str], frozenset[str]]:
        """Stems said only in clauses the parent sets aside ("weaning is not what I'm asking", "my 8wk old has
        reflux. *separate worry*: ..."): a clause with an ``aside_clause``, ``aside_care`` or ``aside_medical``
        phrase and every one before it, the clauses before an ``aside_before`` phrase; and apart, the only stems
        that set aside the child's health: a clause holding an ``aside_care`` phrase ("he has eczema which the
        GP is looking into"), and a clause holding an ``aside_medical`` phrase with every one before it."""
        last = -1
        care: set[str] = set()
        for number, (clause, stems) in enumerate(clauses):
            if self._aside_medical is not None and self._aside_medical.search(clause):
                last = number
                care.update(stem for _, said in clauses[: number + 1] for stem in said)
            elif self._aside_care is not None and self._aside_care.search(clause):
                last = number
                care |= stems
            elif self._aside_clause is not None and self._aside_clause.search(clause):
                last = number
            elif self._aside_before is not None and self._aside_before.search(clause):
                last = max(last, number - 1)
        aside = frozenset(stem for _, stems in clauses[: last + 1] for stem in stems)
        return aside, frozenset(care)

    def _story_before_closing(
        self, clauses: list[tuple[str, set[str]]]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """Stems said only before the closing question, and that question's, when it asks about nothing the
        content's texts or phrasings say ("our 2yo has chickenpox and wants comforting all night. *how long is
        she contagious for?*"): the mirror of ``_back_story``; ``analyse`` keeps the story only when the closing
        question names an uncovered subject and no synonym or concept of the content."""
        none: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        said = [(clause, stems) for clause, stems in clauses if stems]
        if len(said) < 2:
            return none
        last, asked = said[-1]
        # "should I be hurt?", "am I wrong to mind?": how the parent feels about the story is the content's
        if not _ASKING_CLAUSE.match(last) or _HOW_I_FEEL.match(last):
            return none
        if any(
            (stem in self._postings or stem in self._phrasing_idf)
            and stem not in self._generic
            and stem not in self._intent_stems
            for stem in asked
        ):
            return none
        return frozenset(stem for _, stems in said[:-1] for stem in stems) - asked, frozenset(asked)

    def _back_story(self, clauses: list[tuple[str, set[str]]]) -> frozenset[str]:
        """Stems said only before the closing question, when that question asks about something the content
        covers and names no uncovered subject ("dad here, I only see her at bath and bedtime, *will she still
        bond with me*"): what came before tells the story, it is not what is asked."""
        said = [(clause, stems) for clause, stems in clauses if stems]
        if len(said) < 2:
            return frozenset()
        last, asked = said[-1]
        if not _ASKING_CLAUSE.match(last) or asked & self._uncovered_stems:
            return frozenset()
        if not any(
            (stem in self._postings or stem in self._phrasing_idf)
            and stem not in self._generic
            and stem not in self._intent_stems  # "should I worry" asks about nothing yet
            for stem in asked
        ):
            return frozenset()
        return frozenset(stem for _, stems in said[:-1] for stem in stems) - asked

    def _what_subjects(self, text: str) -> set[str]:
        """ "what *vaccines* does she need", "what *illnesses* make babies clingy": one word between "what" and
        its verb is the subject asked about. Two words ("what *bedtime* routine helps") are a covered thing the
        first only describes, and a word that only frames the question ("what signs should I look for") is
        none (``what_frames``)."""
        found: set[str] = set()
        for match in _WHAT_SUBJECT.finditer(text):
            word = self.correct(match.group(1))
            lexicon = self.lexicon
            if not (
                word in lexicon.stopwords
                or word in lexicon.modifiers
                or word in lexicon.generic
                or word in lexicon.what_frames
            ):
                found.add(self.stem(word))
        return found

    def _frame_words(self, after: str, *, skip: bool = True) -> list[str]:
        """The first FOCUS_REACH content words of ``after``'s first clause (a frame points at them); with
        ``skip`` off, only words said straight after it (no stopword in between)."""
        taken: list[str] = []
        for raw in split_words(_CLAUSES.split(after, maxsplit=1)[0]):
            word = self.correct(raw)
            if word in _FOCUS_STOP:
                break  # "is it normal to want cuddles when she's hurt": the frame ends at "when"
            if (
                word in self.lexicon.stopwords
                or word in self.lexicon.modifiers
                or word in self.lexicon.generic
                or word in self._hints
            ):
                if skip or (not taken and word in self.lexicon.generic):
                    continue  # "when do babies start sitting up": the frame points past "babies"
                break
            taken.append(self.stem(word))
            if len(taken) >= FOCUS_REACH:
                break
        return taken

    def _match_phrases(
        self,
        available: Counter[str],
        pairs: frozenset[tuple[str, str]] = frozenset(),
        sequence: list[str] | None = None,
        literal: list[str] | None = None,
        framed: Counter[str] | None = None,
    ) -> tuple[list[int], list[int], list[int]]:
        """Greedy, longest phrase first; a word is used by one phrase at most, and a modifier in a phrase
        must sit right before another of its words (``pairs``).

        Returns the phrase numbers matched: synonyms, out-of-scope subjects and concepts."""
        candidates = {n for stem in available for n in self._phrases_by_stem.get(stem, ())}
        ordered = sorted(candidates, key=lambda n: (-self._phrases[n].size, n))
        claimed: Counter[str] = Counter()
        synonyms: list[int] = []
        outside: list[int] = []
        concepts: list[int] = []
        for number in ordered:
            phrase = self._phrases[number]
            if (
                phrase.out_of_scope is not None
                and sequence is not None
                and len(phrase.sequence) > 1
                and not (
                    _contains(literal or [], list(phrase.sequence[1:]))
                    if phrase.sequence[0] == "="
                    else _contains(sequence, list(phrase.sequence))
                )
            ):
                continue
            if (
                phrase.out_of_scope is not None
                and literal
                and self.lexicon.out_of_scope[phrase.out_of_scope].child_does
                and _done_to_someone(literal, phrase)
            ):
                continue  # "dad walks her round", "start talking to my baby": what a grown-up does
            # A concept's phrase of several words may use a word of the frame, not only frame words.
            extra = framed if framed and phrase.concept is not None and phrase.size > 1 else None
            if extra and all(extra[stem] for stem, _ in phrase.bag):
                extra = None
            if phrase.modifiers and not all(
                any(
                    (m, stem) in pairs or (stem, m) in pairs or (extra is not None and extra[stem] > 0)
                    for stem, _ in phrase.bag
                    if stem != m
                )
                for m in phrase.modifiers
            ):
                continue
            if all(
                available[stem] + (extra[stem] if extra else 0) - claimed[stem] >= count
                for stem, count in phrase.bag
            ):
                claimed.update(dict(phrase.bag))
                if phrase.synonym is not None:
                    synonyms.append(number)
                elif phrase.out_of_scope is not None:
                    outside.append(number)
                else:
                    concepts.append(number)
        return synonyms, outside, concepts

    def scored(self, query: Query) -> list[Scored]:
        """Items matching the query, best first, with their scores and the question words they explain."""
        text: dict[int, float] = {}
        explained: dict[int, set[str]] = {}
        strong: dict[int, set[str]] = {}
        own: dict[int, set[str]] = {}
        for stem, weight in query.terms.items():
            for index, contribution in self._postings.get(stem, ()):
                text[index] = text.get(index, 0.0) + weight * contribution
                if stem in query.stems:
                    explained.setdefault(index, set()).add(stem)
                    own.setdefault(index, set()).add(stem)
        for number in query.synonyms:
            for index, bonus in self._synonym_bonus[number].items():
                text[index] = text.get(index, 0.0) + SYNONYM_WEIGHT * bonus
            words_of = self._synonym_words(number, query)
            for stem in self._synonym_terms[number]:
                for index, _ in self._postings.get(stem, ()):
                    explained.setdefault(index, set()).update(words_of)
                    strong.setdefault(index, set()).update(words_of)
        scores = {index: TEXT_WEIGHT * value for index, value in text.items()}
        best_phrasing: dict[int, tuple[float, frozenset[str]]] = {}
        matched: dict[int, float] = {}
        hits: dict[int, list[str]] = {}
        for stem, weight in query.marked.items():
            gain = self._phrasing_idf[stem] * weight
            for number in self._phrasing_postings.get(stem, ()):
                matched[number] = matched.get(number, 0.0) + gain
                hits.setdefault(number, []).append(stem)
        for number, total in matched.items():
            value = total * (0.5 + 0.5 * total / self._phrasing_total[number])
            index = self._phrasing_item[number]
            if value > best_phrasing.get(index, (0.0, frozenset()))[0]:
                best_phrasing[index] = (value, frozenset(s.lstrip("!") for s in hits[number]))
        for index, (value, hit_stems) in best_phrasing.items():
            scores[index] = scores.get(index, 0.0) + PHRASING_WEIGHT * value
            explained.setdefault(index, set()).update(hit_stems)
            strong.setdefault(index, set()).update(hit_stems)
            own.setdefault(index, set()).update(hit_stems)
        for number in query.concepts:
            concept = self.questions.concepts[number]
            concept_stems = self._concept_stems(number, query)
            for item_id in _concept_items(concept, query.intent):
                index = self._position[item_id]
                scores[index] = scores.get(index, 0.0) + CONCEPT_BONUS
                explained.setdefault(index, set()).update(concept_stems)
                strong.setdefault(index, set()).update(concept_stems)
                own.setdefault(index, set()).update(concept_stems)
        lexical = dict(scores)
        if self.semantic is not None and query.text and (scores or query.topical):
            similarities = self.semantic.similarities(query.text)
            for i in range(len(self._items)):
                gain = float(similarities[i]) - SEMANTIC_FLOOR
                if gain > 0:
                    scores[i] = scores.get(i, 0.0) + SEMANTIC_WEIGHT * gain
        ranked = [
            Scored(
                self._items[i],
                score,
                frozenset(explained.get(i, ())),
                frozenset(strong.get(i, ())),
                lexical.get(i, 0.0),
                frozenset(own.get(i, ())),
            )
            for i, score in scores.items()
            if score > 0
        ]
        ranked.sort(key=lambda s: (-s.score, self._position[s.item.id]))
        return ranked

    def _synonym_words(self, number: int, query: Query) -> frozenset[str]:
        return self._stems_of_synonym.get(number, frozenset()) & query.stems

    def _concept_stems(self, number: int, query: Query) -> frozenset[str]:
        return self._stems_of_concept.get(number, frozenset()) & query.stems

    def explained(self, scored: Scored, query: Query) -> float:
        """How much of the question an item accounts for, in words (an everyday word counts half). A word an
        uncovered subject claimed counts only when a phrasing, concept or synonym explains it ("feeds her
        doll"), not when the item's text merely shares it ("crawl" in the secure-base background)."""
        stems = scored.strong | (scored.stems - query.out_of_scope_stems)
        # "left handed": a word of an uncovered subject's phrase is that subject's, not the content's "left",
        # unless the item explains the whole phrase ("bottle feeding" by a phrasing about bottle feeding).
        for bag in query.subject_phrases:
            if len(bag) > 1 and not bag & self._modifier_stems and not bag <= scored.strong:
                stems -= bag
        if query.out_of_scope:
            stems -= query.effect  # "will it *damage* our bond": the frame of the question, not its subject
            # "screams in the car seat", "hates tummy time": how the child reacts to an uncovered subject is
            # no subject of the content's when nothing else of the question is (no one left, no one preferred).
            if stems <= self._reactions | self._generic:
                return 0.0
        if stems <= query.out_of_scope_stems:
            return 0.0  # "only feeds well for me": an item sharing just the uncovered word explains nothing
        if query.out_of_scope and stems <= self._generic:
            return 0.0  # "a rash that comes and goes": everyday words alone do not outweigh a named subject
        # A content word a question frame points at ("is that a *comfort* thing?") is what is asked, as an
        # uncovered subject's word is when a frame points at it: it weighs the same FOCUS_WEIGHT.
        return sum(
            (GENERIC_WEIGHT if stem in self._generic else 1.0)
            * (CONTEXT_WEIGHT if stem in query.story and query.out_of_scope else 1.0)
            * (
                FOCUS_WEIGHT
                if stem in query.asked and stem not in query.out_of_scope_stems and not query.effect
                else 1.0
            )
            for stem in stems
        )

    def uncovered(self, scored: Scored, query: Query) -> float:
        """How much of the question is about subjects the content does not cover, given this item. A
        "does <practice> ..." frame makes the practice what is asked ("is sleep training bad for the bond"),
        unless the item answers one of its phrases by a phrasing ("does bottle feeding affect bonding"):
        then the content covers that side of it, and the practice counts once."""
        covered = any(bag <= scored.strong for bag in query.subject_phrases)
        weights = {
            stem: 1.0 if covered and (stem in query.practice or _EFFECT_ALL in query.practice) else weight
            for stem, weight in query.subject_weights
        }
        # "my left handed son is shy": a phrase said in full that ``explained`` takes from the content is one
        # subject (its heaviest word), so the rest of the question ("shy") weighs against it, a tie to the content;
        # not when a question frame points at the phrase, which is then what is asked.
        for bag in query.subject_phrases:
            if (
                len(bag) > 1
                and not bag & self._modifier_stems
                and not bag <= scored.strong
                and bag <= weights.keys()
                and all(weights[stem] <= 1.0 for stem in bag)  # "can we *bed share*": a frame points at it
                # "teething gel", "attached to his dummy": a word that is a subject alone weighs as one
                and not self._lone_subject_words.intersection(re.findall(r"[a-z]+", query.text.lower()))
                # the content's own words taken ("left"), not "ear infections"; and the item explains a word of
                # the rest beyond everyday ones ("shy", not "should I try to change that")
                and bag & self._postings.keys()
                and scored.stems - query.out_of_scope_stems - self._generic
                and not _WHETHER_TO.search(query.text.lower())  # "left handed, should I try to change that"
            ):
                heaviest = max(bag, key=lambda stem: weights[stem])
                for stem in bag - {heaviest}:
                    weights[stem] = 0.0
        return sum(weights.values())

    def rank(self, query: Query) -> list[tuple[Item, float]]:
        """Items matching the query, best first, with their scores."""
        return [(s.item, s.score) for s in self.scored(query)]

    def concept_items(self, query: Query) -> frozenset[str]:
        """Ids of the items that do the concepts the question names."""
        return frozenset(
            i for n in query.concepts for i in _concept_items(self.questions.concepts[n], query.intent)
        )

    def item_stems(self, item: Item) -> frozenset[str]:
        """The stems of an item's own text."""
        return frozenset(self._sequences[self._position[item.id]])

    def item_number(self, item: Item) -> int:
        return self._position[item.id]

    def item_at(self, number: int) -> Item | None:
        return self._items[number] if 0 <= number < len(self._items) else None


def _concept_items(concept: Concept, intent: Intent | None) -> tuple[str, ...]:
    """The items a concept points at: the signs of it for "what's typical", else the items that do it."""
    return concept.signs if intent is Intent.NORMAL and concept.signs else concept.items


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for whole normalised phrases, or None when there are none."""
    listed = sorted(set(phrases), key=len, reverse=True)
    if not listed:
        return None
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in listed) + r")\b")


def _marked(token: _Token) -> str:
    return f"!{token.stem}" if token.negated else token.stem


# After a child's doing, these make it something done to or with someone ("walks *her* round the house",
# "talking *to* my baby"): the grown-up's action, not the child's milestone.
_DONE_TO = frozenset({"him", "her", "them", "to", "with", "past"})  # "every time i walk *past*"


def _done_to_someone(literal: list[str], phrase: _Phrase) -> bool:
    """Whether every place the phrase's last word is said, an object or "to" follows it."""
    last = [stem for stem in phrase.sequence if stem != "="][-1] if phrase.sequence else phrase.bag[-1][0]
    # "wave bye-bye to my ...": the phrase ends at the last of a repeated word
    places = [
        n
        for n, stem in enumerate(literal)
        if stem == last and (n + 1 >= len(literal) or literal[n + 1] != last)
    ]
    return bool(places) and all(n + 1 < len(literal) and literal[n + 1] in _DONE_TO for n in places)


def _contains(sequence: list[str], part: list[str]) -> bool:
    size = len(part)
    return any(sequence[i : i + size] == part for i in range(len(sequence) - size + 1))


def _max_distance(word: str) -> int:
    """Edits tolerated: none for short words (too many neighbours), one for medium, two for long."""
    return 0 if len(word) < MIN_CORRECTED else 1 if len(word) < 8 else 2


def _deletes(word: str, distance: int) -> set[str]:
    """``word`` with up to ``distance`` letters removed (the symmetric-delete spelling index)."""
    found = {word}
    for n in range(1, min(distance, len(word) - 1) + 1):
        for positions in combinations(range(len(word)), n):
            found.add("".join(c for i, c in enumerate(word) if i not in positions))
    return found


_INDEXES: dict[int, tuple[weakref.ref[Library], Lexicon, Index]] = {}


def index_for(library: Library, lexicon: Lexicon | None = None) -> Index:
    """The index for ``library`` (built on first use and kept while the library lives)."""
    lexicon = lexicon or default_lexicon()
    cached = _INDEXES.get(id(library))
    if cached is not None and cached[0]() is library and cached[1] is lexicon:
        return cached[2]
    index = Index(library, lexicon)
    key = id(library)
    _INDEXES[key] = (weakref.ref(library, lambda _ref: _INDEXES.pop(key, None)), lexicon, index)
    return index
