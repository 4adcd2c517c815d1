"""Words parents type instead of the answer a step asked for: ways out, names said in a sentence, questions."""

import pytest

from bot.core.step_words import StepWord, escape_word, is_question, is_stopping, said_name, step_word


@pytest.mark.parametrize(
    "text",
    [
        "what's normal at 10 months?",
        "What’s normal at 10 months",
        "how do I help with tantrums",
        "is stranger anxiety normal",
        "why does she cry when I leave",
        "my 8 month old cries when I leave the room",
        "8 month old keeps crying at night",
        "she cries a lot",
        "help please",
        "normal?",
        "Is this normal?",
        "when do babies start to crawl",
        "does my baby know me",
        "hi there",
    ],
)
def test_questions_and_sentences_about_a_child_are_questions(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mia",
        "Jo-Ann",
        "Noah James",
        "Will",
        "Will Smith",
        "Baby",
        "Baby Leo",
        "Mary Ann Lee",
        "D'Arcy",
        "Zoë",
        "O'Brien",
        "Isabella",
        "Hope",
        "15 March 2026",
        "03/04/2026",
        "10 months",
        "skip",
        "",
        "?",
    ],
)
def test_names_dates_and_short_answers_are_not_questions(text: str) -> None:
    assert not is_question(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("skip", StepWord.SKIP),
        ("Skip.", StepWord.SKIP),
        ("I don’t know", StepWord.SKIP),
        ("not sure", StepWord.SKIP),
        ("no", StepWord.SKIP),
        ("idk", StepWord.SKIP),
        ("Back", StepWord.BACK),
        ("go back!", StepWord.BACK),
        ("cancel", StepWord.CANCEL),
        ("never mind", StepWord.CANCEL),
        ("stop", StepWord.CANCEL),
        ("not right now", StepWord.CANCEL),
        ("I made a mistake", StepWord.FIX),
        ("Wrong date!", StepWord.FIX),
        ("oops, wrong date", StepWord.FIX),
        ("sorry, I made a typo", StepWord.FIX),
        ("no wait, go back please", StepWord.BACK),
        ("oh never mind", StepWord.CANCEL),
        ("sorry", None),
        ("ok", None),
        ("what's wrong with my baby", None),
        ("Mia", None),
        ("no idea what you mean by corrected age", None),
        ("backpack", None),
    ],
)
def test_ways_out_are_whole_messages(text: str, word: StepWord | None) -> None:
    assert step_word(text) is word


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("skip", StepWord.SKIP),
        ("later", StepWord.SKIP),
        ("no", None),  # with nothing asked, "no" and "not sure" are ordinary replies
        ("not sure", None),
        ("never mind", StepWord.CANCEL),
        ("wrong name", StepWord.FIX),
        ("go back", StepWord.BACK),
    ],
)
def test_with_nothing_asked_only_plain_ways_out_count(text: str, word: StepWord | None) -> None:
    assert escape_word(text) is word


def test_stop_with_nothing_asked_may_be_about_the_tips() -> None:
    assert is_stopping("Stop!")
    assert is_stopping("quit")
    assert not is_stopping("never mind")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Her name is Mia", "Mia"),
        ("his name's Leo.", "Leo"),
        ("we call him Noah James", "Noah James"),
        ("She’s called Jo-Ann", "Jo-Ann"),
        ("it's Maya", "Maya"),
        ("name: Ava", "Ava"),
        ("Mia", None),
        ("Itsuki", None),
        ("what's normal at 10 months?", None),
    ],
)
def test_a_name_said_in_a_sentence_is_read_out_of_it(text: str, name: str | None) -> None:
    assert said_name(text) == name
