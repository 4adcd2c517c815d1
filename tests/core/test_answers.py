"""Answers to realistic parent questions: the right content items, honest refusals, safe Telegram HTML."""

import re
from datetime import date
from html import escape

import pytest

from bot.core.age_phrases import find_ages
from bot.core.ages import describe_months
from bot.core.answers import (
    DOCTOR,
    EXAMPLES,
    PACE,
    SHORT_CHARS,
    URGENT,
    Answer,
    ChildInfo,
    Scope,
    answer,
    listed_text,
    more_page,
    more_text,
    typical_now,
)
from bot.core.reply import MAX_MESSAGE_CHARS, SHORT_MESSAGE_CHARS
from content import Band, Kind, Library, default_library

TODAY = date(2026, 11, 29)
LIBRARY = default_library()
ALL_BANDS = ["sa-band-0-9", "sa-band-7-18", "sa-band-16-24", "sa-band-21-36"]
BABY_BANDS = ["sa-band-0-9", "sa-band-7-18"]  # "baby" hints at the first year when no age is known
TODDLER_BANDS = ["sa-band-16-24", "sa-band-21-36"]


def ask(question: str, child: ChildInfo | None = None, call: str = "your local emergency number") -> Answer:
    return answer(question, library=LIBRARY, today=TODAY, child=child, call=call)


def band(band_id: str) -> Band:
    found = LIBRARY.band(band_id)
    assert found is not None
    return found


def assert_only_content_guidance(result: Answer, library: Library = LIBRARY) -> None:
    """Every bullet is content text (an item or a stage summary), every item shown is in the text, the
    markup is the little Telegram HTML we use, and the message fits."""
    assert len(result.text) < MAX_MESSAGE_CHARS
    assert set(re.findall(r"</?[a-z]+>", result.text)) <= {"<b>", "</b>", "<i>", "</i>"}
    assert result.text.count("<b>") == result.text.count("</b>")
    assert result.text.count("<i>") == result.text.count("</i>")
    known = {escape(listed_text(item), quote=False) for item in library.items()} | {
        f"<b>{b.label}</b>: {escape(b.parent, quote=False)}" for b in library.bands
    }
    for line in result.text.splitlines():
        if line.startswith("• "):
            body = re.sub(r" <i>\([^)]*\)</i>$", "", line[2:])
            assert body in known, f"not content text: {line!r}"
    for item in result.items:
        assert escape(listed_text(item), quote=False) in result.text


# (question, ids of which one must be among the first shown, the id shown first or None, the bands the
# answer is about)
REALISTIC = [
    (
        "my 8 month old cries when I leave the room",
        {"sa-7-18-follows-caregiver", "sa-0-9-separation-anxiety", "sa-7-18-say-goodbye"},
        "sa-7-18-follows-caregiver",
        ["sa-band-0-9", "sa-band-7-18"],
    ),
    ("is stranger anxiety normal?", {"sa-7-18-stranger-anxiety"}, "sa-7-18-stranger-anxiety", ALL_BANDS),
    ("my 14 month old is scared of strangers", {"sa-7-18-stranger-anxiety"}, None, ["sa-band-7-18"]),
    (
        "My 10 month old is so clingy, is that normal?",
        {"sa-7-18-comfort-object", "sa-7-18-follows-caregiver"},
        None,
        ["sa-band-7-18"],
    ),
    (
        "how do I help my 9 month old with seperation anxeity",
        {"sa-7-18-say-goodbye", "sa-0-9-separation-anxiety", "sa-bg-separation-anxiety"},
        "sa-7-18-say-goodbye",
        ["sa-band-0-9", "sa-band-7-18"],
    ),
    (
        "my 2 year old has tantrums, what should I do?",
        {"sa-16-24-name-feelings", "sa-21-36-empathy"},
        "sa-16-24-name-feelings",
        ["sa-band-16-24", "sa-band-21-36"],
    ),
    (
        "my 18 month old has meltdowns at daycare drop off",
        {"sa-7-18-say-goodbye", "sa-16-24-closeness-distress", "sa-16-24-name-feelings"},
        None,
        ["sa-band-7-18", "sa-band-16-24"],
    ),
    (
        "why does my baby only want me?",
        {"sa-bg-separation-anxiety", "sa-0-9-seeks-comfort"},
        None,
        BABY_BANDS,
    ),
    ("what is secure attachment?", {"sa-bg-foundation"}, "sa-bg-foundation", ALL_BANDS),
    ("why is separation anxiety normal", {"sa-bg-separation-anxiety"}, "sa-bg-separation-anxiety", ALL_BANDS),
    ("is it normal that my 3 month old doesn't smile?", {"sa-0-9-smiles-coos"}, "sa-0-9-smiles-coos", None),
    ("my 6 month old won't let anyone else hold her", {"sa-0-9-separation-anxiety"}, None, ["sa-band-0-9"]),
    (
        "how do I say goodbye at nursery without tears",
        {"sa-7-18-say-goodbye", "sa-21-36-prepare-separation"},
        "sa-7-18-say-goodbye",
        ALL_BANDS,
    ),
    ("my toddler hits other kids", {"sa-16-24-limits", "sa-16-24-model"}, None, TODDLER_BANDS),
    ("is my baby spoiled if I pick her up when she cries", {"sa-0-9-responsive-care"}, None, BABY_BANDS),
    (
        "my 20 month old runs off at the park but keeps coming back",
        {"sa-16-24-plays-farther", "sa-bg-checking-in"},
        "sa-16-24-plays-farther",
        ["sa-band-16-24"],
    ),
    ("how can I help my 2.5 year old with big feelings", {"sa-21-36-empathy"}, "sa-21-36-empathy", None),
    (
        "my 30 month old tells me about his day, how should I respond",
        {"sa-21-36-conversation"},
        None,
        ["sa-band-21-36"],
    ),
    (
        "how do I bond with my newborn",
        {"sa-0-9-hold-cuddle", "sa-0-9-responsive-care"},
        None,
        ["sa-band-0-9"],
    ),
    ("she ignores me when I pick her up from daycare", {"sa-7-18-reconnect"}, None, ALL_BANDS),
    ("my 11 month old looks at me before approaching new people", {"sa-7-18-social-referencing"}, None, None),
    (
        "is it ok that my toddler prefers dad",
        {"sa-16-24-other-adults", "sa-0-9-prefers-familiar"},
        None,
        None,
    ),
    ("why does my 15 month old follow me to the bathroom", {"sa-7-18-follows-caregiver"}, None, None),
    ("am I a bad parent if I go back to work", {"sa-bg-good-enough", "sa-7-18-say-goodbye"}, None, None),
    ("my 4 month old avoids eye contact", {"sa-0-9-eye-contact"}, "sa-0-9-eye-contact", ["sa-band-0-9"]),
    # "feed" alone is not enough to call a question about pretend play a feeding question.
    ("my 22 month old pretends to feed her doll", {"sa-16-24-pretend-play"}, "sa-16-24-pretend-play", None),
    ("she copies everything I do", {"sa-0-9-imitates"}, "sa-0-9-imitates", ALL_BANDS),
    ("my 9 month old gets upset when grandma holds her", {"sa-0-9-separation-anxiety"}, None, None),
    ("Our 1-year-old has a favourite teddy he drags everywhere", {"sa-7-18-comfort-object"}, None, None),
    (
        "my 7 month old checks my face when a stranger talks to her",
        {"sa-7-18-social-referencing"},
        None,
        None,
    ),
    ("how can I make my 2 year old feel confident and loved", {"sa-bg-self-worth"}, None, None),
]


@pytest.mark.parametrize(("question", "must", "first", "bands"), REALISTIC, ids=[r[0] for r in REALISTIC])
def test_realistic_questions_surface_the_right_items(question, must, first, bands):
    result = ask(question)
    shown = [item.id for item in result.items]
    assert result.in_scope, result.text
    assert result.scope is Scope.IN
    assert must & set(shown[:4]), shown
    if first is not None:
        assert shown[0] == first, shown
    if bands is not None:
        assert [band.id for band in result.bands] == bands
    assert_only_content_guidance(result)
    assert len(result.text) <= SHORT_CHARS
    assert len(shown) <= 4
    # said once: in the lead when what is typical comes first, else as a note under the items
    said = (PACE in result.text) + ("every child develops at their own pace." in result.text.split("\n")[0])
    assert said == any(item.kind is Kind.INDICATOR for item in result.items), result.text


