"""Finding the age a parent names in a question, in the shapes parents type."""

import pytest

from bot.core.age_phrases import find_age, find_age_any_language, find_ages


@pytest.mark.parametrize(
    ("text", "months", "label"),
    [
        ("what's normal at 10 months?", 10, "10 months"),
        ("my 10mo cries a lot", 10, "10 months"),
        ("my 10-month-old", 10, "10 months"),
        ("ten months", 10, "10 months"),
        ("Ten Month Old clinging", 10, "10 months"),
        ("my 8 month old cries when I leave the room", 8, "8 months"),
        ("18 mos", 18, "1 year 6 months"),
        ("is it ok for 18m", 18, "1 year 6 months"),
        ("twenty-two months", 22, "1 year 10 months"),
        ("twenty two month old", 22, "1 year 10 months"),
        ("1 year", 12, "1 year"),
        ("a year old", 12, "1 year"),
        ("a year and a half", 18, "1 year 6 months"),
        ("one and a half years", 18, "1 year 6 months"),
        ("1.5 years", 18, "1 year 6 months"),
        ("1,5 years", 18, "1 year 6 months"),
        ("my 2 1/2 year old", 30, "2 years 6 months"),
        ("she is 2 1/2", 30, "2 years 6 months"),
        ("2½ year old", 30, "2 years 6 months"),
        ("two and a half", 30, "2 years 6 months"),
        ("she is two and a quarter", 27, "2 years 3 months"),
        ("one and three quarters years", 21, "1 year 9 months"),
        ("my 2 and three quarter year old", 33, "2 years 9 months"),
        ("my 2 1/4 year old", 27, "2 years 3 months"),
        ("1¾ years", 21, "1 year 9 months"),
        ("1 year 3 months", 15, "1 year 3 months"),
        ("1 year and 3 months old", 15, "1 year 3 months"),
        ("2 years, 2 months", 26, "2 years 2 months"),
        ("1y3m", 15, "1 year 3 months"),
        ("my 2yo", 24, "2 years"),
        ("my 2 yo before daycare", 24, "2 years"),
        ("he will be 6 months next week", 5, "5 months"),
        ("she will be 1 next month", 11, "11 months"),
        ("she turns 2 next week", 23, "1 year 11 months"),
        ("our son, aged 2, hits", 24, "2 years"),
        ("2y 2m", 26, "2 years 2 months"),
        ("2 yrs 3 mo", 27, "2 years 3 months"),
        ("six and a half months", 6, "6 months"),
        ("my 3 week old", 0, "3 weeks"),
        ("6wk old", 1, "6 weeks"),
        ("my 5wo cries", 1, "5 weeks"),
        ("she is about to turn 1", 11, "11 months"),
        ("she will be two in a month", 23, "1 year 11 months"),
        ("3 y/o", 36, "3 years"),
        ("my 2 yr old", 24, "2 years"),
        ("two year old tantrums", 24, "2 years"),
        ("three years old", 36, "3 years"),
        ("my 4 year old", 48, "4 years"),
        ("6 weeks", 1, "6 weeks"),
        ("2 weeks", 0, "2 weeks"),
        ("my baby is 5 weeks", 1, "5 weeks"),
        ("he is 11 weeks", 2, "11 weeks"),
        ("a week old", 0, "1 week"),
        ("3 days old", 0, "3 days"),
        ("newborn", 0, "newborn"),
        ("my new-born won't settle", 0, "newborn"),
        ("half a year", 6, "6 months"),
        ("6 and a half months", 6, "6 months"),
        ("he just turned one", 12, "1 year"),
        ("she turned 2 last week", 24, "2 years"),
        ("mom of a 13-month-old", 13, "1 year 1 month"),
        # A duration first, then the age: the age wins.
        ("clingy for 3 months now, he is 14 months", 14, "1 year 2 months"),
        # Prematurity is not the age.
        ("she was born at 34 weeks and is now 3 months", 3, "3 months"),
        ("born 6 weeks early, he is 10 weeks old", 2, "10 weeks"),
        # An earlier event's age, then the age "now": the age now wins.
        ("we adopted her at 11 months and she is 15 months now", 15, "1 year 3 months"),
        ("came to live with us at 4 months, 9 months old now", 9, "9 months"),
        # The age on joining the family and the time since, added up.
        ("we adopted our son at 20 months, he's been home 6 weeks now", 21, "1 year 9 months"),
        ("adopted at 14 months, home a month now", 15, "1 year 3 months"),
        # A count of weeks is rounded: 13 weeks is three months, 4 weeks still none.
        ("my 13 wk old smiles at me", 3, "13 weeks"),
        ("she is 4 weeks old", 0, "4 weeks"),
        ("he is 26 weeks old", 6, "26 weeks"),
        # The same spans said in days read the same: 91 days is 13 weeks, 28 days 4 weeks.
        ("she is 91 days old", 3, "91 days"),
        ("she is 90 days old", 3, "90 days"),
        ("my 28 day old baby", 0, "28 days"),
        ("she is 182 days old", 6, "182 days"),
        # "hes", "shes" typed without the apostrophe.
        ("went back to work when he was 4 months and now hes 1", 12, "1 year"),
        # An occasion named by age is an age, even after "after" or "the".
        ("any tips after the 8 month jabs?", 8, "8 months"),
        ("worried before her 2 year check", 24, "2 years"),
        # "after/before N months" at the end of a question, with no other age: the age asked about.
        ("does she still need me at night after 10 months?", 10, "10 months"),
        # "mine's 2", "ours is 3": the parent's own child after a general question
        ("do all toddlers bite? mine's 2, and it's daily", 24, "2 years"),
        ("ours is 3 and still wants carrying", 36, "3 years"),
        ("my son is 2 and 3 quarters, what's typical", 33, "2 years 9 months"),
        ("she gets cross when we take the tablet away, 2.5. how much is ok?", 30, "2 years 6 months"),
        # "at 11 months in January": the age the question is about, no month short
        ("she starts nursery at 11 months in january, what should i look for", 11, "11 months"),
    ],
)
def test_find_age(text, months, label):
    mention = find_age(text)
    assert mention is not None
    assert (mention.months, mention.label) == (months, label)
    assert text[mention.span[0] : mention.span[1]] == mention.text


