"""Control characters never reach the database: a NUL byte in a name used to break every later update of that
family on PostgreSQL. Cleaned once, where text and names enter the conversation."""

from __future__ import annotations

from sqlalchemy import select

from bot.conversation.clean import clean_name, clean_text
from db.models import Child, Parent
from tests.bot.support import Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent


def test_text_keeps_its_lines_and_loses_control_characters() -> None:
    assert clean_text("why\x00 does she\r\ncry\x07?\x1b[31m") == "why does she\ncry?[31m"
    assert clean_text("tab\tstays, DEL\x7f and C1\x85 go") == "tab\tstays, DEL and C1 go"
    assert clean_text("lone \ud800surrogate") == "lone surrogate"
    assert clean_text("emoji 👩‍👧 stay") == "emoji 👩‍👧 stay"  # the joiner is no control character


def test_names_are_one_line_without_invisible_or_reversing_characters() -> None:
    assert clean_name("Mi\x00a") == "Mia"
    assert clean_name("Mia\nRose\u2028Smith") == "Mia Rose Smith"
    assert clean_name("Mia\u202etxt.exe") == "Miatxt.exe"
    assert clean_name("  \x00\t ") is None
    assert clean_name(None) is None
    assert clean_name("Zoë-Ann O'Neil") == "Zoë-Ann O'Neil"


async def test_nul_bytes_in_names_and_text_are_dropped_before_storage(bot: Harness) -> None:
    sam = TgParent(951, first_name="Sa\x00m\u202e")
    await onboard(bot, sam, name="Mi\x00a\u202e")
    answer = await bot.say(sam, "is stranger\x00 anxiety normal?")
    assert answer
    assert texts(await bot.say(sam, "/pause"))  # the family still works afterwards
    async with bot.sessions() as s:
        parent = await s.scalar(select(Parent).where(Parent.chat_id == 951))
        child = await s.scalar(select(Child))
    assert parent is not None
    assert parent.first_name == "Sam"
    assert child is not None
    assert child.name == "Mia"
