"""For operators, in the chats listed in ADMIN_CHAT_IDS only: ``/stats``, ``/announce`` and error alerts.

To anyone else these commands do not exist: the handler's filter lets only those private chats in, and every
other update goes on to the conversation as before. What operators see is aggregates and error types with
code locations: never a name, a chat id, a date of birth or a message.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import traceback
from collections import Counter, deque
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot import metrics
from bot.core.ages import DateProblem, age_on
from bot.core.reply import Button, Reply
from bot.core.text import esc
from bot.telegram.jobs import App
from bot.telegram.sender import TelegramSender
from content import Library
from db import announcements
from db.models import ParentState
from db.stats import FamilyCounts, family_counts

log = logging.getLogger(__name__)

STATS_WINDOW = dt.timedelta(days=7)
ANNOUNCE_MAX_CHARS = 1000
ANNOUNCE_USAGE = (
    "Write the announcement after the command, for example:\n"
    "/announce The service is closed on Monday 28 December. Tips carry on as usual."
)
_ANNOUNCE_TEXT = re.compile(r"^/announce(?:@\w+)?\s*(.*)$", re.DOTALL)
_ANNOUNCE_PRESS = re.compile(r"^adm:ann:(send|cancel):(\d+)$")
#: The handler group that runs before the conversation's, so an admin's /stats is not also a parent's command.
ADMIN_GROUP = -1
#: Our own code: an alert names the deepest frame in these packages.
OWN_PACKAGES = ("bot", "db", "content", "migrations")
PAST_LAST_STAGE = "past 36 months"
ALREADY_DONE = "That announcement was already sent or cancelled."

Clock = Callable[[], dt.datetime]


def _parents(count: int) -> str:
    return "1 parent" if count == 1 else f"{count:,} parents"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def stages(counts: FamilyCounts, library: Library, today: dt.date) -> Counter[str]:
    """Children per stage on ``today``; a child in two overlapping stages counts in both."""
    per_stage: Counter[str] = Counter()
    for birthdate, due_date in counts.children:
        try:
            months = age_on(birthdate, today, due_date).months
        except DateProblem:  # a clock behind the data: not born yet as far as this process knows
            continue
        bands = library.bands_at(months)
        if not bands:
            per_stage[PAST_LAST_STAGE] += 1
        for band in bands:
            per_stage[band.label] += 1
    return per_stage


def render_stats(counts: FamilyCounts, library: Library, today: dt.date, answers: tuple[int, int]) -> str:
    """The /stats message: every figure an aggregate (HTML, well under Telegram's length limit)."""
    parents = counts.parents
    tips = counts.tips
    stage_counts = stages(counts, library, today)
    ordered = [band.label for band in library.bands if band.label in stage_counts]
    if PAST_LAST_STAGE in stage_counts:
        ordered.append(PAST_LAST_STAGE)
    in_scope, out_of_scope = answers
    lines = [
        "<b>Secure Base: figures</b>",
        "",
        "<b>Families</b>: "
        + ", ".join(f"{parents[state]} {state.value}" for state in ParentState)
        + f" ({sum(parents.values())} in all)",
        f"Blocked the bot: {parents[ParentState.BLOCKED]}",
        "",
        f"<b>Children</b>: {len(counts.children)}",
        *(f"  {label}: {stage_counts[label]}" for label in ordered),
        "",
        f"<b>Tips, last {STATS_WINDOW.days} days</b>: {tips.sent} sent, {tips.failed} failed",
        f"Helpful: {tips.helpful} ({_percent(tips.helpful, tips.sent)}), "
        f"not for us: {tips.not_for_us} ({_percent(tips.not_for_us, tips.sent)})",
        "",
        f"<b>Questions since this process started</b>: {in_scope} answered, {out_of_scope} out of scope "
        f"({_percent(out_of_scope, in_scope + out_of_scope)})",
    ]
    return "\n".join(lines)


def where(error: BaseException) -> str:
    """The deepest frame of our own code in the traceback, as ``package/module.py:line in function``."""
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        parts = Path(frame.filename).parts
        starts = [i for i, part in enumerate(parts[:-1]) if part in OWN_PACKAGES]
        if starts:
            return f"{'/'.join(parts[starts[-1] :])}:{frame.lineno} in {frame.name}"
    if frames:
        return f"{Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}"
    return "unknown place"


class AlertLimiter:
    """Lets an alert through at most once per ``quiet`` for the same error type and place, and at most
    ``per_hour`` alerts in any hour in all: a failure that repeats on every update must not flood operators."""

    def __init__(
        self, clock: Clock, *, quiet: dt.timedelta = dt.timedelta(minutes=15), per_hour: int = 10
    ) -> None:
        self.clock = clock
        self.quiet = quiet
        self.per_hour = per_hour
        self._last: dict[str, dt.datetime] = {}
        self._recent: deque[dt.datetime] = deque()
        self.suppressed = 0

    def allow(self, key: str) -> bool:
        now = self.clock()
        while self._recent and now - self._recent[0] >= dt.timedelta(hours=1):
            self._recent.popleft()
        last = self._last.get(key)
        if (last is not None and now - last < self.quiet) or len(self._recent) >= self.per_hour:
            self.suppressed += 1
            return False
        self._last[key] = now
        self._recent.append(now)
        return True


class Admin:
    """``/stats`` for the admin chats, and alerts to them when an update fails."""

    def __init__(
        self,
        chat_ids: Sequence[int],
        sessions: async_sessionmaker[AsyncSession],
        library: Library,
        sender: TelegramSender,
        clock: Clock,
    ) -> None:
        self.chat_ids = tuple(chat_ids)
        self.sessions = sessions
        self.library = library
        self.sender = sender
        self.clock = clock
        self.limiter = AlertLimiter(clock)

    def install(self, app: App) -> None:
        if not self.chat_ids:
            return
        admins = filters.Chat(chat_id=self.chat_ids) & filters.ChatType.PRIVATE
        app.add_handler(CommandHandler("stats", self.stats, filters=admins), group=ADMIN_GROUP)
        app.add_handler(CommandHandler("announce", self.announce, filters=admins), group=ADMIN_GROUP)
        app.add_handler(CallbackQueryHandler(self.press, pattern=r"^adm:"), group=ADMIN_GROUP)
        app.add_error_handler(self.on_error)

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        assert chat is not None
        now = self.clock()
        async with self.sessions() as s:
            counts = await family_counts(s, now - STATS_WINDOW)
            latest = await announcements.latest_confirmed(s)
            sending = await announcements.progress(s, latest) if latest is not None else None
        text = render_stats(counts, self.library, now.date(), metrics.answers_so_far())
        if sending is not None:
            text += "\n\n<b>Last announcement</b>: " + ", ".join(
                f"{count} {state.value}" for state, count in sending.items() if count
            )
        await self.sender.send_reply(chat.id, Reply(text))
        raise ApplicationHandlerStop  # the conversation never sees an admin's /stats

    async def announce(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Preview first: the text exactly as parents will get it, then how many will, with Send and Cancel."""
        chat, message = update.effective_chat, update.effective_message
        assert chat is not None
        assert message is not None
        found = _ANNOUNCE_TEXT.match(message.text or "")
        body = found.group(1).strip() if found else ""
        if not body:
            await self.sender.send_reply(chat.id, Reply(esc(ANNOUNCE_USAGE)))
        elif len(body) > ANNOUNCE_MAX_CHARS:
            await self.sender.send_reply(
                chat.id,
                Reply(
                    f"That is {len(body):,} characters; an announcement is at most {ANNOUNCE_MAX_CHARS:,}."
                ),
            )
        else:
            async with self.sessions() as s:
                draft = await announcements.create_draft(s, esc(body), self.clock())
                count = await announcements.recipients(s)
                await s.commit()
            buttons = (
                (
                    Button(f"📣 Send to {_parents(count)}", f"adm:ann:send:{draft.id}"),
                    Button("Cancel", f"adm:ann:cancel:{draft.id}"),
                ),
            )
            await self.sender.send_reply(chat.id, Reply(draft.text))
            await self.sender.send_reply(
                chat.id,
                Reply(
                    f"That is how it will look. Send it to the {_parents(count)} who get tips now? Paused, "
                    "stopped and blocked parents do not get it.",
                    buttons,
                ),
            )
        raise ApplicationHandlerStop

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send or Cancel under a preview. Anyone else's press (or a forged one) goes on to the conversation,
        which says the button has expired."""
        query, chat = update.callback_query, update.effective_chat
        assert query is not None
        found = _ANNOUNCE_PRESS.match(query.data or "")
        if chat is None or chat.id not in self.chat_ids or chat.type != ChatType.PRIVATE or found is None:
            return
        action, announcement_id = found.group(1), int(found.group(2))
        async with self.sessions() as s:
            if action == "send":
                queued = await announcements.confirm(s, announcement_id, self.clock())
                answer = (
                    ALREADY_DONE
                    if queued is None
                    else f"Sending to {_parents(queued)}, a batch with each dispatcher pass; /stats shows how "
                    "far it got."
                )
            else:
                answer = (
                    "Cancelled: nothing was sent."
                    if await announcements.cancel(s, announcement_id)
                    else ALREADY_DONE
                )
            await s.commit()
        try:
            await query.answer()
            await query.edit_message_reply_markup(None)
        except TelegramError as exc:  # an old press: the answer below still goes out
            log.info("could not tidy an announcement's buttons: %s", type(exc).__name__)
        await self.sender.send_reply(chat.id, Reply(answer))
        raise ApplicationHandlerStop

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if error is None:
            return
        place = where(error)
        if not self.limiter.allow(f"{type(error).__name__} {place}"):
            return
        text = f"⚠️ An update failed: {type(error).__name__} at {place}"
        if self.limiter.suppressed:
            text += f"\n({self.limiter.suppressed} similar alert(s) held back so far)"
        for chat_id in self.chat_ids:
            try:
                await self.sender.send_reply(chat_id, Reply(esc(text)))
            except TelegramError as exc:
                log.warning("could not alert an admin chat: %s", type(exc).__name__)
