"""Find what a question is about: ranked retrieval over every content item, built once per library.

A question is split into words (``content.lexicon.words``), misspellings are mended against the known
vocabulary (a precomputed delete index, so it costs microseconds), words are stemmed (Snowball English), and
lexicon phrases are matched as bags of stems: synonyms add the content words they mean, out-of-scope phrases
claim their words so they cannot drag in unrelated items. Items are then ranked with BM25.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import snowballstemmer  # type: ignore[import-untyped]

from content import Item, Library
from content.lexicon import Intent, Lexicon, LexiconError, OutOfScope, default_lexicon, words

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


@dataclass(frozen=True)
class Query:
    """What a question is about, as far as the content and the lexicon can tell."""

    intent: Intent | None
    terms: dict[str, float]  # stem -> weight, for ranking
    synonyms: tuple[int, ...]  # lexicon synonyms matched (their phrase bonuses add to the ranking)
    out_of_scope: tuple[OutOfScope, ...]  # subjects named that the content does not cover
    topic_words: int  # words that point at the content (typed or via a synonym)
    out_of_scope_words: int  # words claimed by out-of-scope phrases
    unknown: tuple[str, ...]  # words known neither to the content nor to the lexicon

    @property
    def in_scope(self) -> bool:
        """Out-of-scope words win unless more of the question's words point at the content."""
        return not self.out_of_scope or self.topic_words > self.out_of_scope_words


@dataclass(frozen=True, slots=True)
class _Phrase:
    bag: tuple[tuple[str, int], ...]  # (stem, count), sorted
    size: int
    synonym: int | None  # index into lexicon.synonyms
    out_of_scope: int | None  # index into lexicon.out_of_scope


