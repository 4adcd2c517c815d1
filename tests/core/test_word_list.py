"""The compact English word list answers membership exactly as a set of the same words would."""

from __future__ import annotations

from bot.core.language import WordList, is_english_word

WORDS = ["a", "cat", "cot", "dog", "naïve", "zebra", "ça", "bunny", "works"]


def test_word_list_holds_exactly_its_words() -> None:
    words = WordList(WORDS)
    probes = [*WORDS, "", "b", "cab", "do", "dogs", "naive", "zebras", "c", "zzzzz", "ca", "Cat"]
    for probe in probes:
        assert (probe in words) == (probe in set(WORDS)), probe
    assert 3 not in words


def test_real_words_are_english_and_typos_are_not() -> None:
    assert is_english_word("Bunny")
    assert is_english_word("moving")
    assert not is_english_word("teehting")
    assert not is_english_word("")
