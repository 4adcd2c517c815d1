"""Every message of setup, adding children, settings, pausing, stopping and /mydata stays under 1,200
characters with the longest names allowed and eight children, and says its point in the first line."""

from bot.conversation.texts import MAX_NAME_CHARS
from db.models import NAME_MAX_LENGTH
from tests.bot.support import Harness, onboard
from tests.fake_telegram import Parent as TgParent
from tests.fake_telegram import Sent

MAX_CHARS = 1200
CHILDREN = 8


def long_name(n: int) -> str:
    return (f"Maximiliana-Josephine {n} " + "W" * MAX_NAME_CHARS)[:MAX_NAME_CHARS]


async def test_every_flow_message_is_short_with_the_longest_names_and_many_children(bot: Harness):
    sam = TgParent(951, "Bartholomew-Alexander " + "Q" * NAME_MAX_LENGTH)
    sent: list[Sent] = await onboard(bot, sam, name=long_name(0), zone="Port Moresby")
    for n in range(1, CHILDREN):
        bot.clock.advance(minutes=1)
        sent += await bot.say(sam, "/addchild")
        sent += await bot.say(sam, long_name(n))
        sent += await bot.say(sam, "1 April 2026")
        if n == 1:
            sent += await bot.tap(sam, "Yes, born early")
            sent += await bot.say(sam, "20 May 2026")
        else:
            sent += await bot.tap(sam, f"Same as {long_name(1)} (20 May 2026)"[:64])
    sent += await bot.say(sam, "/addchild")
    sent += await bot.say(sam, long_name(3))  # the same name again
    sent += await bot.tap(sam, f"Yes, add another {long_name(3)}")
    sent += await bot.say(sam, "/cancel")
    sent += await bot.say(sam, "/addchild")
    for command in ("/start", "/settings", "/mydata", "/pause", "/stop", "/cancel", "/help", "/privacy"):
        sent += await bot.say(sam, command)
    sent += await bot.say(sam, "/pause")
    sent += await bot.tap(sam, "A month")
    sent += await bot.say(sam, "/start")
    assert len(sent) > 40
    for message in sent:
        assert len(message.text) <= MAX_CHARS, message.text
        first_line = message.text.split("\n", 1)[0]
        assert len(first_line) <= 400, message.text


async def test_what_is_typical_comes_a_short_message_at_a_time_and_nothing_is_lost(bot: Harness):
    """/normal at ages where two stages overlap (the longest): a few of each, the rest behind "More",
    each message under 1,200 characters, and every idea of the stages reachable."""
    from html import unescape

    from bot.core.answers import listed_text
    from content import default_library

    library = default_library()
    for n, (birthdate, months) in enumerate(
        (("15 March 2026", 8), ("15 July 2025", 16), ("15 January 2025", 22), ("15 May 2024", 30))
    ):
        sam = TgParent(960 + n)
        await onboard(bot, sam, name=long_name(n), birthdate=birthdate)
        pages = await bot.say(sam, "/normal")
        while pages[-1].buttons:
            assert pages[-1].button_labels == ["More"]
            pages += await bot.tap(sam, "More")
        assert len(pages) >= 2, months
        for page in pages:
            assert len(page.text) < MAX_CHARS, page.text
        shown = unescape("\n".join(page.text for page in pages))
        for band in library.bands_at(months):
            for item in (*band.indicators, *band.strategies):
                assert listed_text(item) in shown, (months, item.id)
