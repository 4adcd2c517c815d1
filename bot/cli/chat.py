"""``securebase chat``: the same conversation in a terminal, on the same database, as a local parent.

Updates are served exactly as in Telegram (``Serving.serve_update``: the conversation, the commit, then the
replies, and tips through the dispatcher); only the outbox differs, printing instead of calling the Bot API.
Buttons get a letter; typing the letter presses it.
Letters, not numbers: "3" is a time, a day or a tips-a-week answer of its own, and must not press button 3.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import conversation
from bot.app.config import load_settings
from bot.app.serve import Serving
from bot.cli.database import chosen_database
from bot.conversation import Env, Outcome, Who
from bot.core.reply import Document, Reply
from bot.core.retention import DEFAULT_RETENTION_MONTHS
from bot.core.safety_reply import Support
from bot.core.text import plain
from bot.dispatch import SendResult
from content import default_library
from db.engine import create_engine, session_factory
from db.migrate import upgrade_to_head
from db.models import DeliveryState
from db.problems import DATABASE_FAILURES

QUIT = frozenset({"/quit", "/exit"})
# Button keys. No "n" or "y": typed alone they answer yes/no questions.
KEYS = "abcdefghijklmopqrstuvwxz"


class TerminalOutbox:
    """The send interface the Telegram sender implements, printing instead: buttons get letters, a document
    is saved to ``folder``. Tips are printed like replies, so "/tip" takes the dispatcher's real path."""

    def __init__(self, out: TextIO, folder: Path, chat_id: int) -> None:
        self.out = out
        self.folder = folder
        self.chat_id = chat_id
        self.choices: dict[str, str] = {}  # key -> callback data of the buttons on screen now
        self._message_id = 0

    async def send_reply(self, chat_id: int, reply: Reply, *, urgent: bool = False) -> bool:
        self._show(chat_id, reply)
        return True

    def quiet_left(self) -> float:
        return 0.0

    async def send_tip(self, chat_id: int, reply: Reply, *, max_wait: float = math.inf) -> SendResult:
        self._show(chat_id, reply)
        self._message_id += 1
        return SendResult(DeliveryState.SENT, self._message_id)

    def _show(self, chat_id: int, reply: Reply) -> None:
        # Someone else's chat (a caregiver told that you joined): shown, but marked as not yours.
        who = "bot" if chat_id == self.chat_id else f"bot to chat {chat_id}"
        print(f"\n{who}> {plain(reply.text).replace(chr(10), chr(10) + '     ')}", file=self.out)
        if chat_id != self.chat_id:
            return
        for row in reply.buttons:
            labels = []
            for button in row:
                key = KEYS[len(self.choices)] if len(self.choices) < len(KEYS) else None
                if key is not None:
                    self.choices[key] = button.data
                labels.append(f"[{key}] {button.label}" if key else button.label)
            print("     " + "   ".join(labels), file=self.out)
        if reply.document is not None:
            self._save(reply.document)

    def _save(self, document: Document) -> None:
        """A document (the /mydata export) is written to the current folder, readable by its owner only,
        and never through a link: a symlink in its place is refused rather than followed to its target."""
        path = self.folder / Path(document.filename).name
        try:
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            print(f"     (not saved: {path} is a link or cannot be written: {exc.strerror})", file=self.out)
            return
        os.fchmod(fd, 0o600)  # also when an earlier, more open file of that name is overwritten
        with os.fdopen(fd, "wb") as handle:
            handle.write(document.content)
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
        retention_months: int = DEFAULT_RETENTION_MONTHS,
    ) -> None:
        self.sessions = sessions
        self.who = Who(chat_id, None, "en")
        self.today = today
        self.out = out
        self.outbox = TerminalOutbox(out, Path.cwd(), chat_id)
        self.serving = Serving.of(sessions, self.outbox)
        self.env = Env(
            library=default_library(),
            default_time_zone=default_time_zone,
            support=support or Support(),
            retention_months=retention_months,
        )

    def now(self) -> datetime:
        real = datetime.now(UTC)
        return real if self.today is None else datetime.combine(self.today, real.time().replace(hour=12), UTC)

    async def handle(self, line: str) -> None:
        choices, self.outbox.choices = self.outbox.choices, {}
        now = self.now()
        pressed = choices.get(line.lower())

        async def call(s: AsyncSession) -> Outcome:
            if pressed is not None:
                return await conversation.on_press(s, self.env, self.who, pressed, now)
            return await conversation.on_text(s, self.env, self.who, line, now)

        await self.serving.serve_update(self.who.chat_id, call, now, committed=self._toast)

    async def _toast(self, outcome: Outcome) -> None:
        """What Telegram shows in a little popup over a pressed button, when nothing else answers it."""
        if outcome.toast and not outcome.replies:
            print(f"\nbot> ({outcome.toast})", file=self.out)

    async def run(self, lines: TextIO) -> None:
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


async def _chat(
    url: str, chat_id: int, today: date | None, zone: str, support: Support, retention_months: int
) -> None:
    engine = create_engine(url)
    try:
        chat = TerminalChat(
            session_factory(engine),
            chat_id,
            today,
            sys.stdout,
            default_time_zone=zone,
            support=support,
            retention_months=retention_months,
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
        asyncio.run(
            _chat(
                url,
                args.chat_id,
                today,
                settings.default_time_zone,
                settings.support(),
                settings.retention_months,
            )
        )
    except (SQLAlchemyError, OSError) as exc:
        print(
            f"\nThe chat could not use the database ({type(exc).__name__}). On SQLite, the running bot may "
            "hold the write lock: try again in a moment.",
            file=sys.stderr,
        )
        return 1
    return 0