class Index:
    """Precomputed postings, phrase bags and spelling index for one library and lexicon."""

    def __init__(self, library: Library, lexicon: Lexicon) -> None:
        self.library = library
        self.lexicon = lexicon
        self._stemmer = snowballstemmer.stemmer("english")
        self._stems: dict[str, str] = {}
        self._items: tuple[Item, ...] = tuple(library.items())
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._sequences: list[list[str]] = []
        self._contribution: list[dict[str, float]] = []
        self._build_postings()
        self._synonym_terms: list[tuple[str, ...]] = []
        self._synonym_bonus: list[dict[int, float]] = []  # per synonym: item -> bonus for whole means phrases
        for number, synonym in enumerate(lexicon.synonyms):
            self._add_synonym(number, synonym.means)
        self._phrases: list[_Phrase] = []
        self._phrases_by_stem: dict[str, list[int]] = {}
        self._build_phrases()
        self._intents: dict[str, list[tuple[Intent, tuple[str, ...]]]] = {}  # by first word
        for intent, phrases in lexicon.intents.items():
            for phrase in phrases:
                split = tuple(words(phrase))
                self._intents.setdefault(split[0], []).append((intent, split))
        self._known: set[str] = set()
        for item in self._items:
            self._known.update(words(f"{item.text} {item.title or ''}"))
        self._known.update(lexicon.stopwords | lexicon.modifiers)
        self._known.update(w for phrases in self._intents.values() for _, phrase in phrases for w in phrase)
        for syn in lexicon.synonyms:
            self._known.update(w for p in syn.phrases + syn.means for w in words(p))
        for oos in lexicon.out_of_scope:
            self._known.update(w for p in oos.phrases for w in words(p))
        self._deletes: dict[str, list[str]] = {}
        for word in sorted(self._known):
            for variant in _deletes(word, _max_distance(word)):
                self._deletes.setdefault(variant, []).append(word)
        self._corrections: dict[str, str | None] = {}

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
        groups: list[tuple[int | None, int | None, tuple[str, ...], str]]
        groups = [(n, None, s.phrases, f"synonyms[{n}]") for n, s in enumerate(self.lexicon.synonyms)]
        groups += [
            (None, n, o.phrases, f"out_of_scope[{n}]") for n, o in enumerate(self.lexicon.out_of_scope)
        ]
        for synonym, out_of_scope, phrases, where in groups:
            for phrase in phrases:
                bag = tuple(sorted(Counter(self._content_stems(phrase)).items()))
                if owner.setdefault(bag, where) != where:
                    raise LexiconError(
                        f"lexicon {where}: phrase {phrase!r} means the same words as one in {owner[bag]}"
                    )
                number = len(self._phrases)
                self._phrases.append(_Phrase(bag, sum(c for _, c in bag), synonym, out_of_scope))
                for stem, _ in bag:
                    self._phrases_by_stem.setdefault(stem, []).append(number)

    # --- questions ---

    def correct(self, word: str) -> str:
        """``word`` itself when known or short, else the closest known word within the edit budget."""
        if word in self._known or not MIN_CORRECTED <= len(word) <= MAX_CORRECTED:
            return word
        if word in self._corrections:
            return self._corrections[word] or word
        budget = _max_distance(word)
        best: tuple[int, int, str] | None = None
        for variant in _deletes(word, budget):
            for candidate in self._deletes.get(variant, ()):
                distance = _osa_distance(word, candidate)
                if distance <= budget:
                    rank = (distance, candidate[0] != word[0], candidate)
                    if best is None or rank < best:
                        best = rank
        found = best[2] if best else None
        if len(self._corrections) >= CACHE_LIMIT:
            self._corrections.clear()
        self._corrections[word] = found
        return found or word

    def analyse(self, question: str, skip: tuple[int, int] | None = None) -> Query:
        """Understand ``question``; ``skip`` is a span (the age phrase) to leave out."""
        if skip is not None:
            question = question[: skip[0]] + " " + question[skip[1] :]
        typed = [self.correct(w) for w in words(question)]
        intent, intent_positions = self._intent(typed)
        stopwords = self.lexicon.stopwords
        content_positions = [i for i, w in enumerate(typed) if w not in stopwords]
        stems = {i: self.stem(typed[i]) for i in content_positions}
        by_synonym, by_outside, synonyms, outside = self._match_phrases(Counter(stems.values()))
        terms: dict[str, float] = {}
        topic_words = 0
        unknown: list[str] = []
        for i in content_positions:
            stem = stems[i]
            if by_outside[stem] > 0:
                by_outside[stem] -= 1  # claimed by an out-of-scope phrase: never looked up
            elif typed[i] in self.lexicon.modifiers:
                continue  # "not", "only": part of a phrase at most, never a topic
            elif by_synonym[stem] > 0:
                by_synonym[stem] -= 1  # counted with its synonym, but still a word the parent typed
                if stem in self._postings:
                    terms[stem] = 1.0
            elif i in intent_positions:
                continue
            elif stem in self._postings:
                terms[stem] = 1.0
                topic_words += 1
            elif typed[i] not in self._known:
                unknown.append(typed[i])
        synonym_words = 0
        for number, size in synonyms:
            synonym_words += size
            for stem in self._synonym_terms[number]:
                terms[stem] = max(terms.get(stem, 0.0), SYNONYM_WEIGHT)
        return Query(
            intent=intent,
            terms=terms,
            synonyms=tuple(number for number, _ in synonyms),
            out_of_scope=tuple(dict.fromkeys(self.lexicon.out_of_scope[n] for n, _ in outside)),
            topic_words=topic_words + synonym_words,
            out_of_scope_words=sum(size for _, size in outside),
            unknown=tuple(unknown),
        )

    def _intent(self, typed: list[str]) -> tuple[Intent | None, set[int]]:
        """The intent of the longest matching phrase (the earliest on a tie), and the words intents used."""
        best: tuple[int, int, Intent] | None = None
        positions: set[int] = set()
        for start, word in enumerate(typed):
            for intent, phrase in self._intents.get(word, ()):
                size = len(phrase)
                if tuple(typed[start : start + size]) == phrase:
                    positions.update(range(start, start + size))
                    if best is None or (size, -start) > best[:2]:
                        best = (size, -start, intent)
        return (best[2] if best else None), positions

    def _match_phrases(
        self, available: Counter[str]
    ) -> tuple[Counter[str], Counter[str], list[tuple[int, int]], list[tuple[int, int]]]:
        """Greedy, longest phrase first.

        Returns the stems claimed by synonyms and by out-of-scope phrases, and the phrases matched as
        (synonym or out-of-scope entry number, words in the phrase)."""
        candidates = {n for stem in available for n in self._phrases_by_stem.get(stem, ())}
        ordered = sorted(candidates, key=lambda n: (-self._phrases[n].size, n))
        claimed: Counter[str] = Counter()
        by_synonym: Counter[str] = Counter()
        by_outside: Counter[str] = Counter()
        synonyms: list[tuple[int, int]] = []
        outside: list[tuple[int, int]] = []
        for number in ordered:
            phrase = self._phrases[number]
            if all(available[stem] - claimed[stem] >= count for stem, count in phrase.bag):
                claimed.update(dict(phrase.bag))
                if phrase.synonym is not None:
                    by_synonym.update(dict(phrase.bag))
                    synonyms.append((phrase.synonym, phrase.size))
                elif phrase.out_of_scope is not None:
                    by_outside.update(dict(phrase.bag))
                    outside.append((phrase.out_of_scope, phrase.size))
        return by_synonym, by_outside, synonyms, outside

    def rank(self, query: Query) -> list[tuple[Item, float]]:
        """Items matching the query, best first, with their scores."""
        scores: dict[int, float] = {}
        for stem, weight in query.terms.items():
            for index, contribution in self._postings.get(stem, ()):
                scores[index] = scores.get(index, 0.0) + weight * contribution
        for number in query.synonyms:
            for index, bonus in self._synonym_bonus[number].items():
                scores[index] = scores.get(index, 0.0) + SYNONYM_WEIGHT * bonus
        ranked = [(self._items[i], score) for i, score in scores.items()]
        ranked.sort(key=lambda pair: -pair[1])
        return ranked


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


def _osa_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit ("anxeity" -> "anxiety")."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


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