@pytest.mark.parametrize(
    "text",
    [
        "is stranger anxiety normal?",
        "he has been clingy for 2 weeks",
        "in 2 weeks I go back to work",
        "we moved 3 months ago",
        "born at 36 weeks",
        "she arrived 5 weeks early",
        "once a week",
        "a month ago",
        "they tend to cry",
        "I have 2 kids",
        "often clingy",
        "is it true that the first 1000 days shape everything",
        "the first 6 weeks were a blur",
        "",
    ],
)
def test_find_age_ignores_durations_and_stray_words(text):
    assert find_age(text) is None


def test_find_age_keeps_a_duration_when_nothing_else_is_named():
    # "for 3 months" may be a duration, but with no other age it is the best guess.
    mention = find_age("is it normal for 3 months")
    assert mention is not None
    assert mention.months == 3


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("comment rassurer mon fils de 2 ans et demi", 30),
        ("mi hija de 2 años y medio llora", 30),
        ("Ist Fremdeln mit 9 Monaten normal?", 9),
    ],
)
def test_an_age_in_another_language_is_read_with_its_half_year(text, months):
    found = find_age_any_language(text)
    assert found is not None
    assert found.months == months


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("mi hijo de dos años tiene rabietas", 24),  # numbers as words
        ("ma fille de trois ans a peur des inconnus", 36),
        ("mój syn ma 2 lata i boi się obcych", 24),  # Polish years
        ("synek ma półtora roku", 18),  # a year and a half in one word
        ("mi bebé tiene año y medio", 18),
        ("meine Tochter ist zweieinhalb", 30),
        ("ma fille a deux ans et demi", 30),
        ("Mijn dochter van 2,5 jaar huilt", 30),  # a decimal
        ("mi hija de 1 año y 3 meses", 15),  # years and months
        ("mein Baby ist 6 Wochen alt", 1),  # weeks count as completed months
        ("mon bébé de 7 semaines", 1),
        ("mi hija tiene casi 2 años", 23),  # nearly: a month less
        ("mein Sohn wird bald 2", 23),
        ("Mein Sohn ist drei und will nicht", 36),  # a bare age after "is"
        ("moja córka ma roczek", 12),  # Polish one-word ages
        ("mam dwulatka który płacze", 24),
    ],
)
def test_an_age_said_in_words_in_another_language_is_read(text, months):
    found = find_age_any_language(text)
    assert found is not None
    assert found.months == months


