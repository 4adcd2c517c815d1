"""Parents played through the terminal chat in session 11, told as each met the bot: how early said as a
pregnancy at term, a birthday said to be wrong after setup, a pet name typed in lower case, a parent's own
headache, and what the next fixes found."""

import pytest
from sqlalchemy import select

from db.models import Child
from tests.bot.support import Harness, onboard, texts, to_born_early, to_time_zone
from tests.fake_telegram import Parent as TgParent


async def children(bot: Harness) -> list[Child]:
    async with bot.sessions() as s:
        return list((await s.scalars(select(Child).order_by(Child.id))).all())


async def test_forty_weeks_where_how_early_was_asked_is_on_time(bot: Harness):
    dad = TgParent(1101)
    await to_born_early(bot, dad)
    await bot.tap(dad, "Yes, born early")
    sent = await bot.say(dad, "40 weeks")
    assert sent[0].text.startswith(
        "That's full term, so I'll count from the birthdate.\n\nThank you! Mia is all set."
    )
    assert "couldn't read" not in sent[0].text
    [mia] = await children(bot)
    assert mia.due_date is None


async def test_no_she_was_born_at_39_weeks_where_how_early_was_asked_is_on_time(bot: Harness):
    mum = TgParent(1102)
    await to_born_early(bot, mum)
    await bot.tap(mum, "Yes, born early")
    sent = await bot.say(mum, "no, she was born at 39 weeks")
    assert sent[0].text.startswith("That's full term")
    [mia] = await children(bot)
    assert mia.due_date is None


async def test_wrong_birthday_sorry_after_setup_offers_to_change_the_dates(bot: Harness):
    mum = TgParent(1103)
    await onboard(bot, mum)
    sent = await bot.say(mum, "wrong birthday, sorry")
    assert texts(sent) == ["No problem. To put something right about Mia, tap below."]
    assert sent[0].button_labels == ["✏️ Rename", "📅 Change dates"]
    assert "nothing to go back to" not in sent[0].text


@pytest.mark.parametrize("name", ["teddy", "casey", "sandy", "destiny", "buddy"])
async def test_my_son_teddy_in_lower_case_is_his_name(bot: Harness, name: str):
    # Names that are common words too ("casey", "sandy", "buddy") are names here: a name refused is worse.
    dad = TgParent(1104)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, f"my son {name}")
    assert sent[0].text.startswith(f"When was <b>{name}</b> born?")
    await bot.say(dad, "1 September 2026")
    await bot.tap(dad, "No")
    assert [c.name for c in await children(bot)] == [name]


async def test_my_son_is_shy_is_still_no_name(bot: Harness):
    dad = TgParent(1105)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, "my son is shy")
    assert sent[-1].text.endswith("What's your child's name? A nickname is fine.")


async def test_a_headache_of_the_parent_names_their_own_doctor_once_and_never_the_childs(bot: Harness):
    mum = TgParent(1106)
    await onboard(bot, mum)
    sent = await bot.say(mum, "I've got a headache")
    text = "\n".join(texts(sent))
    assert "child's doctor" not in text
    assert text.count("your own doctor, midwife or health visitor") == 1
    assert len(text) < 1200


async def test_own_health_outside_the_guidance_names_their_own_doctor_once(bot: Harness):
    mum = TgParent(1107)
    await onboard(bot, mum)
    sent = await bot.say(mum, "I have mastitis")
    text = "\n".join(texts(sent))
    assert text.startswith("The guidance I answer from covers")
    assert "child's doctor" not in text
    assert text.count("your own doctor, midwife or health visitor") == 1
    assert "emergency number" in text


@pytest.mark.parametrize(
    "said",
    [
        "need to go, baby just woke up",
        "sorry have to go, she's awake",
        "i have to go, baby crying",
        "brb baby crying",
        "can we finish later",
        "bye",
    ],
)
async def test_a_parent_who_must_go_and_says_why_is_let_go(bot: Harness, said: str):
    mum = TgParent(1109)
    await bot.say(mum, "/start")
    await bot.say(mum, "Lucía")
    sent = await bot.say(mum, said)
    assert texts(sent) == [
        "OK, we've stopped there. Lucía isn't saved yet: I still need to know the birthdate."
    ]


