"""Is a word English, and is a message English? Both from models that ship inside their packages.

Spelling is mended only for words that are not English words: "works", "moving" and "bunny" are real words
and stay as typed, however close they are to a content word. The word list is pyspellchecker's English
frequency list (about 160,000 words). A message is taken for another language only when most of its words
are not English and py3langid (whose model ships in the package) names another language with confidence, so
"ok", "hi" or a typo-ridden English question are never refused as foreign.
"""

from __future__ import annotations

import re
from functools import cache

# Below this share of English words a message may be in another language; the detector then decides.
ENGLISH_SHARE = 0.75
# How sure the detector must be before a message is called foreign.
CONFIDENCE = 0.9
# When hardly any word is English ("il mio bambino piange quando esco"), the detector need only be this sure.
FEW_ENGLISH_SHARE = 0.35
FEW_ENGLISH_CONFIDENCE = 0.5
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


@cache
def _english_words() -> frozenset[str]:
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)


@cache
def _identifier() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def warm() -> None:
    """Load the word list and the detector now rather than on a parent's first question."""
    _english_words()
    _identifier()


def is_english_word(word: str) -> bool:
    return word.lower() in _english_words()


def foreign_language(text: str, known: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The language of ``text`` when it is confidently not English (an ISO 639-1 code), else None.

    ``known`` are words the caller knows as its own (content and lexicon words), counted as English.
    """
    found = _LETTERS.findall(text.lower())
    if not found:
        return None
    english = _english_words()
    share = sum(w in english or w in known for w in found) / len(found)
    if share >= ENGLISH_SHARE or (len(found) < 2 and all(w.isascii() for w in found)):
        return None
    language, confidence = _identifier().classify(text)  # type: ignore[attr-defined]
    needed = FEW_ENGLISH_CONFIDENCE if share < FEW_ENGLISH_SHARE else CONFIDENCE
    if language == "en" or confidence < needed:
        return None
    return str(language)


def language_name(code: str) -> str:
    return NAMES.get(code, "another language")