def test_whats_normal_at_10_months_gives_the_7_18_indicators_then_more():
    result = ask("what's normal at 10 months?")
    assert result.age_months == 10
    assert [band.id for band in result.bands] == ["sa-band-7-18"]
    indicators = [item.id for item in band("sa-band-7-18").indicators]
    assert [item.id for item in result.items] == indicators[:3]
    assert [item.id for item in result.more] == indicators[3:]
    assert result.text.startswith("Common patterns at <b>10 months</b>, not a checklist")
    assert len(result.text) <= SHORT_CHARS
    assert_only_content_guidance(result)


def test_how_can_i_help_gives_the_strategies_of_the_stage():
    result = ask("how can I help my 1 year old?")
    strategies = [item.id for item in band("sa-band-7-18").strategies]
    assert [item.id for item in result.items] == strategies[:3]
    assert [item.id for item in result.more] == strategies[3:]


def test_overlapping_stages_each_get_a_turn():
    result = ask("what's typical at 8 months?")
    assert [band.id for band in result.bands] == ["sa-band-0-9", "sa-band-7-18"]
    assert {item.band_id for item in result.items} == {"sa-band-0-9", "sa-band-7-18"}
    assert all(item.kind is Kind.INDICATOR for item in result.items)
    assert "<i>(Birth to 9 months)</i>" in result.text
    assert "<i>(7 to 18 months)</i>" in result.text


def test_intent_decides_which_kind_comes_first():
    normal = ask("is it normal that my 8 month old cries when I leave?")
    help_ = ask("what should I do when my 8 month old cries when I leave?")
    why = ask("why does my 8 month old cry when I leave?")
    assert normal.items[0].kind is Kind.INDICATOR
    assert help_.items[0].kind is Kind.STRATEGY
    assert why.items[0].kind is Kind.BACKGROUND


def test_no_age_and_no_child_answers_across_all_stages():
    result = ask("what's normal?")
    assert result.age_months is None
    assert [band.id for band in result.bands] == ALL_BANDS
    assert len({item.band_id for item in result.items}) == 3
    assert [b.id for b, _ in result.by_stage] == ALL_BANDS  # for a "how old is your child?" choice
    assert_only_content_guidance(result)


def test_a_question_about_another_stage_says_which_stage():
    result = ask("my 2 year old wants his blanket all the time")
    assert [item.id for item in result.items] == ["sa-7-18-comfort-object"]
    assert result.text.startswith(
        "The guidance describes this at <b>7 to 18 months</b> rather than at 2 years:"
    )
    assert "<i>(7 to 18 months)</i>" in result.text


def test_another_stage_that_the_words_point_at_far_more_strongly_answers():
    # 21-36 months says nothing about wariness of new people: "talks" alone must not keep the answer there.
    result = ask(
        "my son is 27 months and hides behind my legs whenever someone new talks to him, is that ok?"
    )
    assert result.items[0].id == "sa-7-18-stranger-anxiety"
    assert "rather than at 2 years 3 months" in result.text
    # ... nor for everyday words an item of the child's own stage explains as well ("looking at faces").
    result = ask("my newborn likes looking at faces more than toys, is that normal?")
    assert result.items[0].id == "sa-0-9-eye-contact"
    # ... nor for a behaviour the question negates ("doesn't mind strangers").
    result = ask("is it weird that my 4 month old doesnt mind strangers at all? she smiles at everyone")
    assert {item.band_id for item in result.items} <= {"sa-band-0-9", None}


def test_a_hard_start_is_a_question_about_the_bond_not_about_birth():
    result = ask(
        "had an emergency c-section and couldn't hold her for a day, have we missed the bonding window?"
    )
    assert result.in_scope, result.text
    assert {"sa-0-9-hold-cuddle", "sa-bg-trust", "sa-0-9-responsive-care"} & {i.id for i in result.items[:3]}


def test_cold_as_a_feeling_is_no_illness():
    result = ask("my 2 year old is cold with me after a weekend at his dad's, should I give him space?")
    assert result.in_scope, result.text
    assert ask("my 1 year old has had a cold for a week, how long do colds last").scope is Scope.OUT


def test_too_attached_is_answered_by_what_a_secure_bond_does():
    result = ask("is it possible for a baby to be too attached to their mum? mine is 9 months")
    assert {"sa-bg-less-proximity", "sa-bg-foundation", "sa-bg-secure-base"} & {
        i.id for i in result.items[:3]
    }


def test_what_is_typical_emotionally_in_text_speak_is_the_stage_overview():
    result = ask("wat shud my 1yr old b doing by now emotionally")
    assert result.items
    assert all(item.kind is Kind.INDICATOR for item in result.items[:3])
    assert {item.band_id for item in result.items} <= {"sa-band-7-18"}


def test_hearing_a_parent_is_no_hearing_test():
    result = ask("is it bad that I work from home and my 14 month old can hear me but can't be with me")
    assert result.in_scope, result.text


def test_can_you_tell_frames_the_question_rather_than_being_its_subject():
    assert ask("how early can you tell if a baby has autism").scope is Scope.OUT


def test_not_saying_hello_is_shyness_not_speech():
    result = ask(
        "my nephew is 2y 3m and hides behind my legs at parties, won't say hi to anyone. is that normal?"
    )
    assert "speech" not in result.text
    assert ask("she's 20 months and not saying much, should I worry").scope is Scope.OUT


def test_a_hello_that_says_the_childs_age_is_a_hello():
    result = ask("hiya just joined, my lo is 4 months")
    assert result.scope is Scope.SMALLTALK
    assert result.age_months == 4
    assert ask("hi, my 4 month old cries when I leave").in_scope


def test_a_holiday_of_two_weeks_is_no_age():
    result = ask("we're going on a 2 week holiday without our 18 month old, will she forget us")
    assert result.age_months == 18
    assert result.in_scope, result.text


def test_toys_are_no_shopping_unless_bought():
    assert ask("my toddler gets upset when other kids take her toys, how should I step in").in_scope
    assert ask("how do I get my 3 year old to share his toys").scope is Scope.OUT


def test_a_reaction_to_an_uncovered_activity_is_not_the_contents_subject():
    # How the child reacts ("screams", "hates") is not what the guidance explains when the subject is bath
    # time, a car seat or tummy time; a reaction to a person ("only settles for me") still is.
    assert ask("my 3 month old hates tummy time and cries all the way through").scope is Scope.OUT
    assert ask("she screams in the car seat every single trip, 5 months").scope is Scope.OUT
    assert ask("getting him dressed is a battle every morning, he wails").scope is Scope.OUT
    assert ask("my 3 month old only stops crying for me, not when his dad walks him round").in_scope
    # Time words ("after 30 seconds", "next week") and a fear of the subject itself say nothing of the bond.
    assert ask("my 4 month old hates tummy time, cries after 20 seconds, do i keep at it?").scope is Scope.OUT
    assert ask("my 2 year old is frightened of the bath and screams as soon as i run it").scope is Scope.OUT
    assert ask("he has his jabs next week, any tips for after? 4 months").scope is Scope.OUT


def test_bonding_milestones_are_what_is_typical_at_that_age():
    result = ask("what are the attachment milestones at 4 months")
    assert result.in_scope
    assert result.items[0].kind is Kind.INDICATOR, result.text
    assert result.items[0].band_id == "sa-band-0-9", result.text


def test_what_a_bond_does_later_in_life_is_background():
    result = ask("how will a secure attachment help my 2 year old later in life")
    assert result.in_scope
    assert Kind.BACKGROUND in {i.kind for i in result.items[:3]}, result.text


def test_is_it_worth_it_asks_about_the_subject_not_self_worth():
    # "worth it" frames a question about an uncovered activity; the self-worth the guidance explains stays its own.
    assert ask("is baby massage worth it").scope is Scope.OUT
    assert ask("are baby classes worth it at 5 months").scope is Scope.OUT
    result = ask("how can I help my 2 year old's self worth")
    assert result.in_scope
    assert "sa-bg-self-worth" in [i.id for i in result.items], result.text


def test_skin_creams_and_the_parents_own_time_are_uncovered():
    assert ask("my 2 yo has eczema flaring up on her legs, which cream is best").scope is Scope.OUT
    result = ask("I feel so touched out and never get alone time, baby is 6 months")
    assert result.scope is Scope.OUT
    assert "your own doctor" in result.text.lower() or "own doctor" in result.text.lower()


def test_what_a_grown_up_does_is_no_milestone_of_the_childs():
    result = ask("I'd like to start talking to my 4 month old more, how do I go about it?")
    assert result.in_scope, result.text
    assert ask("when will my 18 month old start talking?").scope is Scope.OUT


def test_a_back_story_before_the_question_is_not_what_is_asked():
    # Uncovered subjects said before a closing question about the bond set the scene.
    result = ask(
        "dad here, I work long hours and only see my 11 month old at bath and bedtime, will she still bond with me"
    )
    assert result.in_scope, result.text
    assert ask("my 9 month old wakes every night, is that normal?").scope is Scope.OUT