async def test_a_parent_who_must_go_mid_setup_is_let_go_and_welcomed_back(bot: Harness):
    mum = TgParent(1108)
    await bot.say(mum, "/start")
    await bot.say(mum, "Lucía")
    sent = await bot.say(mum, "hmm actually I need to go, can we do this later?")
    assert texts(sent) == [
        "OK, we've stopped there. Lucía isn't saved yet: I still need to know the birthdate."
    ]
    assert sent[0].button_labels == ["Carry on with Lucía", "Start afresh"]
    sent = await bot.say(mum, "hi I'm back")
    assert texts(sent) == [
        "Welcome back! We were adding Lucía, and I still need to know the birthdate. Carry on?"
    ]
    sent = await bot.say(mum, "yes")
    assert sent[0].text.startswith("When was <b>Lucía</b> born?")


async def test_gotta_go_at_the_time_zone_keeps_what_was_given(bot: Harness):
    dad = TgParent(1109)
    await to_time_zone(bot, dad, "Mia", "15 March 2026")
    sent = await bot.say(dad, "sorry gotta go!")
    assert sent[0].text.startswith("OK, we've left that. What you chose so far is saved.")
    sent = await bot.say(dad, "ok I'm back")
    assert texts(sent) == ["Welcome back! Ask me anything, or send /help."]


async def test_have_to_go_inside_a_question_is_still_a_question(bot: Harness):
    mum = TgParent(1110)
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    sent = await bot.say(mum, "is it normal she cries when I have to go to work?")
    assert "stopped there" not in sent[0].text
    assert sent[-1].text.startswith("Now, back to where we were:\nWhen was <b>Mia</b> born?")


async def test_a_sentence_or_an_emoji_at_the_name_is_met_kindly_not_with_the_length_limit(bot: Harness):
    mum = TgParent(1111)
    await bot.say(mum, "/start")
    for said in ("umm like 20th sept i think", "👶", "yes that's right"):
        sent = await bot.say(mum, said)
        assert "40 characters" not in sent[-1].text, said
        assert sent[-1].text.endswith("What's your child's name? A nickname is fine."), said
    sent = await bot.say(mum, "y" * 41)  # a name too long: the limit said
    assert sent[0].text.startswith("Please send a name or nickname of up to 40 characters.")


async def test_other_days_asked_for_after_setup_change_the_tips_days(bot: Harness):
    dad = TgParent(1112)
    await onboard(bot, dad, "Noah", "1 June 2025")
    sent = await bot.say(dad, "actually can we do wednesdays instead")
    assert sent[0].text.startswith("Done. Tips come on Wednesdays at 09:00 (London time).")
    sent = await bot.say(dad, "is it normal he cries on mondays?")  # days in a question stay a question
    assert not sent[0].text.startswith("Done.")


async def test_the_time_zone_to_change_after_setup_asks_it_and_takes_the_city(bot: Harness):
    dad = TgParent(1113)
    await onboard(bot, dad, "Noah", "1 June 2025")
    sent = await bot.say(dad, "I'm moving to Berlin next week, change my time zone")
    assert sent[0].text.startswith("Which time zone are you in?")
    sent = await bot.say(dad, "Berlin")
    assert sent[0].text.startswith("Time zone set: Berlin time")


async def test_a_grandmother_setting_up_for_her_daughters_baby_is_asked_her_grandsons_name(bot: Harness):
    gran = TgParent(1114)
    await bot.say(gran, "/start")
    sent = await bot.say(
        gran, "Hello dear. I am setting this up for my daughter, her baby boy was born last month"
    )
    assert texts(sent) == ["How lovely! What's your grandson's name? A nickname is fine."]
    sent = await bot.say(gran, "His name is Alfie")
    assert sent[0].text.startswith("When was <b>Alfie</b> born?")


async def test_a_question_about_a_daughter_and_her_baby_brother_is_still_a_question(bot: Harness):
    mum = TgParent(1115)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "is it normal my daughter cries when her baby brother cries?")
    assert "grand" not in sent[0].text
    assert sent[-1].text.startswith("Now, back to where we were:")


async def test_twins_named_together_are_taken_one_at_a_time_the_first_now(bot: Harness):
    dad = TgParent(1116)
    await bot.say(dad, "/start")
    await bot.say(dad, "hi, I've got twins, a boy and a girl, born 6 weeks early")
    sent = await bot.say(dad, "Oscar and Lily")
    assert sent[0].text.startswith(
        "Lovely names! Oscar first; once we're done, send /addchild for Lily (I'll notice if they share a "
        "birthday).\n\nWhen was <b>Oscar</b> born?"
    )
    await bot.say(dad, "3 September 2026")
    await bot.tap(dad, "No")
    assert [c.name for c in await children(bot)] == ["Oscar"]