@pytest.mark.parametrize("text", ["ich habe einen Sohn, er ist lieb", "ma fille est une vraie pot de colle"])
def test_a_number_word_alone_in_another_language_is_no_age(text):
    assert find_age_any_language(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "she has been clingy after 3 months of nursery",  # a duration, not an age
        "after 2 weeks at nursery he still cries",
        "she has been at nursery for just over a year",
        "she started nursery a little over a year ago",
    ],
)
def test_after_a_duration_is_not_an_age(text):
    assert find_age(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "mein Neugeborenes weint viel",
        "mon nouveau-né pleure",
        "mi bebé recién nacido llora",
        "il mio neonato piange",
        "o meu bebé recém-nascido chora",
        "mijn pasgeboren baby huilt",
    ],
)
def test_a_newborn_word_in_another_language_is_an_age(text):
    found = find_age_any_language(text)
    assert found is not None
    assert found.months == 0


@pytest.mark.parametrize(
    ("text", "months"),
    [("she's almost 3 - what does it look like now?", 35), ("he is nearly 2 – any tips", 23)],
)
def test_a_bare_age_before_a_dash_is_read(text, months):
    found = find_age(text)
    assert found is not None
    assert found.months == months


def test_a_range_with_a_dash_is_no_bare_age():
    assert find_age("she is 2 - 3 in most things") is None


@pytest.mark.parametrize(
    "text",
    [
        "newborn to 3 years, how does attachment change",
        "from birth to 2 years what should I notice",
        "how does the bond change from newborn to toddler",
        "newborn - 18 months, what is typical",
    ],
)
def test_a_range_from_birth_names_no_age(text):
    assert find_ages(text) == []


@pytest.mark.parametrize(
    "text", ["my newborn cries when I leave the room", "is it normal for a newborn to cry"]
)
def test_a_newborn_is_still_an_age_outside_a_range(text):
    assert [m.months for m in find_ages(text)] == [0]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("how do I comfort an almost-2 year old mid tantrum", 23),
        ("coming up to two and very clingy", 23),
        ("coming up to 18 months, is this normal", 17),
        ("she's fast approaching 1 and hates strangers", 11),
        ("he's just under 2, any tips", 23),
        ("my son is 2 next month and hits", 23),
        ("she'll be three in june, how do I prepare her", 35),
        ("he is 2 years old in a fortnight", 23),
        ("our little one is just gone 2", 24),
        ("she's just over a year and won't go to anyone", 12),
        ("he is now a bit over a year", 12),
    ],
)
def test_an_age_not_reached_yet_or_just_passed_is_read(text, months):
    found = find_age(text)
    assert found is not None
    assert found.months == months


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("my little girl is 2 and stays with her dad at weekends", 24),
        ("the eldest is 3 and very jealous", 36),
        ("my boy is one and won't settle", 12),
    ],
)
def test_a_bare_age_after_girl_boy_or_eldest_is_read(text, months):
    found = find_age(text)
    assert found is not None
    assert found.months == months


