"""The fake Bot API behaves like Telegram where our code depends on it (success, errors, buttons)."""

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, RetryAfter

from tests.fake_telegram import TOKEN, FakeBotAPI


async def test_send_message_is_recorded_with_buttons():
    api = FakeBotAPI()
    async with Bot(TOKEN, request=api, get_updates_request=FakeBotAPI()) as bot:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]])
        message = await bot.send_message(42, "Hello <b>there</b>", reply_markup=markup)
    assert message.message_id >= 1000
    assert api.last_to(42).text == "Hello <b>there</b>"
    assert api.last_to(42).buttons == [[("Yes", "y")]]


async def test_faults_map_to_ptb_errors():
    api = FakeBotAPI()
    api.fail(403, "Forbidden: bot was blocked by the user", chat_id=1)
    api.fail(429, "Too Many Requests: retry after 3", retry_after=3)
    async with Bot(TOKEN, request=api, get_updates_request=FakeBotAPI()) as bot:
        with pytest.raises(Forbidden):
            await bot.send_message(1, "x")
        with pytest.raises(RetryAfter):
            await bot.send_message(2, "x")
        await bot.send_message(2, "x")
    assert [s.chat_id for s in api.sent] == [2]
