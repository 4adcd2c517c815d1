"""content/conversation.yaml: the conversation's word lists are data, checked on load so a typo fails loudly."""

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.conversation import child_steps, detours, formats
from bot.core import age_phrases, answers, language, safety_reply, step_words
from content.conversation import (
    CONVERSATION_PATH,
    ConversationWordsError,
    conversation_words,
    load_conversation_words,
)


def test_the_packaged_lists_load_and_are_what_the_conversation_reads():
    words = load_conversation_words()
    assert words == conversation_words()
    assert child_steps.SAME_DAY_ALONE is conversation_words().same_day_alone
    assert "same day as" in child_steps.SAME_DAY_AS
    assert "twin sister" in child_steps.SIBLING_WORDS
    assert "grandson" in child_steps.RELATIONS
    assert "full term" in child_steps.ON_TIME
    assert "another tip" in detours.TIP_WORDS
    assert "not for us" in detours.NOT_FOR_US_WORDS
    assert "let's carry on" in detours.CARRY_ON_WORDS
    assert formats.read_per_week("every day") == 7  # more_often
    assert formats.read_per_week("could you send them twice a week please") == 2  # asking
    assert child_steps.no_name_yet("we haven't picked one yet")  # not_named_yet_before, not_named_yet_verbs
    assert child_steps.said_yes("yes that's right")
    assert not child_steps.said_yes("yes but later")  # not_yes_words
    assert detours._PUT_OFF.search("but not today")  # put_off
    assert detours._PLACE_SAID.search("we're based in leeds")  # place_verbs
    assert detours._changes_schedule("can i switch the timezone")  # schedule_verbs, schedule_whats
    assert not detours._changes_schedule("can i change the time to when she naps")  # child_words
    assert detours._WRONG.search("i made a typo")  # wrong_words
    assert detours._DETAIL.search("her date of birth")  # detail_words
    assert not detours._DETAIL.search("his birthday party")  # not_the_detail
    assert answers._BYE is conversation_words().goodbyes
    assert "everyone" in answers._SMALL_TALK_FILLER
    assert "joined" in answers._PLEASANTRY_WORDS
    assert "que" in language.NOT_ENGLISH
    assert answers._GOODBYE_ALONE.match("ok laters")  # goodbye_alone
    assert age_phrases._foreign_word_age("casi dos años") is not None  # foreign_nearly, foreign_numbers
    assert age_phrases._FOREIGN_ONE_WORD["półtora"] == 18  # foreign_word_ages
    assert answers._GREETING_PHRASE.search("happy  mothers day")  # happy_occasions, any white space
    assert answers._GREETING_PHRASE.search("are you a real robot")  # bot_words
    assert age_phrases._JOINED_AT.search("she was placed with us aged about ")  # joined_family, roughly_words
    assert age_phrases._HOME_FOR.search("been in our family nearly 3 months")  # home_for, roughly_words
    assert answers._PRAISE is conversation_words().praise_words
    assert answers._THANKS is conversation_words().thanks_words
    assert answers._GREETING is conversation_words().greeting_words
    assert answers._PRAISE_PHRASE.search("love this bot")  # praise_phrases
    assert answers._NOT_PRAISED.search("that wasn't really useful")  # negations
    introduced = step_words.introduced_name("our baby girl Ava")  # kin_words, "baby girl" before "baby"
    assert introduced is not None
    assert introduced.words == "Ava"
    # Moved from the code in session 11:
    assert answers._A_CHILD.search("i've got a headache and so has my lo")  # child_words
    assert not answers._A_CHILD.search("i've got a headache")
    assert child_steps.how_early("no, 3 weeks early", date(2026, 3, 15)) is not None  # leading_no
    assert child_steps.said_not_early("2 weeks overdue")  # late_words
    assert detours._YES_FIRST.sub("", "yep 15 March 2026") == "15 March 2026"  # yes_first
    assert answers._SINGLED_OUT.search("the baby's the one i'm worried about")  # singled_out_youngest
    assert answers._SINGLED_OUT.search("worried about the older one")  # singled_out_eldest
    assert "reassuring" in answers._PRAISE  # praise_words
    assert safety_reply.speaks_for_self("we’re both exhausted")  # parent_too, a curly apostrophe
    assert safety_reply.speaks_for_self("he's struggling and honestly me")  # and_me_fillers
    assert detours.leaving("sorry I need to go, can we do this later?")  # leaving
    assert not detours.leaving("is it normal she cries when I have to go to work?")
    assert not detours.leaving("she's crying. have to go?")  # leaving_asked
    assert detours.leaving("ok gtg")
    assert child_steps.without_months_as_names("April & May, Mia") == "& Mia"  # months_as_names
    assert child_steps.name_then_when("Leo who is 8 months", date(2026, 11, 29)) == ("Leo", "8 months")
    assert step_words.said_name("we call her a water baby") is None  # not_name_starts
    assert child_steps.given_name_after_surname("Kowalski, Anna") == child_steps.SurnameFirst(
        "Kowalski", "Anna"
    )
    assert child_steps.given_name_after_surname("Noah, Ella") is None
    assert child_steps.given_name_after_surname("Harrison, Riley") is None  # a first name too: two names
    assert step_words.step_word("oops, go back please") is step_words.StepWord.BACK  # back_words
    assert step_words.escape_word("not sure") is None  # plain_skip
    assert step_words.is_later("i'll tell you later")  # later_words
    assert step_words.is_stopping("quit")  # stopping_words
    assert step_words.unsure_first("no idea, I'll ask") == ("no idea", "I'll ask")  # unsure_words
    assert detours.returning("hi, I'm back")  # returning
    assert child_steps.relation_said("for my daughter, her baby girl was born today") == "granddaughter"
    assert child_steps.without_hedges("umm like 20th sept i think") == "20th sept"  # date_hedges
    assert formats.read_days_said("sunday is fine") == frozenset({6})  # asking_after
    assert "yes please" in child_steps.YES
    assert "no thanks" in child_steps.NO
    assert "a different one" in child_steps.ANOTHER_DUE_DATE
    assert "same one" in child_steps.SAME_AS_TWIN
    assert "nah" in child_steps.NO_OPENERS
    assert "yup" in child_steps.YES_OPENERS
    assert "preemie" in child_steps.EARLY_WORDS
    assert "triplets" in child_steps.MULTIPLES
    assert child_steps.mentions_multiples("we have twin boys")  # multiples_phrases
    assert "pause my tips" in detours.PAUSE_WORDS
    assert "start over" in detours.AFRESH_WORDS
    assert "thx" in answers._THANKS
    assert "hiya" in answers._GREETING