def test_years_without_a_unit_then_months_are_one_age():
    assert [m.months for m in find_ages("my eldest is 2 and 9 months and a baby is due")] == [33]
    assert [m.months for m in find_ages("she is 1 & 4 months")] == [16]


def test_two_children_or_a_range_are_not_added_up():
    assert 33 not in [m.months for m in find_ages("my kids are 2 and 9 months")]
    assert 33 not in [m.months for m in find_ages("somewhere between 2 and 9 months")]


@pytest.mark.parametrize(
    ("text", "months"), [("2 and a bit and won't walk anywhere", 24), ("he's 1 going on 2", 12)]
)
def test_n_and_a_bit_or_n_going_on_m_is_n_years(text, months):
    found = find_age(text)
    assert found is not None
    assert found.months == months


def test_a_time_something_lasts_or_a_point_in_time_gives_way_to_the_childs_age():
    said = "my partner works away 2 weeks at a time and when he's home our 16 month old ignores him"
    assert [m.months for m in find_ages(said)] == [16]
    said = "the baby room moves them up at 12 months. she's 11 months and only just settled"
    assert [m.months for m in find_ages(said)] == [11]
    assert [m.months for m in find_ages("my 8 month old and my 2 year old both cry")] == [8, 24]
    # a work rota is no age ("3 weeks on 3 off"), nor an age a child was when something began
    said = "my husband works offshore 3 weeks on 3 off. our son (15 months) hides from him"
    assert [m.months for m in find_ages(said)] == [15]
    said = "nanny has been with us since he was 3 months, he's 1 now and reaches for her"
    assert [m.months for m in find_ages(said)] == [12]


def test_twin_boys_are_n_is_their_age():
    found = find_age("our twin boys are 2. one explores, the other stays glued to me")
    assert found is not None
    assert found.months == 24


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("we put him in nursery at 4 months and I feel awful. he's nearly 2 now and clings at drop off", 23),
        ("she started with the childminder at 10 months, she's 2 now and still cries", 24),
    ],
)
def test_an_age_at_a_point_in_a_back_story_gives_way_to_the_childs_age_said_after_it(text, months):
    assert [m.months for m in find_ages(text)] == [months]


def test_an_age_at_a_point_with_nothing_after_it_stands():
    assert [m.months for m in find_ages("at 6 months he was clingy for 3 months")] == [6]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # The age on joining, bare or with a unit, and the time since in weeks, months or years, added up.
        ("adopted at 2, she's been home 3 months and won't let me cuddle her", 27),
        ("adopted at 20 months, been home 2 years now", 44),
        ("placed with us aged 3, she's been with us a year and a half", 54),
        ("adopted at 2 and a half, been home two and a half months", 32),
        ("we adopted her at about 18 months, home for nearly 3 months now", 21),
        ("adopted at 9 months and he's been home 13 weeks", 12),
        ("adopted at 9 months and he's been home 91 days", 12),
        # An age said about now wins over the sum.
        (
            "we adopted at 9 months and I went back to work when he'd been home 3 months, now hes 2 and clingy",
            24,
        ),
        ("adopted at 20 months and has been home 6 weeks, she turned 2 last week", 24),
        ("my 2 year old, adopted at 20 months, has been home 4 months", 24),
        # An age "at" a point to come is no age now.
        ("adopted at 9 months, home 3 months, and she starts nursery at 18 months", 12),
    ],
)
def test_the_age_on_joining_the_family_and_the_time_since_are_added_up(text, months):
    assert [m.months for m in find_ages(text)] == [months]


def test_a_time_at_home_said_far_from_the_age_on_joining_is_not_added():
    text = (
        "we adopted at 9 months. Things were hard at first with the sleep and the food, and the "
        "social worker visits, and then we went home 3 months later to see my family"
    )
    assert [m.months for m in find_ages(text)] == [9]
