"""The lexicon: the real file loads, and broken entries fail on load with the entry named."""

from pathlib import Path

import pytest
import yaml

from bot.core.retrieval import Index
from content import ContentError, default_library
from content.lexicon import LEXICON_PATH, Intent, LexiconError, load_lexicon, words


def _write(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_real_lexicon_loads_and_fits_the_content():
    lexicon = load_lexicon()
    assert "baby" in lexicon.stopwords
    assert "not" in lexicon.modifiers
    assert set(lexicon.intents) == set(Intent)
    assert any("clingy" in s.phrases for s in lexicon.synonyms)
    assert any(o.topic == "sleep" and not o.health for o in lexicon.out_of_scope)
    assert any(o.health for o in lexicon.out_of_scope)
    assert {"bonding", "attachment"} <= lexicon.bond_words
    Index(default_library(), lexicon)  # cross-checks every synonym against the content


def test_lexicon_errors_are_content_errors():
    assert issubclass(LexiconError, ContentError)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stopwords": "a b c"}, "stopwords: Input should be a valid list"),
        ({"intents": {"normal": ["normal"], "help": ["help"]}}, r"intents\.why: Field required"),
        ({"synonyms": [{"phrases": ["clingy"]}]}, r"synonyms\[0\]\.means: Field required"),
        ({"synonyms": [{"phrases": ["clingy"], "means": ["comfort"], "extra": 1}]}, "Extra inputs"),
        ({"synonyms": [{"phrases": [], "means": ["comfort"]}]}, "needs at least one phrase"),
        ({"synonyms": [{"phrases": ["my baby"], "means": ["comfort"]}]}, "'my baby' has only stopwords"),
        ({"synonyms": [{"phrases": ["not"], "means": ["comfort"]}]}, "lone modifier"),
        ({"out_of_scope": [{"topic": "sleep", "phrases": ["the"]}]}, r"out_of_scope\[0\] \(sleep\)"),
        ({"out_of_scope": [{"topic": "sleep", "phrases": [True]}]}, "valid string"),
    ],
)
def test_malformed_lexicon_names_the_entry(tmp_path, changes, message):
    with pytest.raises(LexiconError, match=message) as caught:
        load_lexicon(_write(tmp_path, **changes))
    assert str(tmp_path) in str(caught.value)


def test_not_yaml(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("stopwords: [a, b\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid YAML"):
        load_lexicon(path)


def test_synonym_pointing_at_words_the_content_never_uses_fails(tmp_path):
    lexicon = load_lexicon(_write(tmp_path, synonyms=[{"phrases": ["clingy"], "means": ["unicorns"]}]))
    with pytest.raises(LexiconError, match="'unicorns' is not a word any content item uses"):
        Index(default_library(), lexicon)


def test_synonym_phrase_the_content_never_says_fails(tmp_path):
    lexicon = load_lexicon(
        _write(tmp_path, synonyms=[{"phrases": ["clingy"], "means": ["blanket stranger"]}])
    )
    with pytest.raises(LexiconError, match="no content item says 'blanket stranger' as a phrase"):
        Index(default_library(), lexicon)


def test_the_same_phrase_in_two_entries_fails(tmp_path):
    lexicon = load_lexicon(
        _write(
            tmp_path,
            synonyms=[{"phrases": ["clingy"], "means": ["comfort"]}],
            out_of_scope=[{"topic": "x", "phrases": ["clinginess"], "health": False}],
        )
    )
    with pytest.raises(LexiconError, match="means the same words as one in synonyms"):
        Index(default_library(), lexicon)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What's normal?", ["what", "is", "normal"]),
        ("She won't let me leave", ["she", "will", "not", "let", "me", "leave"]),
        ("he doesn't smile, can't settle", ["he", "does", "not", "smile", "can", "not", "settle"]),
        ("dont isnt I'm", ["do", "not", "is", "not", "i", "am"]),
        ("my baby’s blanket", ["my", "baby", "blanket"]),
        ("good-bye!", ["good", "bye"]),
        ("wat shud he b doing", ["what", "should", "he", "be", "doing"]),
        ("r u sure, cud it be", ["are", "you", "sure", "could", "it", "be"]),
        ("plan b is fine", ["plan", "b", "is", "fine"]),
    ],
)
def test_words_spell_out_contractions(text, expected):
    assert words(text) == expected