def test_an_uncovered_subject_the_parent_sets_aside_is_not_what_is_asked():
    result = ask(
        "the bottle feeding is going fine, that's not what I'm asking. when my mum feeds him, my 7 month old "
        "keeps looking round for me. why?"
    )
    assert result.in_scope, result.text
    assert "feeding" not in result.text
    result = ask(
        "he has eczema which the GP is looking into. different question: how do I help my 18 month old cope "
        "with his new childminder?"
    )
    assert result.in_scope, result.text
    assert "illness" not in result.text
    # "nothing medical to ask" sets aside the child's condition said before it
    result = ask(
        "my 20 month old has Down syndrome. Nothing medical to ask, how can I tell our bond is strong?"
    )
    assert result.in_scope, result.text
    # Set aside before the question, never the question itself.
    assert ask("not asking about bonding, how much milk should my 4 month old drink?").scope is Scope.OUT
    assert (
        ask("sleep is going well but how do I get my 1 year old to drop the night feeds?").scope is Scope.OUT
    )


@pytest.mark.parametrize(
    "question",
    [
        "what vaccines does my 10 month old need before we move to Spain?",  # "what <subject>" asks about it
        "is my 15 month old clingy because she's ill? she's hot and grumpy",  # the cause asked about
        "can babies catch covid from visiting grandad? mine is 9 months",  # catching an illness
        "how am I supposed to get any sleep myself when my 6 month old only naps for 20 minutes?",
    ],
)
def test_the_uncovered_subject_a_question_asks_about_is_refused(question):
    assert ask(question).scope is Scope.OUT


@pytest.mark.parametrize(
    "question",
    [
        "what bedtime routine helps with separation anxiety",  # the noun only describes the covered thing
        "what bedtime story helps her feel safe",
        "what baby massage helps bonding",
        "what nap time cuddles are ok",
        "what teething cuddles does she need",
        "what sibling jealousy is normal with a new baby",
    ],
)
def test_what_and_a_word_describing_a_covered_thing_is_answered(question):
    assert ask(question).scope is Scope.IN


@pytest.mark.parametrize(
    "question",
    [
        "she was in hospital for 3 days with bronchiolitis, is she ok to go to nursery",
        "he's just come home from hospital after an operation and won't let me out of sight",
        "we spent a week in hospital with him and now he's really clingy",
        "my baby is in hospital, can I stay with him overnight",
    ],
)
def test_the_childs_own_hospital_stay_keeps_the_childs_doctor(question):
    assert DOCTOR in ask(question, ChildInfo("Mia", date(2026, 1, 29))).text


@pytest.mark.parametrize(
    "question",
    [
        "my partner has multiple sclerosis, will it affect our baby's attachment",
        "my partner has MS, will it affect our baby's attachment",
    ],
)
def test_a_parents_own_condition_goes_to_their_own_doctor(question):
    text = ask(question).text
    assert "your own doctor" in text, text
    assert "your child's doctor" not in text
    assert "developmental conditions" not in text


@pytest.mark.parametrize(
    "question",
    [
        "is she clingy because I've been in hospital",
        "what can dad do to keep bonding with our newborn when he's on nights at the hospital all week?",
    ],
)
def test_a_parent_in_hospital_gets_no_childs_doctor(question):
    result = ask(question)
    assert result.in_scope, result.text
    assert "your child's doctor" not in result.text


def test_a_grown_up_in_hospital_is_no_illness_of_the_childs():
    result = ask(
        "my wife is in hospital and her mum is looking after our 2 year old this week. what should she do "
        "when he gets upset and asks for mummy?"
    )
    assert result.in_scope, result.text
    assert "doctor" not in result.text


@pytest.mark.parametrize(
    "question",
    [
        "nothing medical to ask but what dose of calpol for a 10 month old",
        "her cough is sorted but now she has a rash all over her tummy",
        "his ear infection is all sorted, but now he's got a high temperature again",
        "the eczema is on hold with the dermatologist, but now she's got blood in her nappy",
        "she's had diarrhoea for 3 days and I was on hold to the GP for an hour, she just wants me to hold her",
        "he has a cough and a temperature, nursery is going well though, should I keep him home",
        "she's been vomiting all night, otherwise going ok, how do I comfort her",
        "my 9 month old has had a fever for 3 days. separate worry: how do I settle her at nursery",
    ],
)
def test_a_worry_about_the_childs_health_is_never_set_aside(question):
    text = ask(question).text
    assert "doesn't cover illness" in text, text
    assert DOCTOR in text or "your child's doctor" in text.lower(), text


@pytest.mark.parametrize(
    "question",
    [
        "not asking about sleep, how do I stop him waking at 3am",
        "sleep is going fine, but how do I stop her waking every hour",
        "sleep is going fine apart from the night terrors",
        "potty training is on hold. how do I get him to use the potty at nursery",
    ],
)
def test_a_subject_set_aside_and_then_asked_about_is_still_what_is_asked(question):
    assert ask(question).scope is Scope.OUT


def test_keyboard_mash_is_not_taken_for_a_diagnosis():
    result = ask("asdf")
    assert "developmental conditions" not in result.text


def test_practical_questions_the_guidance_does_not_answer_are_refused_calmly():
    assert ask("how do I get my partner to help more with the baby").scope is Scope.OUT
    assert ask("when should she start nursery? she's 8 months").scope is Scope.OUT
    assert ask("she starts nursery next week, how do I help her settle? 2 years old").in_scope


def test_what_a_parent_tries_to_do_is_the_subject_not_the_scene():
    assert ask("my 2 year old screams when I try to brush her teeth, any tips").scope is Scope.OUT
    assert ask("she cries when I try to leave, any tips").in_scope


def test_the_childs_own_stage_is_preferred_when_it_answers():
    result = ask("six month old only calms down for me, not for her dad")
    assert {item.band_id for item in result.items} <= {"sa-band-0-9", None}
    assert "rather than" not in result.text


def test_how_do_i_always_gets_ways_to_help_from_the_childs_stage():
    for question in (
        "how can I bond with my 2 month old?",
        "newborn here, what can I do to build a strong bond",
    ):
        result = ask(question)
        assert result.items[0].kind is Kind.STRATEGY
        assert result.items[0].band_id == "sa-band-0-9"
        assert result.text.startswith(("Ways to help at", "Ways to help for a <b>newborn</b>"))


def test_incidental_words_never_refuse_a_question_the_content_answers():
    child = ChildInfo("Mia", date(2025, 3, 29))  # 20 months
    for question, expected in (
        ("she keeps running back to me at the playground", {"sa-16-24-plays-farther", "sa-bg-checking-in"}),
        ("she feeds her teddy and puts it to bed, is that normal?", {"sa-16-24-pretend-play"}),
    ):
        result = ask(question, child)
        assert result.in_scope, result.text
        assert expected & {item.id for item in result.items[:3]}
        assert URGENT not in result.text
        assert "doesn't cover" not in result.text


def test_a_negation_in_an_uncovered_subject_negates_only_the_word_next_to_it():
    # "can't find me" and "crawls" once made "not crawling", a physical milestone, and refused this.
    result = ask("my 10 month old crawls after me into the kitchen and sobs if she can't find me")
    assert result.in_scope, result.text
    assert "doesn't cover physical milestones" not in result.text
    assert not ask("is it normal that my 10 month old isn't crawling yet").in_scope


@pytest.mark.parametrize(
    "question",
    [
        "my 10 month old cries when I leave her at nursery even after a good nap",  # no "good nursery near"
        "my 30 month old asks me to stay until she falls asleep",
        "our 10 month old is teething and very clingy, is the clinginess normal",
    ],
)
def test_an_uncovered_subject_said_in_passing_never_refuses(question):
    assert ask(question).in_scope


@pytest.mark.parametrize(
    "question",
    [
        "how much milk should my 4 month old drink",
        "when should my baby sit up on her own",
        "how do I get my 11 month old to nap at nursery",
        "how many wet nappies should a newborn have",
        "is it normal he isn't walking yet at 14 months",
        "my 3 month old cries for hours every evening, is it colic",
        "should I teach my toddler the alphabet",
        "what daycare should I choose for my 1 year old",
        "when do babies recognise their name",
        "my newborn lost weight",
    ],
)
def test_an_uncovered_subject_the_question_is_about_is_refused(question):
    assert not ask(question).in_scope


@pytest.mark.parametrize(
    "question",
    [
        "she screams if I'm in a separate room",
        "she cries when I'm in a separate room",
        "cries when I go to a separate room",
    ],
)
def test_a_separate_room_with_no_word_of_sleep_is_separation_not_sleep(question):
    result = ask(question)
    assert "doesn't cover sleep" not in result.text
    assert "following you when you leave the room" in result.text