async def test_the_birthdate_said_again_with_the_wrong_one_after_it_offers_to_change_the_dates(bot: Harness):
    mum = TgParent(1117)
    await onboard(bot, mum)
    sent = await bot.say(mum, "actually she was born on the 13th of march not the 15th")
    assert texts(sent) == ["No problem. To put something right about Mia, tap below."]
    assert sent[0].button_labels == ["✏️ Rename", "📅 Change dates"]


async def test_a_tired_parents_hedged_birthdate_is_read(bot: Harness):
    dad = TgParent(1118)
    await bot.say(dad, "/start")
    await bot.say(dad, "my son teddy")
    sent = await bot.say(dad, "umm like 20th sept i think")
    assert sent[0].text.startswith("Was teddy born early")
    await bot.tap(dad, "No")
    [teddy] = await children(bot)
    assert teddy.birthdate.isoformat() == "2026-09-20"


async def test_sunday_is_fine_at_the_days_question_is_sunday(bot: Harness):
    mum = TgParent(1119)
    await to_time_zone(bot, mum, "Mia", "15 March 2026")
    await bot.say(mum, "London")
    sent = await bot.say(mum, "sunday is fine")
    assert "couldn't read" not in sent[0].text
    assert sent[0].text.startswith("What time of day?")


async def test_a_sleepy_face_or_a_baby_at_a_question_is_met_kindly(bot: Harness):
    mum = TgParent(1120)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "👶❤️")
    assert sent[0].text.startswith("Lovely, thank you! What's your child's name?")
    await bot.say(mum, "Mia")
    for sleepy in ("😴😴", "🥱"):  # often "she's finally asleep": no sadness read into it
        sent = await bot.say(mum, sleepy)
        assert sent[0].text.startswith("Lovely, thank you! When was <b>Mia</b> born?"), sleepy
        assert "sorry if things feel hard" not in sent[0].text
        assert "couldn't read" not in sent[0].text


async def test_a_rambling_message_with_the_name_said_by_the_way_gives_the_name(bot: Harness):
    mum = TgParent(1121)
    await bot.say(mum, "/start")
    sent = await bot.say(
        mum,
        "ok so basically we had our little girl 3 weeks ago and honestly it's been a whirlwind, she's called "
        "Isla by the way, she came a bit early, and I just want to make sure I'm doing the right things you know",
    )
    assert sent[0].text.startswith("When was <b>Isla</b> born?")


async def test_a_question_after_a_thanks_at_a_setup_question_is_answered_then_the_question_again(
    bot: Harness,
):
    dad = TgParent(1122)
    await to_time_zone(bot, dad, "Mia", "15 March 2026")
    await bot.say(dad, "London")
    await bot.tap(dad, "Mon")
    sent = await bot.say(dad, "thx. whats normal for her now")
    assert sent[0].text.startswith("Common patterns for <b>Mia</b>")
    assert sent[-1].text.startswith("Now, back to where we were:\nWhat time of day?")


async def test_questions_about_leaving_the_child_during_setup_are_answered_and_the_step_asked_again(
    bot: Harness,
):
    mum = TgParent(1130)
    await bot.say(mum, "/start")
    for said in (
        "she cries when I have to go. what should I do?",
        "how do I tell him I need to go?",
        "what do I say when I have to go?",
        "every time we have to go, she screams. how do I help?",
        "she gets upset whenever I say I'll come back later",
    ):
        sent = await bot.say(mum, said)
        text = "\n".join(texts(sent))
        assert "Nothing was saved" not in text, said
        assert sent[-1].text.endswith("What's your child's name? A nickname is fine."), said
    await bot.say(mum, "Mia")
    for said in (
        "should I tell her I'll come back?",
        "she starts nursery soon, does she have to go?",
        "we started solids, is it better to do this later?",
    ):
        sent = await bot.say(mum, said)
        assert "stopped there" not in "\n".join(texts(sent)), said
        assert sent[-1].text.startswith("Now, back to where we were:\nWhen was <b>Mia</b> born?"), said
    sent = await bot.say(mum, "sorry gotta go, can we do this later?")
    assert sent[0].text.startswith("OK, we've stopped there. Mia isn't saved yet")


