"""Retrieval: stemming, synonyms, misspellings, intents and out-of-scope phrases claiming their words."""

import pytest

from bot.core.retrieval import Index, index_for
from content import default_library, load_library
from content.lexicon import Intent, default_lexicon

INDEX = index_for(default_library())


def top(question: str) -> str:
    ranked = INDEX.rank(INDEX.analyse(question))
    assert ranked, question
    return ranked[0][0].id


def test_the_index_is_built_once_per_library():
    assert index_for(default_library()) is INDEX
    other = load_library()
    assert index_for(other) is not INDEX
    assert isinstance(index_for(other), Index)


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("seperation", "separation"),
        ("anxeity", "anxiety"),
        ("stanger", "stranger"),
        ("tantrams", "tantrums"),
        ("clingey", "clingy"),
        ("comfortt", "comfort"),
        ("attachmnet", "attachment"),
    ],
)
def test_common_misspellings_are_mended(typo, fixed):
    assert INDEX.correct(typo) == fixed


@pytest.mark.parametrize("word", ["cat", "zzzzzz", "separation", "blanket"])
def test_short_unknown_or_known_words_are_left_alone(word):
    assert INDEX.correct(word) == word


@pytest.mark.parametrize("mash", ["asdf", "qwer", "sdfg"])
def test_keyboard_mash_is_never_mended_into_a_short_clinical_word(mash):
    assert INDEX.correct(mash) == mash


def test_stemming_matches_other_forms_of_a_word():
    assert top("separating") == top("separation")
    assert top("imitating") == "sa-0-9-imitates"
    assert top("explores") == top("exploring")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("clingy", "sa-7-18-follows-caregiver"),
        ("scared of strangers", "sa-7-18-stranger-anxiety"),
        ("meltdown", "sa-16-24-name-feelings"),
        ("tantrums", "sa-16-24-name-feelings"),
        ("cries when I leave the room", "sa-7-18-follows-caregiver"),
        ("security blanket", "sa-7-18-comfort-object"),
        ("pretend play with dolls", "sa-16-24-pretend-play"),
    ],
)
def test_parent_words_find_content_through_synonyms(question, expected):
    assert top(question) == expected


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("is it normal that he cries", Intent.NORMAL),
        ("what's typical at 10 months", Intent.NORMAL),
        ("is he on track", Intent.NORMAL),
        ("how do I help him", Intent.HELP),
        ("what should I do about tantrums", Intent.HELP),
        ("why does she cry", Intent.WHY),
        ("what is separation anxiety", Intent.WHY),
        ("why is separation anxiety normal", Intent.WHY),  # equal length: the first said wins
        ("clingy", None),
    ],
)
def test_intent(question, intent):
    assert INDEX.analyse(question).intent is intent


def test_out_of_scope_phrases_claim_their_words():
    query = INDEX.analyse("when will my baby start walking")
    assert not query.in_scope
    assert [s.topic for s in query.out_of_scope] == [
        "physical milestones such as rolling, sitting, crawling and walking"
    ]
    assert "walk" not in query.terms  # "walk" in the background text must not be dragged in


def test_a_longer_in_scope_phrase_beats_an_out_of_scope_word():
    query = INDEX.analyse("she cries when I walk out of the room")
    assert query.in_scope
    assert query.out_of_scope == ()


def test_the_question_pointing_more_at_the_content_wins():
    assert INDEX.analyse("she cries when I leave at bedtime").in_scope


def test_an_everyday_word_counts_half_against_an_uncovered_subject():
    query = INDEX.analyse("she won't sleep unless I hold her")
    best = INDEX.scored(query)[0]
    assert INDEX.explained(best, query) < query.out_of_scope_words


def test_real_english_words_are_never_mended_into_content_words():
    for word in ("works", "moving", "bunny"):
        assert INDEX.correct(word) == word


def test_negation_marks_the_words_it_reaches():
    query = INDEX.analyse("my baby doesn't cry when I leave")
    assert query.negated
    assert "!cri" in query.marked
    assert "cri" not in query.marked
    assert INDEX.rank(query)[0][0].id == "sa-21-36-separates"
    assert INDEX.rank(INDEX.analyse("my baby cries when I leave"))[0][0].id != "sa-21-36-separates"


def test_baby_and_toddler_hint_an_age():
    assert [(h.first_month, h.last_month) for h in INDEX.analyse("my toddler is clingy").hints] == [(19, 36)]
    assert [(h.first_month, h.last_month) for h in INDEX.analyse("my baby is clingy").hints] == [(0, 12)]


def test_unknown_words_are_reported():
    assert INDEX.analyse("my baby wiggles his hands").unknown == ("wiggles",)
    assert INDEX.analyse("my baby is clingy").unknown == ()


def test_the_default_lexicon_is_shared():
    assert INDEX.lexicon is default_lexicon()


def test_very_long_words_are_not_mended():
    # The delete index would take quadratic time in the word's length; anything this long is not a word.
    assert INDEX.correct("a" * 5000) == "a" * 5000
    assert not INDEX.analyse("seperation" + "x" * 30).terms


def test_an_uncovered_word_said_again_counts_once():
    query = INDEX.analyse("she keeps crawling off and crawling back and crawling off again")
    assert query.out_of_scope_words == 1.0


def test_an_uncovered_subject_that_only_sets_the_scene_weighs_half():
    scene = INDEX.analyse("she cries while I'm feeding her")
    asked = INDEX.analyse("how much should she be feeding")
    assert scene.out_of_scope_words < 1.0 < asked.out_of_scope_words


def test_a_request_frame_points_at_its_subject():
    for question in ("any teething remedies", "tips for a long flight", "which car seat"):
        query = INDEX.analyse(question)
        assert query.out_of_scope_words >= 2.0, question


def test_the_verb_of_how_do_i_is_what_the_parent_does():
    query = INDEX.analyse("how do I talk to a baby who can't talk back")
    assert "talk" in query.asked
    assert query.out_of_scope_words < 2.0  # "can't talk" is not what is asked
