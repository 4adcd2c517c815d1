"""For operators, in the chats listed in ADMIN_CHAT_IDS only: ``/stats`` and error alerts.

To anyone else these commands do not exist: the handler's filter lets only those private chats in, and every
other update goes on to the conversation as before. What operators see is aggregates and error types with
code locations: never a name, a chat id, a date of birth or a message.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections import Counter, deque
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CommandHandler, ContextTypes, filters

from bot.app import metrics
from bot.conversation.texts import esc
from bot.core.ages import DateProblem, age_on
from bot.core.reply import Reply
from bot.telegram.jobs import App
from bot.telegram.sender import TelegramSender
from content import Library
from db.models import ParentState
from db.stats import FamilyCounts, family_counts

log = logging.getLogger(__name__)

STATS_WINDOW = dt.timedelta(days=7)
#: The handler group that runs before the conversation's, so an admin's /stats is not also a parent's command.
ADMIN_GROUP = -1
#: Our own code: an alert names the deepest frame in these packages.
OWN_PACKAGES = ("bot", "db", "content", "migrations")
PAST_LAST_STAGE = "past 36 months"

Clock = Callable[[], dt.datetime]


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
        app.add_error_handler(self.on_error)

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        assert chat is not None
        now = self.clock()
        async with self.sessions() as s:
            counts = await family_counts(s, now - STATS_WINDOW)
        text = render_stats(counts, self.library, now.date(), metrics.answers_so_far())
        await self.sender.send_reply(chat.id, Reply(text))
        raise ApplicationHandlerStop  # the conversation never sees an admin's /stats

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