async def test_a_loss_an_illness_or_a_question_about_a_grandchild_is_never_how_lovely(bot: Harness):
    gran = TgParent(1131)
    await bot.say(gran, "/start")
    for said in (
        "my son's baby boy was stillborn last year",
        "our daughter's baby was born last month, she is poorly",
        "my daughter's little boy has a rash",
        "my son's baby girl is 6 months, what should she be doing",
        "I look after my son's little girl, she is 2",
        "my daughter is 2 and her new baby is due in march",
    ):
        sent = await bot.say(gran, said)
        text = "\n".join(texts(sent))
        assert "How lovely" not in text, said
        assert "grand" not in text, said
        assert sent[-1].text.endswith("What's your child's name? A nickname is fine."), said
    sent = await bot.say(gran, "it's for my daughter, her baby boy was born last month")
    assert texts(sent) == ["How lovely! What's your grandson's name? A nickname is fine."]


async def test_another_language_names_the_parents_own_doctor_before_the_emergency_number(bot: Harness):
    sam = TgParent(1132)
    await onboard(bot, sam)
    (reply,) = texts(await bot.say(sam, "Meine Tochter weint in der Kita, wenn ich gehe"))
    assert reply.endswith(
        "\n\nIf things feel hard for you, your own doctor, midwife or health visitor is there for you too. "
        "If anyone is in danger, call your local emergency number."
    )
    assert "And if anyone" not in reply


async def test_two_names_at_addchild_with_the_first_here_already_ask_about_the_same_name(bot: Harness):
    dad = TgParent(1133)
    await onboard(bot, dad, "Oscar", "3 September 2026")
    await bot.say(dad, "/addchild")
    sent = await bot.say(dad, "Oscar and Lily")
    assert sent[0].text.endswith("You already have a child called Oscar here. Add another Oscar?")
    await bot.tap(dad, "Yes, add another Oscar")
    await bot.say(dad, "3 September 2026")
    sent = await bot.tap(dad, "No")
    assert sent[0].text.startswith("Oscar is added!")
    assert "\nWhen you're ready, send /addchild for Lily." in sent[0].text
    assert [c.name for c in await children(bot)] == ["Oscar", "Oscar"]


async def test_the_second_name_used_instead_of_the_first_is_not_reminded_again(bot: Harness):
    dad = TgParent(1136)
    await onboard(bot, dad, "Oscar", "3 September 2026")
    await bot.say(dad, "/addchild")
    await bot.say(dad, "Oscar and Lily")
    await bot.tap(dad, "Use a different name")
    await bot.say(dad, "Lily")
    await bot.say(dad, "3 September 2026")
    sent = await bot.tap(dad, "No")
    assert sent[0].text.startswith("Lily is added!")
    assert "/addchild for Lily" not in sent[0].text


async def test_two_names_with_a_comma_use_the_first_and_say_how_to_add_the_other(bot: Harness):
    # "Thomas, Tom" (a short form) and "Noah, Ella" (twins) cannot be told apart: one child, the other said back.
    for n, (said, first, other) in enumerate(
        [("Noah, Ella", "Noah", "Ella"), ("Thomas, Tom", "Thomas", "Tom")]
    ):
        dad = TgParent(1137 + n)
        await bot.say(dad, "/start")
        sent = await bot.say(dad, said)
        assert sent[0].text.startswith(
            f"I'll use {first}. If {other} is another child, send /addchild once we're done.\n\n"
            f"When was <b>{first}</b> born?"
        )


async def test_two_names_at_the_start_remind_the_parent_of_the_second_once_all_is_set(bot: Harness):
    dad = TgParent(1134)
    await bot.say(dad, "/start")
    await bot.say(dad, "Oscar and Lily")
    await bot.say(dad, "3 September 2026")
    await bot.tap(dad, "No")
    await bot.say(dad, "London")
    sent = await bot.tap(dad, "Sunday 09:00 is fine")
    assert sent[0].text.startswith("All set!")
    assert "\nWhen you're ready, send /addchild for Lily." in sent[0].text


