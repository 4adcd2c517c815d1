"""The bot the benchmarks' fake Bot API servers pretend to be: one token, one getMe answer, one sender.

``bench/dispatch.py`` and ``bench/interactive.py`` each run their own fake server (one bare and fast, one
with Telegram's limits), but python-telegram-bot must see the same bot from both.
"""

from __future__ import annotations

from typing import Any

BOT_ID = 7000000001
TOKEN = f"{BOT_ID}:AAbenchtokenbenchtokenbenchtoken00"  # (the fake servers accept anything)
# The "from" of every message the bot sends.
SENDER: dict[str, Any] = {"id": BOT_ID, "is_bot": True, "first_name": "Secure Base"}
# getMe's result.
GET_ME: dict[str, Any] = {
    **SENDER,
    "username": "SecureBaseBenchBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