@pytest.mark.parametrize(
    "question",
    [
        "should the twins sleep in separate rooms?",
        "is it safe to put the twins' cots in separate rooms now they're 10 months old?",
        "when should I move her into her own room?",
    ],
)
def test_sleeping_in_separate_rooms_is_sleep(question):
    result = ask(question)
    assert "It doesn't cover sleep" in result.text
    assert result.items == ()


@pytest.mark.parametrize(
    ("question", "uncovered"),
    [
        ("is there a link between breastfeeding and bonding", "feeding and eating"),
        ("is there a link between screen time and attachment", "screens and media"),
        ("is there a link between dummies and attachment", "dummies and thumb sucking"),
    ],
)
def test_a_link_to_the_bond_is_answered_for_the_bond_with_a_line_for_the_other_part(question, uncovered):
    result = ask(question)
    assert result.in_scope, result.text
    assert result.items
    assert f"The guidance doesn't cover {uncovered}, so that part I can't answer from it." in result.text
    assert "so I can't answer that one" not in result.text


def test_a_link_between_two_things_the_guidance_does_not_cover_is_refused():
    result = ask("is there a link between reflux and crying")
    assert not result.in_scope
    assert "It doesn't cover illness and health" in result.text


def test_a_tie_with_an_uncovered_health_subject_goes_to_the_content_with_the_doctor():
    result = ask("my baby has a rash and is clingy")
    assert result.in_scope
    assert "doesn't cover illness and health" in result.text
    assert DOCTOR in result.text


def test_negation_changes_the_answer():
    cries = ask("my 30 month old cries when I leave")
    calm = ask("my 30 month old doesn't cry when I leave")
    assert calm.items[0].id == "sa-21-36-separates"
    assert cries.items[0].id != calm.items[0].id


def test_small_talk_is_no_question():
    for message in (
        "thank you",
        "hi",
        "ok",
        "👍",
        "Thanks so much!",
        "hey bot",
        "just wanted to say thanks",
        "that's really reassuring, thank you 😊",
        "super useful 👍",
        "i appreciate it",
    ):
        result = ask(message, ChildInfo("Mia", date(2026, 1, 29)))
        assert result.scope is Scope.SMALLTALK, message
        assert result.items == ()
        assert len(result.text) < 200


@pytest.mark.parametrize(
    "message",
    [
        "cheers, that was really useful xx",
        "hello all, only just joined",
        "thank u!!",
        "tysm",
        "okay, will give that a try",
        "morning! I'm a first time dad",
        "hello there, I have a question",
        "hi, can I ask you something",
        "you're a star",
        "love this bot 😍",
        "hmm",
        "hey there, could you help me?",  # a hello with an offer of help asks nothing yet
        "good morning, I need some help please",
        "hi, is anybody there?",  # checking someone listens asks nothing yet
        "thanks, that really helped with my 2 year old",  # a thanks that names an age is still a thanks
        "hi, just signed up",
        "hello, how are you today?",  # a greeting or a question to the bot itself asks nothing of the guidance
        "am I talking to a robot?",
        "Merry Christmas from us both x",
        "happy new year!!",
        "ok bye for now",  # a goodbye
        "catch you later",
        "later!",
        "see you later",
        "night night",
        "ttyl",
        "what's up?",
        "i'll give it a go tonight",  # an answer taken on board
        "is this a real human or a bot?",
    ],
)
def test_a_thanks_or_hello_padded_with_everyday_words_is_small_talk(message):
    result = ask(message, ChildInfo("Mia", date(2026, 1, 29)))
    assert result.scope is Scope.SMALLTALK, message
    assert result.items == ()
    assert len(result.text) < 200


@pytest.mark.parametrize(
    "message", ["not helpful", "not useful", "that's not really useful", "that wasn’t very helpful tbh"]
)
def test_praise_negated_is_no_thanks_but_a_kind_sorry_and_how_else_to_ask(message):
    result = ask(message, ChildInfo("Mia", date(2026, 1, 29)))
    assert "welcome" not in result.text.lower()
    assert result.text.startswith("I'm sorry that wasn't helpful. You could try asking in other words")
    assert EXAMPLES in result.text
    assert result.items == ()


@pytest.mark.parametrize("message", ["he's a little legend", "she's such a star", "hes a legend"])
def test_praise_of_the_child_is_no_thanks_to_the_bot(message):
    result = ask(message, ChildInfo("Mia", date(2026, 1, 29)))
    assert "welcome" not in result.text.lower()
    assert result.text == "How lovely! Ask me anything about your little one whenever you like."


@pytest.mark.parametrize(
    "message", ["you're a legend", "you're a star, honestly", "brilliant, really helpful", "love this bot"]
)
def test_praise_of_the_bot_or_its_answer_is_thanks(message):
    assert ask(message).text.startswith("You're welcome!")


@pytest.mark.parametrize(
    "message",
    [
        "hi from a mum whose baby won't settle for anyone but me",
        "thanks, you've been great but she still cries at drop off",
        "good morning from a tired mum, how do I get him to let his dad comfort him",
    ],
)
def test_a_hello_or_thanks_with_a_worry_in_it_is_answered(message):
    assert ask(message).scope is Scope.IN


@pytest.mark.parametrize(
    "message",
    [
        "thanks, that's lovely. it's just so hard going back to work",  # a worry after the thanks
        "thanks, that's helped. my boy has started hitting me",
        "thanks that's useful, bedtime has been a battle every night",
        "thanks, it's been really hard since my wife went into hospital",
        "thanks, that's not helpful at all",  # a complaint
        "thank you, that didn't help",
        "thanks, that's the same answer you gave last time",
        "thanks that's lovely, grandma passed away last week",  # a loss
        "hello from a dad whose partner just died",
        "hello from a nervous mum starting nursery next week",  # a hello with a worry in it
        "hi from a foster carer with a new placement",
    ],
)
def test_a_thanks_or_hello_saying_more_gets_no_cheerful_small_talk(message):
    text = ask(message).text
    assert not text.startswith("You're welcome!"), text
    assert not text.startswith("Hello!"), text


def test_small_talk_is_about_the_registered_child_when_it_names_no_age():
    assert ask("thank you", ChildInfo("Mia", date(2026, 1, 29))).age_months == 10
    assert ask("thank you").age_months is None


@pytest.mark.parametrize("message", ["my little one turned 1 today 🎉", "it's her first birthday today!"])
def test_a_birthday_shared_is_small_talk(message):
    result = ask(message)
    assert result.scope is Scope.SMALLTALK, message
    assert result.items == ()
    assert "happy birthday" in result.text.lower()
    assert len(result.text) < 200


def test_a_birthday_beside_a_question_is_still_a_question():
    result = ask("she turned 1 today and still screams when I leave the room")
    assert result.scope is Scope.IN


@pytest.mark.parametrize(
    "message",
    [
        "thanks! he has been so clingy this week",
        "hi, she screams when I leave her at nursery",
        "thanks x what's normal at 14 months",
        "ok thanks. and sleep",
        "hi, can you help me with tantrums?",
        "hello can you help? my 2 year old bites",
        "thanks, my 2 year old still cries at drop off",
        "hello? is anyone there, my 8 month old screams when I leave",
        "merry christmas! my 9 month old screams when grandma holds her, what do I do",
        "will try that, but what if she still cries when I go",
        "later in the day he gets really clingy",
        # a goodbye or a greeting is the whole message, not a word or phrase inside a question
        "later on will she be ok",
        "what about later on",
        "and later on",
        "how are you meant to know?",
        "how are you meant to do it all",
        "what's up with my son?",
        "hi, up all night with her",
    ],
)
def test_a_thanks_or_hello_beside_a_subject_is_still_a_question(message):
    assert ask(message).scope is not Scope.SMALLTALK


@pytest.mark.parametrize(
    "message",
    [
        "Ist Fremdeln mit 9 Monaten normal?",
        "Mein Sohn weint",
        "mon bébé pleure",
        "gracias",
        # Half the words are English words too ("was", "normal"): the detector decides.
        "Was ist normal mit 10 Monaten?",
        "Est-ce normal à 10 mois?",
        # Short words of other languages that the English word list also holds ("mi", "de", "que", "su").
        "mi bebé de 4 meses solo se calma conmigo",
        "es normal que mi bebe no quiera a su papa?",
    ],
)
def test_a_short_message_in_another_language_is_foreign(message):
    assert ask(message).scope is Scope.FOREIGN


