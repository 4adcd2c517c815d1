"""The python-telegram-bot Application: thin handlers that turn updates into conversation calls.

Each update is served by ``Serving.serve_update`` (one session, one commit, then the replies), the same path
the terminal chat takes; this module only reads updates and answers button presses. Updates of different
chats are handled concurrently, each chat's in order (:class:`ChatOrderedProcessor`); their database work has
the short, interactive time limits, and their sends go ahead of scheduled tips at the rate limiter
(:class:`PriorityRateLimiter`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import BotCommand, CallbackQuery, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import conversation, metrics
from bot.app.config import Settings
from bot.app.failures import OUTAGES, RepeatedFailures
from bot.app.serve import Serving
from bot.conversation import COMMANDS, Env, Outcome, Who
from bot.conversation.distress import reply_without_database
from bot.conversation.texts import EXPIRED_TOAST, GROUP_ONLY_PRIVATE, SOMETHING_WRONG
from bot.core.reply import Reply
from bot.dispatch import Dispatcher
from bot.metrics import UpdateKind
from bot.telegram.admin import Admin
from bot.telegram.jobs import App, register_dispatch_job, register_housekeeping_job
from bot.telegram.lanes import UrgentFirstRateLimiter
from bot.telegram.limiter import PriorityRateLimiter
from bot.telegram.ordering import ChatOrderedProcessor
from bot.telegram.sender import DEFAULTS, OnDemandSender, TelegramSender, passing
from bot.telegram.updates import SkippingBadUpdates
from content import Library, default_library
from db import families
from db.engine import create_engine, interactive, session_factory

log = logging.getLogger(__name__)

ANSWERING_AT_ONCE = 16


Clock = Callable[[], datetime]
Call = Callable[[AsyncSession, Env, datetime], Awaitable[Outcome]]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Handlers:
    """The callbacks registered with PTB; they hold the serving and the clock, no per-parent state."""

    def __init__(self, serving: Serving, env: Env, clock: Clock) -> None:
        self.serving = serving
        self.env = env
        self.clock = clock
        self.failures = RepeatedFailures("update", log, expected=(*OUTAGES, NetworkError, RetryAfter))
        # Updates are handled concurrently (ChatOrderedProcessor), but only this many work out their answer
        # at once, first come first served: a burst of questions is answered in order of arrival instead of
        # all at once, slowly. Waiting for the rate limiter afterwards takes no place here.
        self.thinking = asyncio.Semaphore(ANSWERING_AT_ONCE)

    def install(self, app: App) -> None:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        app.add_handler(MessageHandler(private & filters.TEXT, self.text))
        app.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, self.not_text))
        app.add_handler(
            MessageHandler(
                ~filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.COMMAND, self.group
            )
        )
        app.add_handler(CallbackQueryHandler(self.press))
        app.add_handler(ChatMemberHandler(self.member, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_error_handler(self.error)

    async def _serve(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        call: Call,
        query: CallbackQuery | None = None,
        *,
        urgent: bool = False,
    ) -> None:
        """Serve the update; once committed, answer the button (before the replies go out). An ``urgent``
        update (a crisis or an emergency) does not queue behind questions being worked out."""
        started = time.perf_counter()
        now = self.clock()
        env = replace(self.env, bot_username=context.bot.username)

        async def answered(outcome: Outcome) -> None:
            if query is not None:
                await _answer_press(query, outcome.toast)
                await _drop_buttons(query)

        async def think(s: AsyncSession) -> Outcome:
            if urgent:
                return await call(s, env, now)
            async with self.thinking:
                return await call(s, env, now)

        with interactive():
            outcome = await self.serving.serve_update(chat_id, think, now, committed=answered)
        if outcome.safety is not None:
            metrics.safety_reply(outcome.safety.value)
        metrics.reply_latency(time.perf_counter() - started)

    @staticmethod
    def _who(update: Update) -> Who:
        user = update.effective_user
        chat = update.effective_chat
        assert chat is not None
        return Who(chat.id, user.first_name if user else None, user.language_code if user else None)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        text = message.text
        metrics.update_handled(UpdateKind.COMMAND if text.startswith("/") else UpdateKind.MESSAGE)
        who = self._who(update)
        heard = await conversation.hear(text)  # before a database connection is taken
        await self._serve(
            context,
            who.chat_id,
            lambda s, env, now: conversation.on_text(s, env, who, heard, now),
            urgent=heard.urgent,
        )

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        metrics.update_handled(UpdateKind.BUTTON)
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE or not query.data:
            await _answer_press(query, EXPIRED_TOAST)
            return
        data = query.data
        who = Who(chat.id, query.from_user.first_name, query.from_user.language_code)
        await self._serve(
            context, who.chat_id, lambda s, env, now: conversation.on_press(s, env, who, data, now), query
        )

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice notes...: say what works instead of staying silent."""
        metrics.update_handled(UpdateKind.OTHER)
        who = self._who(update)
        await self._serve(
            context, who.chat_id, lambda s, env, now: conversation.on_not_text(s, env, who, now)
        )

    async def group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command in a group: point to a private chat, unless it was meant for another bot there."""
        metrics.update_handled(UpdateKind.OTHER)
        chat, message = update.effective_chat, update.effective_message
        assert chat is not None
        command = (message.text or "").split(maxsplit=1)[0] if message is not None else ""
        _, at, addressee = command.partition("@")
        if at and addressee.lower() != (context.bot.username or "").lower():
            return
        await self.serving.outbox.send_reply(chat.id, Reply(GROUP_ONLY_PRIVATE))

    async def member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The parent blocked the bot (kicked it from their private chat): send them nothing more."""
        metrics.update_handled(UpdateKind.OTHER)
        change = update.my_chat_member
        if change is None or change.chat.type != ChatType.PRIVATE:
            return
        if change.new_chat_member.status == ChatMemberStatus.BANNED:
            with interactive():
                async with self.serving.sessions() as s:
                    await families.mark_blocked(s, change.chat.id)
                    await s.commit()

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure by type (and, for a bug, code locations) only: no message text, names or token; an
        outage (database, network) is one line, and its repeats a count."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        if error is not None:
            self.failures.failed(error, f"update {update_id}")
        metrics.failure(error)
        if not isinstance(update, Update):
            return
        chat = update.effective_chat
        if update.callback_query is not None:
            await _answer_press(update.callback_query, None)  # may have been answered before the failure
        message = update.effective_message
        distress = (
            await reply_without_database(self.env, message.text)
            if message is not None and message.text
            else None
        )
        try:
            if chat is not None and chat.type == ChatType.PRIVATE and distress is not None:
                for reply in distress.replies:  # safety first, even when nothing else works
                    await self.serving.outbox.send_reply(chat.id, reply, urgent=distress.urgent)
            elif chat is not None and chat.type == ChatType.PRIVATE:
                await self.serving.outbox.send_reply(chat.id, Reply(SOMETHING_WRONG))
        except TelegramError as exc:
            log.warning("could not tell chat about the failure: %s", type(exc).__name__)