async def test_two_words_at_the_name_make_two_children_only_when_both_are_names(bot: Harness):
    mum = TgParent(1135)
    await bot.say(mum, "/start")
    for said in ("Mum and Dad", "Tantrums and Biting", "me and dad"):
        sent = await bot.say(mum, said)
        text = "\n".join(texts(sent))
        assert "Lovely names" not in text, said
        assert "born?" not in text, said
        assert sent[-1].text.endswith("What's your child's name? A nickname is fine."), said
    for n, (said, name) in enumerate(
        (("Mia & me", "Mia"), ("Me and Mia", "Mia"), ("Elizabeth, Lizzie", "Elizabeth"), ("Mia, Mimi", "Mia"))
    ):
        other = TgParent(1140 + n)
        await bot.say(other, "/start")
        sent = await bot.say(other, said)
        assert "Lovely names" not in sent[0].text, said
        assert f"When was <b>{name}</b> born?" in sent[0].text, said


async def test_a_parents_own_body_after_the_birth_names_their_own_doctor_never_the_childs(bot: Harness):
    mum = TgParent(1150)
    await onboard(bot, mum)
    for said in (
        "I've got mastitis and they gave me antibiotics",
        "my c-section scar hurts",
        "I had a baby 2 weeks ago and I've got a fever",
    ):
        text = "\n".join(texts(await bot.say(mum, said)))
        assert "child's doctor" not in text, said
        assert "your own doctor, midwife or health visitor" in text, said


async def test_a_describing_word_after_my_son_is_no_name_but_a_pet_name_is(bot: Harness):
    mum = TgParent(1151)
    await bot.say(mum, "/start")
    for said in (
        "my daughter angry",
        "my baby needy",
        "my baby grumpy",
        "my baby sleepy",
        "my son sorry",
        "my son daddy",
        "my baby tummy",
    ):
        sent = await bot.say(mum, said)
        assert "born?" not in "\n".join(texts(sent)), said
        assert sent[-1].text.endswith("What's your child's name? A nickname is fine."), said
    for n, name in enumerate(("lily", "billy")):
        dad = TgParent(1152 + n)
        await bot.say(dad, "/start")
        sent = await bot.say(dad, f"my son {name}")
        assert sent[0].text.startswith(f"When was <b>{name}</b> born?")


async def test_she_calls_me_mummy_is_no_name(bot: Harness):
    mum = TgParent(1155)
    await bot.say(mum, "/start")
    for said in ("she's called me mummy by the way", "he calls me daddy"):
        sent = await bot.say(mum, said)
        text = "\n".join(texts(sent))
        assert "born?" not in text, said
        assert sent[-1].text.endswith("What's your child's name? A nickname is fine."), said
    sent = await bot.say(mum, "she's called Isla by the way")
    assert sent[0].text.startswith("When was <b>Isla</b> born?")


async def test_not_sure_after_the_birthdate_is_no_correction(bot: Harness):
    mum = TgParent(1156)
    await onboard(bot, mum)
    sent = await bot.say(mum, "she was born on the 15th not sure if that matters")
    assert "To put something right" not in "\n".join(texts(sent))
    sent = await bot.say(mum, "she was born on the 13th, not the 15th")
    assert texts(sent) == ["No problem. To put something right about Mia, tap below."]


async def test_hedged_dates_and_weeks_are_read_at_every_date_question(bot: Harness):
    mum = TgParent(1157)
    await to_born_early(bot, mum, "Mia", "10 September 2026")
    await bot.tap(mum, "Yes, born early")
    sent = await bot.say(mum, "umm like 20th oct i think")
    assert "couldn't read" not in sent[0].text
    [mia] = await children(bot)
    assert mia.due_date is not None
    assert mia.due_date.isoformat() == "2026-10-20"

    dad = TgParent(1158)
    await to_born_early(bot, dad, "Noah", "10 September 2026")
    await bot.tap(dad, "Yes, born early")
    sent = await bot.say(dad, "about 40 weeks")
    assert sent[0].text.startswith("That's full term, so I'll count from the birthdate.")

    gran = TgParent(1159)
    await to_born_early(bot, gran, "Ava", "ummm 20th sept")
    sent = await bot.say(gran, "around 39 weeks i think")
    assert "Please tap" not in sent[0].text
    ava = [c for c in await children(bot) if c.name == "Ava"]
    assert [c.birthdate.isoformat() for c in ava] == ["2026-09-20"]
    assert ava[0].due_date is None


async def test_a_hedged_date_not_read_is_quoted_as_typed(bot: Harness):
    mum = TgParent(1160)
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    sent = await bot.say(mum, "umm like 20th smarch i think")
    assert "“umm like 20th smarch i think”" in sent[0].text