@pytest.mark.parametrize(
    ("message", "months"),
    [
        ("Ons zoontje is anderhalf en klampt zich aan me vast", 18),
        ("onze peuter van drie is erg verlegen bij vreemden, hoe kan ik hem helpen?", 36),
        ("Mein Sohn ist zwei Jahre alt und will nicht in den Kindergarten", 24),
    ],
)
def test_an_age_said_in_dutch_or_german_words_is_kept(message, months):
    answered = ask(message)
    assert answered.scope is Scope.FOREIGN
    assert answered.age_months == months


def test_a_part_that_only_says_who_a_child_is_shares_the_question():
    """ "her big brother" names a child, no question about siblings: the baby's part is answered too."""
    answered = ask("the baby (9 months) and her big brother (26 months) both scream when I leave for work")
    assert answered.scope is Scope.IN
    assert answered.age_months == 9
    assert any(item.band_id in ("sa-band-0-9", "sa-band-7-18") for item in answered.items)
    assert any(item.band_id == "sa-band-21-36" for item in answered.items)


@pytest.mark.parametrize(
    "message",
    [
        "my 6 month old keeps biting while breastfeeding, what do I do",
        "she's so attached to the breast she won't take a bottle, 7 months",
    ],
)
def test_biting_while_breastfeeding_and_the_bottle_are_feeding(message):
    assert ask(message).scope is Scope.OUT


def test_a_flat_head_is_health_not_attachment():
    assert ask("worried my baby's head is going flat on one side, 3 months").scope is Scope.OUT


def test_what_a_carer_should_be_doing_to_help_gets_ways_to_help():
    answered = ask(
        "grandad minds our 14 month old. anything he should be doing to help her feel secure with him?"
    )
    assert [item.kind for item in answered.items[:2]] == [Kind.STRATEGY, Kind.STRATEGY]


def test_a_toddler_with_no_age_can_be_answered_from_the_stage_the_words_point_at():
    """ "toddler" only hints at 19-36 months: hiding from new people is stranger anxiety (7-18 months)."""
    answered = ask("why has my toddler started hiding behind my legs when new people come round?")
    assert "sa-7-18-stranger-anxiety" in [item.id for item in answered.items[:3]]


def test_huggy_is_a_word_not_a_typo_for_buggy():
    answered = ask("does it matter that I'm not a very huggy parent? my son is 2")
    assert answered.scope is Scope.IN
    assert "buggy" not in answered.text.lower()


@pytest.mark.parametrize(
    "message",
    ["my bby cryes wen i leve", "dd 18mo v clingy pls help", "my 2yo says adios and waves, normal?"],
)
def test_typos_and_a_foreign_word_in_an_english_question_stay_english(message):
    assert ask(message).scope is not Scope.FOREIGN


def test_another_language_is_said_plainly_and_never_spell_corrected():
    result = ask("Meine Tochter weint in der Kita, wenn ich gehe")
    assert result.scope is Scope.FOREIGN
    assert "German" in result.text
    assert "only answer in English" in result.text
    assert ask("my baby cries when I leave").scope is Scope.IN


def test_two_ages_in_one_message_are_each_answered_for_their_own_age():
    result = ask("my 8 month old and my 2 year old both cry when I leave")
    assert "at <b>8 months</b>" in result.text
    assert "at <b>2 years</b>" in result.text
    assert {item.band_id for item in result.items} & {"sa-band-0-9", "sa-band-7-18"}
    assert {item.band_id for item in result.items} & {"sa-band-16-24", "sa-band-21-36"}


@pytest.mark.parametrize(
    ("message", "months"),
    [
        ("my 2 year old and my 9 month old both hate drop off, it's the youngest I'm worried about", 9),
        (
            "my 7 month old and 30 month old cry at the childminder's, the older one is the one who struggles",
            30,
        ),
        ("my 8 month old and my 2 year old both cry when I leave", 8),  # no one singled out: the first named
    ],
)
def test_of_several_children_the_one_singled_out_is_answered_first(message, months):
    result = ask(message)
    assert result.age_months == months
    other = next(m.months for m in find_ages(message) if m.months != months)
    assert result.text.index(f"<b>{describe_months(months)}</b>") < result.text.index(
        f"<b>{describe_months(other)}</b>"
    )


def test_more_text_lists_items_with_their_stage():
    items = [i for i in band("sa-band-7-18").strategies][:2]
    text = more_text(LIBRARY, items)
    assert all(escape(i.parent, quote=False) in text for i in items)
    assert "<i>(7 to 18 months)</i>" in text


OUT_OF_SCOPE = [
    ("my baby has a fever", True),
    ("when will my baby start walking", True),
    ("how much should my 6 month old eat", False),
    ("my 2 year old isn't talking yet", True),
    ("how do I get my 1 year old to sleep through the night", False),
    ("my baby won't sleep unless I hold her", False),
    ("which stroller should I buy", False),
    ("is screen time ok for a 2 year old", False),
    ("when should we start potty training", False),
    ("my baby is teething", True),
    ("is my son autistic", True),
    ("what vaccines does my baby need", True),
    ("my 5 month old keeps vomiting after his bottle", True),
    ("is it normal that my 10 month old isn't crawling yet", True),
    ("is it normal that my 10 month old flaps his hands", True),
]


@pytest.mark.parametrize(("question", "health"), OUT_OF_SCOPE, ids=[q for q, _ in OUT_OF_SCOPE])
def test_out_of_scope_questions_say_so_with_no_items(question, health):
    result = ask(question)
    assert not result.in_scope
    assert result.items == ()
    assert result.bands == ()
    assert "doesn't cover" in result.text
    assert "secure attachment relationships, from birth to 36 months" in result.text
    assert (DOCTOR in result.text) is health
    assert (URGENT in result.text) is health


@pytest.mark.parametrize(
    "question",
    [
        # a story told in attachment words, then a closing question about an uncovered subject alone
        "he has had a cold all week and only wants cuddles with me. what can I give him for his runny nose?",
        "our daughter is so secure and happy with us. what age gap is best?",
        # "attachment" at the breast is the latch
        "my 2 week old has a shallow attachment at the breast and it really hurts",
    ],
)
def test_an_uncovered_subject_said_with_attachment_words_is_still_out_of_scope(question):
    result = ask(question)
    assert not result.in_scope
    assert result.items == ()
    assert "doesn't cover" in result.text


@pytest.mark.parametrize(
    "question",
    [
        "I'm on work calls all day from home and she keeps crying for me, what should I do?",
        "my employer won't give me flexible working so she's in nursery 5 days, will she be ok?",
        "my son cries when my husband and I go on a date night, how do I make it easier?",
        "my 8 month old has a chest infection and only settles on me, is that ok?",
        "is my 1 year old behind for his age? he won't let anyone else hold him",
    ],
)
def test_a_word_of_work_money_a_couple_or_illness_in_passing_refuses_no_attachment_question(question):
    assert ask(question, ChildInfo("Mia", date(2026, 1, 15))).in_scope


def test_how_the_parent_feels_about_the_story_is_answered():
    result = ask(
        "my 20 month old runs to the childminder when he falls and is hurt. should i be hurt by that?"
    )
    assert result.in_scope
    assert result.items


@pytest.mark.parametrize("question", ["asdfgh", "is it normal that my 10 month old wiggles his hands"])
def test_questions_the_content_does_not_cover_get_an_honest_reply(question):
    result = ask(question)
    assert not result.in_scope
    assert result.items == ()
    assert "couldn't find that in the guidance" in result.text
    assert DOCTOR in result.text
    # Where a struggling parent can turn, calmly: one short clause with the number, the rest a button away.
    assert result.net
    assert "own doctor, midwife or health visitor" in result.text
    assert result.text.endswith("If anyone is in danger right now, call your local emergency number.")
    assert result.text.count("danger") == 1
    assert len(result.text) < 1200
    assert ask(question, call="999").text.endswith("If anyone is in danger right now, call 999.")


def test_in_scope_answer_notes_the_part_it_cannot_answer():
    result = ask("my 8 month old cries every time I leave the room at bedtime")
    assert result.in_scope
    assert "sa-7-18-follows-caregiver" in [item.id for item in result.items]
    assert "doesn't cover sleep" in result.text


def test_age_past_36_months_is_out_of_scope():
    result = ask("my 4 year old is clingy")
    assert (result.age_months, result.in_scope, result.items, result.bands) == (48, False, (), ())
    assert "At 4 years, past the ages" in result.text
    assert DOCTOR in result.text


def test_age_of_37_months_is_out_of_scope_and_36_is_not():
    assert not ask("my 37 month old is clingy").in_scope
    result = ask("my 36 month old is clingy")
    assert result.in_scope
    assert [band.id for band in result.bands] == ["sa-band-21-36"]