async def _answer_press(query: CallbackQuery, toast: str | None) -> None:
    """Stop the button's spinner. Telegram refuses once the press is ~15 s old (a busy or restarting bot)
    or answered; the replies matter more than the spinner, so a failure here must not stop them."""
    try:
        await query.answer(toast)
    except TelegramError as exc:
        log.info("could not answer a button press: %s", type(exc).__name__)


async def _drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message: they have done their job, and stale ones only confuse."""
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError as exc:  # too old to edit, already gone, or deleted: the buttons just stay
        log.info("could not remove the pressed buttons: %s", type(exc).__name__)


def bot_commands() -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in COMMANDS]


async def register_commands(app: App) -> None:
    """The command menu is a convenience: failing to set it (a flood answer at a restart) must not stop the bot."""
    try:
        await app.bot.set_my_commands(bot_commands())
    except RetryAfter as exc:
        log.warning("could not set the command menu now (%s); it stays as it was", type(exc).__name__)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    sessions: async_sessionmaker[AsyncSession] | None = None,
    clock: Clock = utc_now,
    library: Library | None = None,
    with_jobs: bool = False,
    rate_limiter: PriorityRateLimiter | None = None,
) -> App:
    """The bot, ready to run (``with_jobs``: the dispatcher's and housekeeping's periodic jobs too) or to be
    fed updates in tests (which pass a fake request and their sessions). One sender serves replies, /tip and
    the periodic passes alike (tips asked for through their own dispatcher, with the replies' policy:
    :class:`OnDemandSender`); without ``sessions`` it opens the database itself and closes it when the
    application shuts down."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(DEFAULTS)
        # Throttles only (replies and tips handle a 429 themselves); crisis and emergency replies skip it,
        # other replies go before scheduled tips.
        .rate_limiter(UrgentFirstRateLimiter(rate_limiter or PriorityRateLimiter()))
        .concurrent_updates(ChatOrderedProcessor())
    )
    builder.post_init(register_commands)
    if settings.telegram_api_base_url:
        root = settings.telegram_api_base_url.rstrip("/")
        builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    if request is not None:
        builder.request(request)
    # Polling moves past an update this python-telegram-bot cannot read instead of stopping on it.
    builder.get_updates_request(SkippingBadUpdates(get_updates_request))
    if sessions is None:
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)

        async def dispose(_app: App) -> None:
            await engine.dispose()

        builder.post_shutdown(dispose)
    env = Env(
        library=library or default_library(),
        default_time_zone=settings.default_time_zone,
        invite_ttl=timedelta(hours=settings.invite_ttl_hours),
        support=settings.support(),
    )
    app = builder.build()
    sender = TelegramSender(app.bot)
    on_demand = Dispatcher.from_settings(OnDemandSender(sender), sessions, settings)
    serving = Serving.of(sessions, sender, on_demand, passing=passing)
    Handlers(serving, env, clock).install(app)
    Admin(settings.admin_chat_ids, sessions, env.library, sender, clock).install(app)
    if with_jobs:
        register_dispatch_job(app, Dispatcher.from_settings(sender, sessions, settings), settings)
        register_housekeeping_job(app, sessions, settings)
    return app


__all__ = ["App", "Handlers", "bot_commands", "build_application", "register_commands", "utc_now"]