def _write(tmp_path: Path, change: dict[str, object]) -> Path:
    raw = yaml.safe_load(CONVERSATION_PATH.read_text(encoding="utf-8"))
    raw.update(change)
    path = tmp_path / "conversation.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"tip_words": ["another tip", "Another Tip"]}, "tip_words: 'Another Tip'"),
        ({"on_time": ["on time", "full term."]}, "on_time: 'full term.'"),
        ({"relations": ["son", "son"]}, "relations: 'son' is listed twice"),
        ({"not_a_name": ["this is"]}, "not_a_name: 'this is' must be one word"),
        ({"more_often": ["every-day"]}, "more_often: 'every-day' may have only letters"),
        ({"sibling_words": []}, "sibling_words: needs at least one entry"),
        ({"place_verbs": ["live", "based in"]}, "place_verbs: 'based in' must be one word"),
        (
            {"wrong_words": ["mistake", "fix|wrong"]},
            "wrong_words: 'fix|wrong' may have only letters, apostrophes",
        ),
        (
            {"foreign_numbers": {"dos": 2, "zwei drei": 2}},
            "foreign_numbers: 'zwei drei' must be one word of letters",
        ),
        ({"foreign_word_ages": {"roczek": 0}}, "foreign_word_ages.roczek"),
        ({"goodbyes": ["bye", "Bye"]}, "goodbyes: 'Bye'"),
        ({"happy_occasions": ["easter", "mother'?s day"]}, 'happy_occasions: "mother\'?s day" may have only'),
        ({"tip_wrods": ["tip"]}, "tip_wrods"),
        ({"skip_other_words": ["no", "pass"]}, "skip_other_words: 'pass' is in plain_skip already"),
        ({"surnames": ["smith", "Smith"]}, "surnames: 'Smith'"),
        (
            {"skip_other_words": ["no", "dunno"]},
            "skip_other_words: 'dunno' is in unsure_words already",
        ),
        ({"stopping_words": ["stop", "halt"]}, "stopping_words: 'halt' is not one of cancel_words"),
        (
            {"leaving_asked": ["have to go", "have to leave"]},
            "leaving_asked: 'have to leave' is not one of leaving",
        ),
    ],
)
def test_a_typo_in_the_lists_fails_with_the_entry_named(
    tmp_path: Path, change: dict[str, object], named: str
):
    with pytest.raises(ConversationWordsError, match=None) as raised:
        load_conversation_words(_write(tmp_path, change))
    assert named in str(raised.value)


def test_a_missing_list_fails(tmp_path: Path):
    raw = yaml.safe_load(CONVERSATION_PATH.read_text(encoding="utf-8"))
    del raw["on_time"]
    path = tmp_path / "conversation.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ConversationWordsError, match="on_time"):
        load_conversation_words(path)


def test_a_word_given_twice_in_a_mapping_fails(tmp_path: Path):
    text = CONVERSATION_PATH.read_text(encoding="utf-8").replace('"dos": 2,', '"dos": 2, "dos": 3,', 1)
    path = tmp_path / "conversation.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConversationWordsError, match="'dos' is listed twice"):
        load_conversation_words(path)