def test_the_childs_age_is_used_when_the_question_names_none():
    child = ChildInfo("Mia", date(2026, 1, 29))
    result = ask("is it normal that she's clingy?", child)
    assert (result.age_months, result.corrected) == (10, False)
    assert [band.id for band in result.bands] == ["sa-band-7-18"]
    assert result.text.startswith("Common patterns for <b>Mia</b> (10 months), not a checklist")


def test_an_age_named_in_the_question_wins_over_the_child():
    result = ask("what's typical at 2 years?", ChildInfo("Mia", date(2026, 1, 29)))
    assert result.age_months == 24
    assert "Mia" not in result.text


def test_corrected_age_is_used_and_said():
    child = ChildInfo("Leo", date(2026, 1, 10), due_date=date(2026, 3, 10))
    result = ask("what's normal now?", child)
    assert (result.age_months, result.corrected) == (8, True)
    assert result.text.startswith("Common patterns for <b>Leo</b> (8 months corrected), not a checklist")


def test_a_child_past_36_months_gets_an_honest_reply():
    result = ask("is he clingy?", ChildInfo("Sam", date(2022, 1, 1)))
    assert not result.in_scope
    assert result.age_months == 58
    assert "Sam is 4 years 10 months old, past the ages" in result.text


def test_a_child_not_born_yet_as_of_today_means_no_age():
    result = ask("what's normal?", ChildInfo("Future", date(2027, 1, 1)))
    assert result.age_months is None
    assert [band.id for band in result.bands] == ALL_BANDS


def test_names_and_questions_are_escaped():
    result = ask("what's normal?", ChildInfo("<b>Tom</b> & co", date(2026, 1, 29)))
    assert "&lt;b&gt;Tom&lt;/b&gt; &amp; co" in result.text
    assert "<b>Tom</b>" not in result.text.replace("<b>&lt;b&gt;Tom", "")


def test_typical_now_gives_a_few_of_each_current_stage_and_the_rest_behind_more():
    result = typical_now(ChildInfo("Mia", date(2026, 3, 29)), library=LIBRARY, today=TODAY)
    assert result.age_months == 8
    young, older = band("sa-band-0-9"), band("sa-band-7-18")
    assert [item.id for item in result.items] == [
        young.indicators[0].id,
        older.indicators[0].id,
        young.strategies[0].id,
        older.strategies[0].id,
    ]
    every = [i for b in (young, older) for i in (*b.indicators, *b.strategies)]
    assert sorted(i.id for i in (*result.items, *result.more)) == sorted(i.id for i in every)
    assert "<b>You may notice:</b>" in result.text
    assert "<b>Ways to help:</b>" in result.text
    assert "not a checklist" in result.text
    assert_only_content_guidance(result)


def test_typical_now_past_36_months():
    result = typical_now(ChildInfo("Sam", date(2022, 1, 1)), library=LIBRARY, today=TODAY)
    assert not result.in_scope
    assert result.items == ()


def test_every_age_and_kind_of_overview_fits_one_message():
    for months in range(0, 37):
        for question in (f"what's normal at {months} months?", f"how do I help at {months} months?"):
            result = ask(question)
            assert result.in_scope
            assert_only_content_guidance(result)
        child = ChildInfo("A" * 64, date(2026, 11, 29))
        assert len(typical_now(child, library=LIBRARY, today=TODAY).text) < SHORT_MESSAGE_CHARS


def test_an_age_alone_gets_the_stage_overview():
    for question in ("10 months", "tell me about 10 months"):
        result = ask(question)
        band_ = band("sa-band-7-18")
        expected = [i.id for i in band_.indicators + band_.strategies]
        assert [item.id for item in result.items + result.more] == expected[: len(result.items + result.more)]
        assert len(result.items) == 3


def test_a_bare_why_with_no_age_is_not_guessed_at():
    result = ask("why?")
    assert not result.in_scope
    assert result.items == ()


def test_a_newborn_is_never_at_newborn() -> None:
    """ "For a newborn", not "At newborn": the age phrase reads as parents say it."""
    for question in ("what is normal for a newborn?", "how do I help my newborn"):
        text = answer(question, library=default_library(), today=date(2026, 11, 29), child=None).text
        assert "for a <b>newborn</b>" in text.split("\n", 1)[0]
        assert "at newborn" not in text.lower()
        assert "at <b>newborn" not in text


def test_context_after_a_question_is_not_a_question_of_its_own():
    # "...? mine is 5 months": the context gives the age but is not answered as a second question.
    result = ask("when will my baby roll over? mine is 5 months and keeps looking away from me")
    assert result.scope is Scope.OUT
    assert result.age_months == 5


def test_what_is_that_a_question_frame_asks_about_weighs_for_the_content():
    # "is that a comfort thing": the parent asks about comfort, the uncovered word (sleep) is on the way.
    result = ask("my 14 month old only falls asleep stroking my arm, is that a comfort thing?")
    assert result.scope is Scope.IN
    assert {"sa-7-18-comfort-object", "sa-7-18-comfort"} & {item.id for item in result.items[:3]}


def test_praise_with_a_question_is_still_a_question():
    assert ask("that's reassuring, but is it normal she still cries at drop off?").scope is Scope.IN


@pytest.mark.parametrize(
    "question",
    [
        "any tips for a long car journey with a 10 month old?",  # what is asked for: travel
        "which buggy is best for a 1 year old",  # which product
        "any good colic remedies that work? she's 6 weeks",  # a remedy for an ailment
        "how do you get them off the bottle at 1?",  # the object of "how do you"
        "does sleep training harm the bond with a 9 month old?",  # a practice as the subject of the question
        "we love attachment parenting, so can we bed share with our 4 month old?",  # what the parent asks to do
        # a word of an uncovered subject's phrase is that subject's, not the content's word
        "my 2 year old seems to be left handed, is that something I should correct?",
        "how do I put up a stair gate my 1 year old can't open, she's so attached to the stairs",
        "my 3yo panics at the dentist, how can I get her to let them look at her teeth",
        "how can I teach my 2 year old his letters?",  # "teach" only frames what is asked
        "she's 2 and so attached to her bottle, how do we stop it",  # "attached to" a thing, not a person
    ],
)
def test_the_subject_asked_about_decides_an_uncovered_question(question):
    result = ask(question)
    assert result.scope is Scope.OUT, result.text
    assert "doesn't cover" in result.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # what the parent wants to do, with an uncovered subject only setting the scene
        (
            "we're starting potty training and he gets so upset at every accident. how do I comfort him? 2.5 years",
            {"sa-21-36-empathy", "sa-21-36-communications"},
        ),
        (
            "how should I speak to my 5 month old when he can't talk back?",
            {"sa-0-9-hold-cuddle", "sa-0-9-responsive-care", "sa-0-9-follow-cues"},
        ),
        # a behaviour in plain words, with an incidental word of an uncovered subject
        ("my 8 month old copies me when I clap, is that a good sign?", {"sa-0-9-imitates"}),
        (
            "I'm always on my phone while I'm feeding him and feel guilty, does it matter?",
            {"sa-bg-good-enough", "sa-0-9-eye-contact", "sa-0-9-hold-cuddle", "sa-0-9-follow-cues"},
        ),
    ],
)
def test_an_incidental_word_does_not_refuse_what_the_content_answers(question, expected):
    result = ask(question)
    assert result.scope is Scope.IN, result.text
    assert expected & {item.id for item in result.items[:3]}


def test_bottle_against_breast_for_bonding_stays_in_scope():
    assert ask("does bottle feeding instead of breastfeeding affect bonding").scope is Scope.IN


def test_explaining_a_behaviour_to_someone_asks_why():
    result = ask("my 10 month old screams when my mum holds him, how do I explain it to her?")
    assert result.scope is Scope.IN
    assert result.items[0].kind is not Kind.STRATEGY  # what is going on, not ways to help
    assert not result.text.startswith("Ways to help")


def test_a_phrase_of_an_uncovered_subject_is_said_whole():
    # "throwing up" is illness, but "throws food ... up" is not; "first words" is not every "words"
    assert ask("she throws food down and looks at me to see my reaction, why? 11 months").scope is Scope.IN
    assert ask("my 2 year old uses words to tell me how she feels now").scope is Scope.IN
    assert ask("he keeps throwing up after his milk").scope is Scope.OUT


def test_an_effect_on_the_bond_of_an_uncovered_practice_is_about_the_practice():
    assert ask("we've started night weaning, could it harm our bond?").scope is Scope.OUT
    assert (
        ask("does formula instead of breast milk affect bonding?").scope is Scope.IN
    )  # feeding time is covered


