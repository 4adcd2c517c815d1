"""Is a word English, and is a message English? Both from models that ship inside their packages.

Spelling is mended only for words that are not English words: "works", "moving" and "bunny" are real words
and stay as typed, however close they are to a content word. The word list is pyspellchecker's English
frequency list (about 160,000 words). A message is taken for another language only when most of its words
are not English and py3langid (whose model ships in the package) names another language with confidence, so
"ok", "hi" or a typo-ridden English question are never refused as foreign.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable
from functools import cache

from content.conversation import conversation_words

# Below this share of English words a message may be in another language; the detector then decides.
ENGLISH_SHARE = 0.75
# How sure the detector must be before a message is called foreign.
CONFIDENCE = 0.9
# When hardly any word is English ("il mio bambino piange quando esco"), the detector need only be this sure.
FEW_ENGLISH_SHARE = 0.35
FEW_ENGLISH_CONFIDENCE = 0.3
# When fewer than half the words are English ("Was ist normal mit 10 Monaten?": "was" and "normal" are
# English words too), a short question gives the detector little to go on: fairly sure is sure enough.
HALF_ENGLISH_SHARE = 0.5
HALF_ENGLISH_CONFIDENCE = 0.6
# A one-word message ("danke", "gracias") is foreign only when the detector is this sure.
ONE_WORD_CONFIDENCE = 0.5
# The word list is large and noisy ("mit", "es" and "mi" are in it): in a message that may be foreign, a
# word counts as English only when it is this frequent, known to the content, or a typo of a known word.
COMMON_ENGLISH = 2000
# Short words of other languages that the noisy English list holds ("mi", "de", "que", "ist"): in a message
# that may be foreign they do not count as English ("mi bebé de 4 meses solo se calma conmigo"). Kept as data in
# content/conversation.yaml (checked on load: a typo fails at start-up).
NOT_ENGLISH = conversation_words().not_english
# Shorter words have too many neighbours: "mein" is one letter from "mean", "sohn" from "son".
MENDABLE_MIN = 6
# Languages the detector chooses among: the common ones, so a short English message is not taken for an
# obscure language that shares its letters.
LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "ro", "hu", "tr", "ru",
    "uk", "ar", "he", "fa", "hi", "bn", "ur", "zh", "ja", "ko", "vi", "id", "ms", "tl", "el", "th",
)  # fmt: skip
NAMES = {
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish", "cs": "Czech",
    "ro": "Romanian", "hu": "Hungarian", "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic",
    "he": "Hebrew", "fa": "Persian", "hi": "Hindi", "bn": "Bengali", "ur": "Urdu", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "id": "Indonesian", "ms": "Malay", "tl": "Tagalog",
    "el": "Greek", "th": "Thai",
}  # fmt: skip
_LETTERS = re.compile(r"[^\W\d_]+")


class WordList:
    """A fixed set of words as one sorted string per word length, searched by halves: a few microseconds a
    word, in about 2 MB where a frozenset of the same 160,000 words keeps about 17 MB (bench/memory.py)."""

    __slots__ = ("_by_length",)

    def __init__(self, words: Iterable[str]) -> None:
        by_length: dict[int, list[str]] = {}
        for word in words:
            if word:
                by_length.setdefault(len(word), []).append(word)
        self._by_length = {size: "".join(sorted(group)) for size, group in by_length.items()}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        size = len(word)
        packed = self._by_length.get(size)
        if packed is None:
            return False
        low, high = 0, len(packed) // size
        while low < high:
            middle = (low + high) // 2
            if packed[middle * size : (middle + 1) * size] < word:
                low = middle + 1
            else:
                high = middle
        return packed[low * size : (low + 1) * size] == word


@cache
def _word_lists() -> tuple[WordList, WordList]:
    """Every English word, and the common ones (the list is noisy: "mit", "es" and "mi" are in it)."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return WordList(counts), WordList(w for w, n in counts.items() if n >= COMMON_ENGLISH)


def _english_words() -> WordList:
    return _word_lists()[0]


def _common_english() -> WordList:
    return _word_lists()[1]


@cache
def _identifier() -> object:
    """The detector restricted to ``LANGUAGES``, built from the packaged model without keeping the full one:
    ``set_languages`` would keep all 97 languages' table beside the subset (about 19 MB more)."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]
    from py3langid.modelio import load_model  # type: ignore[import-untyped]

    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    wanted = set(LANGUAGES)
    kept = [i for i, code in enumerate(classes) if code in wanted]
    identifier = LanguageIdentifier(
        np.asarray(ptc)[:, kept],
        np.asarray(pc)[kept],
        [classes[i] for i in kept],
        nextmove,
        array("i", output),  # a number per state of the automaton: an array, not 104,000 int objects
        norm_probs=True,
        tk_row=row,
    )
    identifier._rowbase = array("q", identifier._rowbase)  # the same numbers, read the same way
    return identifier


def warm() -> None:
    """Load the word list and the detector now rather than on a parent's first question."""
    _english_words()
    _common_english()
    _identifier()


def is_english_word(word: str) -> bool:
    return word.lower() in _english_words()


def foreign_language(
    text: str,
    known: frozenset[str] | set[str] = frozenset(),
    mendable: Callable[[str], bool] | None = None,
) -> str | None:
    """The language of ``text`` when it is confidently not English (an ISO 639-1 code), else None.

    ``known`` are words the caller knows as its own (content and lexicon words), counted as English, and
    ``mendable`` says whether a word is a typo of one of them ("seperation"), which counts as English too.
    """
    found = _LETTERS.findall(text.lower())
    if not found:
        return None
    english = _common_english()
    share = sum(
        (w in english and w not in NOT_ENGLISH)
        or w in known
        or (mendable is not None and len(w) >= MENDABLE_MIN and w.isascii() and mendable(w))
        for w in found
    ) / len(found)
    if share >= ENGLISH_SHARE:
        return None
    language, confidence = _identifier().classify(text)  # type: ignore[attr-defined]
    if len(found) < 2:
        needed = ONE_WORD_CONFIDENCE
    elif share < FEW_ENGLISH_SHARE:
        needed = FEW_ENGLISH_CONFIDENCE
    else:
        needed = HALF_ENGLISH_CONFIDENCE if share < HALF_ENGLISH_SHARE else CONFIDENCE
    if language == "en" or confidence < needed:
        return None
    return str(language)


def language_name(code: str) -> str:
    return NAMES.get(code, "another language")
