"""``securebase chat``: the same conversation in a terminal, on the same database, as a local parent.

Replies go through a real ``telegram.Bot`` whose request object prints instead of calling Telegram, so tips
sent "now" take exactly the path they take in Telegram. Buttons get a letter; typing the letter presses it.
Letters, not numbers: "3" is a time, a day or a tips-a-week answer of its own, and must not press button 3.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import os
import re
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.request import BaseRequest, RequestData

from bot import conversation
from bot.app.config import load_settings
from bot.cli.database import chosen_database
from bot.conversation import Env, Outcome, Who
from bot.core.safety_reply import Support
from bot.dispatch import Dispatcher
from bot.telegram.deliver import deliver
from bot.telegram.sender import TelegramSender
from content import default_library
from db.engine import create_engine, session_factory
from db.migrate import upgrade_to_head
from db.problems import DATABASE_FAILURES

TERMINAL_TOKEN = "1:terminal"  # noqa: S105 (a placeholder: nothing leaves the process)
_TAG = re.compile(r"<[^>]+>")
QUIT = frozenset({"/quit", "/exit"})
# Button keys. No "n" or "y": typed alone they answer yes/no questions.
KEYS = "abcdefghijklmopqrstuvwxz"


def plain(text: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))


class TerminalRequest(BaseRequest):
    """Answers the Bot API calls the conversation makes by printing the message; buttons get letters."""

    def __init__(self, out: TextIO, folder: Path, chat_id: int) -> None:
        self.out = out
        self.folder = folder
        self.chat_id = chat_id
        self.choices: dict[str, str] = {}  # key -> callback data of the buttons on screen now
        self._message_id = 0

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if api_method == "getMe":
            result: Any = {
                "id": 1,
                "is_bot": True,
                "first_name": "Secure Base",
                "username": "SecureBaseTerminal",
            }
        elif api_method in ("sendMessage", "sendDocument"):
            self._show(params, request_data)
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": int(str(params.get("chat_id", 0))), "type": "private"},
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _show(self, params: dict[str, Any], request_data: RequestData | None) -> None:
        text = plain(str(params.get("text", params.get("caption", ""))))
        chat_id = int(str(params.get("chat_id", 0)))
        # Someone else's chat (a caregiver told that you joined): shown, but marked as not yours.
        who = "bot" if chat_id == self.chat_id else f"bot to chat {chat_id}"
        print(f"\n{who}> {text.replace(chr(10), chr(10) + '     ')}", file=self.out)
        if chat_id != self.chat_id:
            return
        markup = params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in markup.get("inline_keyboard", []):
            labels = []
            for button in row:
                key = KEYS[len(self.choices)] if len(self.choices) < len(KEYS) else None
                if key is not None:
                    self.choices[key] = button.get("callback_data", "")
                labels.append(f"[{key}] {button['text']}" if key else button["text"])
            print("     " + "   ".join(labels), file=self.out)
        if request_data is not None and request_data.contains_files:
            self._save(request_data)

    def _save(self, request_data: RequestData) -> None:
        """A document (the /mydata export) is written to the current folder, readable by its owner only."""
        for part in request_data.multipart_data.values():
            filename, content = str(part[0]), part[1]
            path = self.folder / Path(filename).name
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)  # also when an earlier, more open file of that name is overwritten
            with os.fdopen(fd, "wb") as handle:
                handle.write(content if isinstance(content, bytes) else content.read())
            print(f"     (saved as {path})", file=self.out)


class TerminalChat:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        chat_id: int,
        today: date | None,
        out: TextIO,
        *,
        default_time_zone: str = "UTC",
        support: Support | None = None,
    ) -> None:
        self.sessions = sessions
        self.who = Who(chat_id, None, "en")
        self.today = today
        self.out = out
        self.request = TerminalRequest(out, Path.cwd(), chat_id)
        self.bot = Bot(TERMINAL_TOKEN, request=self.request, get_updates_request=self.request)
        self.sender = TelegramSender(self.bot)
        self.tips = Dispatcher(self.sender, sessions)
        self.env = Env(
            library=default_library(), default_time_zone=default_time_zone, support=support or Support()
        )

    def now(self) -> datetime:
        real = datetime.now(UTC)
        return real if self.today is None else datetime.combine(self.today, real.time().replace(hour=12), UTC)

    async def handle(self, line: str) -> None:
        choices, self.request.choices = self.request.choices, {}
        now = self.now()
        async with self.sessions() as s:
            pressed = choices.get(line.lower())
            if pressed is not None:
                outcome = await conversation.on_press(s, self.env, self.who, pressed, now)
            else:
                outcome = await conversation.on_text(s, self.env, self.who, line, now)
            await s.commit()
        self._toast(outcome)
        await deliver(self.tips, self.sender, self.who.chat_id, outcome, now)

    def _toast(self, outcome: Outcome) -> None:
        if outcome.toast and not outcome.replies:
            print(f"\nbot> ({outcome.toast})", file=self.out)

    async def run(self, lines: TextIO) -> None:
        async with self.bot:
            print(
                "Secure Base in your terminal. Type /start to begin, a button's letter to press it, "
                "/quit (or Ctrl-D) to leave.",
                file=self.out,
            )
            while True:
                print("\nyou> ", end="", file=self.out, flush=True)
                line = await asyncio.to_thread(lines.readline)
                if not line or line.strip().lower() in QUIT:
                    print(file=self.out)
                    return
                if line.strip():
                    await self.handle(line.strip())


async def _chat(url: str, chat_id: int, today: date | None, zone: str, support: Support) -> None:
    engine = create_engine(url)
    try:
        chat = TerminalChat(
            session_factory(engine), chat_id, today, sys.stdout, default_time_zone=zone, support=support
        )
        await chat.run(sys.stdin)
    finally:
        await engine.dispose()


def run_chat(args: argparse.Namespace) -> int:
    try:
        today = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"--today must be a date like 2026-03-15, not {args.today!r}", file=sys.stderr)
        return 2
    settings = load_settings()
    database = chosen_database(args)
    url = database.url
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the chat is for talking, not migration notes
    try:
        upgrade_to_head(url)
    except DATABASE_FAILURES as exc:  # unreachable or unusable: one line naming the setting, exit status 2
        raise database.problem(exc) from None
    try:
        asyncio.run(_chat(url, args.chat_id, today, settings.default_time_zone, settings.support()))
    except (SQLAlchemyError, OSError) as exc:
        print(
            f"\nThe chat could not use the database ({type(exc).__name__}). On SQLite, the running bot may "
            "hold the write lock: try again in a moment.",
            file=sys.stderr,
        )
        return 1
    return 0