def test_a_scene_set_during_an_uncovered_subject_does_not_refuse():
    assert ask("how do I help my baby feel safe during the jabs").scope is Scope.IN
    assert (
        ask("my 2 year old wants me to watch every time she goes down the slide, normal?").scope is Scope.IN
    )


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        (
            "my 2 year old is so clingy, how do I help her be more independent",
            {
                "sa-16-24-available",
                "sa-16-24-play",
                "sa-bg-secure-base",
                "sa-bg-foundation",
                "sa-21-36-empathy",
            },
        ),
        (
            "will carrying him everywhere stop him becoming independent? he's 14 months",
            {"sa-bg-foundation", "sa-bg-secure-base", "sa-7-18-comfort", "sa-bg-less-proximity"},
        ),
    ],
)
def test_a_worry_about_independence_gets_what_a_secure_bond_does(question, wanted):
    result = ask(question)
    assert result.scope is Scope.IN
    assert wanted & {item.id for item in result.items[:3]}


def test_what_a_baby_is_trying_to_say_gets_reading_her_cues():
    result = ask("how do I work out what my 3 month old is trying to tell me")
    assert result.scope is Scope.IN
    assert {"sa-0-9-follow-cues", "sa-0-9-responsive-care"} & {item.id for item in result.items[:3]}


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # "should I be doing" asks for ways to help, not for what is typical
        (
            "I'm the nanny for a 13 month old, is there anything I should be doing so she feels safe with me",
            {"sa-7-18-comfort", "sa-7-18-talk-sing", "sa-7-18-follow-lead"},
        ),
        # giving in and holding firm are about limits
        ("my 22 month old whines until I cave, am I making it worse", {"sa-16-24-limits"}),
        # a muslin or a taggie is a comfort object
        ("my 14 month old drags her muslin everywhere, is that ok", {"sa-7-18-comfort-object"}),
        # the "checking in" parents read about is explained by its background
        ("what does checking in mean for toddlers", {"sa-bg-checking-in"}),
    ],
)
def test_parents_everyday_words_reach_the_items_that_answer(question, wanted):
    result = ask(question)
    assert result.scope is Scope.IN
    assert wanted & {item.id for item in result.items[:3]}, [i.id for i in result.items]


@pytest.mark.parametrize(
    ("question", "months", "band_id"),
    [
        ("just turned one, what social and emotional things should he be doing", 12, "sa-band-7-18"),
        ("social and emotional milestones at 5 months?", 5, "sa-band-0-9"),
        ("emotional milestones for a 30 month old", 30, "sa-band-21-36"),
    ],
)
def test_social_and_emotional_development_gets_what_is_typical_at_that_age(question, months, band_id):
    result = ask(question)
    assert result.scope is Scope.IN
    assert result.age_months == months
    assert result.items
    assert all(item.band_id == band_id for item in result.items[:3])
    assert all(item.kind is Kind.INDICATOR for item in result.items[:3])


@pytest.mark.parametrize(
    "question",
    [
        "my 7 month old has a cough that comes and goes, should I worry",
        "he gets a temperature on and off, is that something to look into",
    ],
)
def test_everyday_words_alone_never_keep_an_uncovered_subject_in_scope(question):
    result = ask(question)
    assert result.scope is Scope.OUT
    assert result.items == ()


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # "how does that work" asks why, so the background that explains comes first
        ("holding a crying baby builds trust, but how does that work", {"sa-bg-trust"}),
        # joining a child's play is play and interaction
        (
            "should I play with him or let my 2 year old get on with it",
            {"sa-16-24-play", "sa-21-36-conversation", "sa-21-36-praise"},
        ),
        # a parent working long hours worries about the bond
        (
            "I'm back at work full time, will my 10 month old still be attached to me",
            {"sa-bg-special-bonds", "sa-bg-good-enough"},
        ),
    ],
)
def test_how_it_works_joining_in_and_working_parents_reach_their_items(question, wanted):
    result = ask(question)
    assert result.scope is Scope.IN
    assert wanted & {item.id for item in result.items[:3]}, [i.id for i in result.items]


def test_more_comes_a_short_message_at_a_time_and_loses_nothing():
    """However many items a "More" button names, each page is short and the rest goes on the next one."""
    items = list(LIBRARY.items())
    seen: list[str] = []
    while items:
        text, rest = more_page(LIBRARY, items)
        assert len(text) < SHORT_MESSAGE_CHARS
        assert len(rest) < len(items)
        seen += [i.id for i in items[: len(items) - len(rest)]]
        items = list(rest)
    assert seen == [i.id for i in LIBRARY.items()]


@pytest.mark.parametrize(
    "question",
    [
        "my 14 month old toddles off across the room then looks back at me",  # moving off is exploring
        "my 11 month old crawls off down the hall and comes back to check",
        "my 2 year old tips out his toy box and plays near me, is that normal",  # toys in passing
        "my 20 month old gets in a state at the doctor's waiting room noises, what can I do",  # upset
    ],
)
def test_moving_off_and_getting_in_a_state_are_the_contents_words(question):
    assert ask(question).in_scope


@pytest.mark.parametrize(
    "question",
    [
        "should I go to a&e, my 9 month old has a fever",
        "my 2 year old has a temp, is it urgent care or wait",
        "what toys should I buy for a 1 year old",
    ],
)
def test_emergency_services_and_shopping_for_toys_are_refused(question):
    assert not ask(question).in_scope


@pytest.mark.parametrize(
    "question",
    [
        "is the mmr vaccine safe for my 13 month old",
        "are dummies harmful for a 6 month old",
    ],
)
def test_whether_an_uncovered_practice_is_safe_is_refused(question):
    assert not ask(question).in_scope


def test_feeling_safe_is_still_the_contents_subject():
    assert ask("is my 10 month old safe and secure with me even if I work").in_scope


@pytest.mark.parametrize(
    "question",
    [
        "she has just turned 2, what changes are coming in how she is with people",
        "9 months old, what social things is she meant to be doing",
        "what should I expect from my 20 month old socially",
    ],
)
def test_what_to_expect_socially_gets_what_is_typical_at_the_childs_stage(question):
    result = ask(question)
    assert result.scope is Scope.IN
    assert result.items
    assert result.items[0].kind is Kind.INDICATOR, [i.id for i in result.items]
    assert all(i.band_id in {b.id for b in result.bands} for i in result.items[:3] if i.band_id)


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # who a baby attaches to, or seems to love more, is the special-bonds background
        ("why does a baby attach to some people and not others", {"sa-bg-special-bonds", "sa-bg-trust"}),
        ("my 7 month old seems to love her grandad more than me", {"sa-bg-special-bonds"}),
        # a parent who cannot always be consistent or patient is the good-enough background
        ("is it bad that I am not consistent all the time", {"sa-bg-good-enough"}),
    ],
)
def test_who_a_baby_attaches_to_and_an_imperfect_parent_reach_their_background(question, wanted):
    result = ask(question)
    assert result.scope is Scope.IN
    assert wanted & {item.id for item in result.items[:3]}, [i.id for i in result.items]


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # a follow-up that names no subject asks about the question before it
        ("why does holding a crying baby build trust? how does it actually work", {"sa-bg-trust"}),
        (
            "my 20 month old ignores me when I pick her up from nursery. is it normal? what should I do?",
            {"sa-16-24-available"},
        ),
    ],
)
def test_a_follow_up_with_no_subject_joins_the_question_before_it(question, wanted):
    result = ask(question)
    assert result.scope is Scope.IN
    assert wanted & {item.id for item in result.items[:3]}, [i.id for i in result.items]


@pytest.mark.parametrize(
    "question",
    [
        "my 2 year old asks for my help all the time, is that normal",
        "my 33 month old wants help with getting dressed, buttons, everything. shouldn't she do it herself",
    ],
)
def test_help_the_child_asks_for_is_the_subject_not_the_frame(question):
    result = ask(question)
    assert result.scope is Scope.IN
    assert "sa-21-36-seeks-help" in {item.id for item in result.items[:3]}, [i.id for i in result.items]


@pytest.mark.parametrize(
    "question",
    ["does my 3 month old know me yet", "does he know who his daddy is? he's 6 weeks"],
)
def test_whether_a_baby_knows_her_parent_is_telling_familiar_people_apart(question):
    result = ask(question)
    assert result.scope is Scope.IN
    wanted = {"sa-0-9-prefers-familiar", "sa-0-9-eye-contact", "sa-7-18-distinguishes", "sa-0-9-smiles-coos"}
    assert wanted & {item.id for item in result.items[:3]}, [i.id for i in result.items]


def test_i_dont_know_beside_an_uncovered_subject_still_refuses():
    assert not ask("i don't know if it's the teething, my 8 month old is grumpy").in_scope


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # who said it is not what is asked: "people" is no stranger, "talk" no speech
        ("what is this secure base idea everyone talks about", {"sa-bg-secure-base"}),
        ("my mother in law keeps telling me I cuddle my 5 month old too much", {"sa-0-9-hold-cuddle"}),
    ],
)
def test_who_said_it_is_left_out_of_what_is_asked(question, wanted):
    result = ask(question)
    assert result.scope is Scope.IN
    assert wanted & {item.id for item in result.items[:3]}, [i.id for i in result.items]


@pytest.mark.parametrize(
    "question",
    [
        "how can I tell what he wants, he's 7 months and can't talk",
        "how can i tell what my 4 month old wants when she can't say it",
    ],
)
def test_reading_what_a_baby_wants_is_cues_even_when_the_frame_shares_its_words(question):
    result = ask(question)
    assert result.scope is Scope.IN
    cues = {
        "sa-0-9-follow-cues",
        "sa-0-9-responsive-care",
        "sa-7-18-follow-lead",
        "sa-0-9-eye-contact",
        "sa-0-9-smiles-coos",
        "sa-7-18-initiates",
    }
    assert cues & {item.id for item in result.items[:3]}, [i.id for i in result.items]


@pytest.mark.parametrize(
    ("question", "bands"),
    [
        ("what should I be noticing at 14 months when it comes to our relationship?", {"sa-band-7-18"}),
        (
            "nearly 2, what should he be doing with the people around him by now",
            {"sa-band-16-24", "sa-band-21-36"},
        ),
    ],
)
def test_what_to_notice_in_general_at_an_age_is_that_stages_overview(question, bands):
    result = ask(question)
    assert result.in_scope, result.text
    assert result.items
    assert all(item.kind is Kind.INDICATOR and item.band_id in bands for item in result.items), result.items


@pytest.mark.parametrize(
    "question",
    [
        "her tantrums flare up in the evenings",
        "he flares up when his brother takes his toys",
        "my baby is 6 months and has been clingy since giving birth to her sister",
    ],
)
def test_a_temper_that_flares_up_is_not_a_skin_complaint(question):
    assert "doesn't cover illness" not in ask(question).text


@pytest.mark.parametrize(
    "question",
    [
        "my stretch marks are itchy, what cream can I use",
        "my nipples are so itchy, what cream",
        "I have mastitis and a fever",
    ],
)
def test_the_parents_own_skin_points_to_their_own_doctor(question):
    result = ask(question)
    assert not result.in_scope
    assert "your own doctor, midwife or health visitor" in result.text


@pytest.mark.parametrize(
    "question", ["I have mastitis and a fever", "I've been having chest pains since the birth"]
)
def test_the_parent_speaking_of_their_own_body_is_pointed_to_their_own_doctor(question):
    assert "your own doctor, midwife or health visitor" in ask(question).text


@pytest.mark.parametrize(
    "question", ["I'm in pain", "my back is killing me", "my stitches hurt", "my head hurts so much"]
)
def test_the_parents_own_pain_goes_to_their_own_doctor_never_the_childs(question):
    result = ask(question)
    assert not result.in_scope
    assert "your own doctor, midwife or health visitor is the best person to ask" in result.text
    assert "your child's doctor" not in result.text


@pytest.mark.parametrize(
    "question",
    [
        "my GP prescribed me antidepressants, can I still bond with my baby",
        "the GP referred me for counselling, will my baby sense my sadness",
        "my GP signed me off with stress, will my toddler be affected",
    ],
)
def test_the_parents_own_gp_is_no_reason_to_send_them_to_the_childs_doctor(question):
    # "GP" alone says nothing of whose health it is; "call the gp" about the child still names the child's doctor.
    assert "your child's doctor" not in ask(question).text


def test_calling_the_gp_about_the_child_names_the_childs_doctor():
    assert "your child's doctor" in ask("should we call the gp about her temperature").text


def test_the_parents_own_health_beside_the_childs_names_both_doctors():
    text = ask("I have mastitis and my baby has a fever").text
    assert "For your own health" in text
    assert DOCTOR in text


def test_a_child_with_a_fever_is_still_for_the_childs_doctor():
    text = ask("I have a baby with a fever").text
    assert DOCTOR in text
    assert "For your own health" not in text


def test_each_part_of_a_why_question_in_two_parts_leads_with_what_explains_it():
    result = ask(
        "why does it even matter if a toddler is securely attached? what difference does it make later"
    )
    assert result.items[0].id == "sa-bg-foundation"


def test_a_part_that_asks_nothing_does_not_lead_with_background():
    result = ask(
        "we adopted our son, he's 21 months and has been home with us 8 weeks. how do i build trust with him"
    )
    assert result.items[0].id == "sa-16-24-available"


@pytest.mark.parametrize(
    "question",
    [
        "my 10 month old has a temperature of 38.5 and won't settle, what should I give her?",
        "how many hours a week can I work and still get the childcare tax credit for my 1 year old",
        "does the naughty step work for 3 year olds? he just laughs",
        "my 15 month old is really attached to his dummy, how do i get rid of it",
        "my 2 year old has been terrified of the bath since she slipped in it",
    ],
)
def test_an_uncovered_subject_said_beside_comfort_words_is_refused(question):
    assert ask(question).scope is Scope.OUT


def test_what_she_is_meant_to_be_doing_asks_what_is_typical():
    result = ask("baby is 6 wks, what's she meant to be doing with me now?")
    assert result.age_months == 1
    assert result.items
    assert all(item.kind is Kind.INDICATOR for item in result.items)


def test_what_makes_a_child_trust_someone_is_answered_by_how_trust_grows():
    assert ask("what makes a toddler trust someone").items[0].id == "sa-bg-trust"


def test_punishing_a_toddler_is_a_question_about_limits_not_an_uncovered_subject():
    result = ask("should I punish my 2 year old for hitting his sister?")
    assert result.scope is Scope.IN
    assert "sa-16-24-limits" in [item.id for item in result.items[:3]]


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("newborn stares at my face for ages then turns away, is that normal? 6 wks", 1),
        ("my newborn and my 2 year old both cry when I leave", 0),
        ("my boy (3 next month) gets cross when I leave, how should I respond?", 35),
    ],
)
def test_an_exact_age_beside_newborn_wins_and_an_age_in_brackets_can_be_soon(question, months):
    assert ask(question).age_months == months


@pytest.mark.parametrize(
    "question",
    [
        "is my toddler's attachment style secure",
        "what is my baby's attachment style (and how do I help it)",
        "what are the attachment styles",
        "is there an attachment test for toddlers",
        "which attachment style does my 20 month old have, and is there a test for it?",
    ],
)
def test_attachment_styles_and_tests_are_answered_from_the_content(question):
    """What a secure attachment looks like is the guidance's subject, not a diagnosis to refuse."""
    result = ask(question)
    assert result.scope is Scope.IN, result.text
    assert result.items
    assert URGENT not in result.text


def test_an_attachment_disorder_goes_to_the_doctor_without_urgency():
    result = ask("does my child have an attachment disorder?")
    assert result.scope is Scope.OUT
    assert DOCTOR in result.text
    assert URGENT not in result.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("my left handed son is shy", {"sa-7-18-stranger-anxiety", "sa-7-18-social-referencing"}),
        ("my left handed 2 year old hits", {"sa-16-24-limits", "sa-16-24-model"}),
        ("my left handed toddler clings to me", {"sa-16-24-closeness-distress", "sa-16-24-available"}),
        ("he's left handed and clingy", {"sa-7-18-follows-caregiver", "sa-16-24-closeness-distress"}),
    ],
)
def test_an_uncovered_phrase_said_in_full_owns_only_its_own_words(question, expected):
    """ "left handed" is one uncovered subject; the rest of the question ("shy") still counts for the content,
    and a tie goes to the content."""
    result = ask(question)
    assert result.scope is Scope.IN, result.text
    assert expected & {item.id for item in result.items[:3]}


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("he goes to nursery 4 days and cries", None),  # days of a week, not 4 days old
        ("she's been at nursery 2 years", None),  # how long, not how old
        ("it's been 3 weeks of crying at drop off, she is 2", 24),
        ("he is a year and half", 18),
    ],
)
def test_a_duration_is_not_the_childs_age(question, months):
    assert ask(question).age_months == months


def test_two_ages_sharing_one_unit_are_two_children():
    """ "my 2 and 4 year olds": the answer is for the 2-year-old, and says plainly the 4-year-old is past the
    guidance's ages."""
    result = ask("my 2 and 4 year olds fight over me")
    assert [m.months for m in find_ages("my 2 and 4 year olds fight over me")] == [24, 48]
    assert result.scope is Scope.IN
    assert result.age_months == 24
    assert "At 4 years, past the ages" in result.text
