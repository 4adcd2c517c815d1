"""``securebase send-due``: one dispatcher pass from the command line, for operators and tests.

It prints ids only (parent, chat, child, tip, slot), never names or message text.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys

from telegram import Bot

from bot.app.config import Settings, load_settings
from bot.cli.database import Database, chosen_database
from bot.dispatch import Dispatcher, DispatchReport, Outgoing
from bot.telegram.sender import TelegramSender, bot_for
from db.engine import create_engine, session_factory, sqlite_file
from db.migrate import schema_state, upgrade_to_head_async
from db.problems import DATABASE_FAILURES

SEND_NEEDS_BOT = (
    "send-due needs a Telegram bot token to send tips, and TELEGRAM_BOT_TOKEN is not set "
    "(see `securebase run` for how to get one). To see what would be sent without sending, "
    "add --dry-run."
)


def parse_now(text: str | None) -> dt.datetime:
    """``--now``: an ISO 8601 moment; without an offset it means UTC."""
    if text is None:
        return dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(text.strip())
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _line(verb: str, message: Outgoing) -> str:
    return (
        f"{verb} parent={message.parent_id} chat={message.chat_id} child={message.child_id} "
        f"tip={message.plan.item_id} slot={message.slot_at.isoformat()}"
    )


class SchemaBehind(Exception):
    """A dry run found the schema missing or behind: it reports this rather than migrating."""


async def _pass(
    settings: Settings, database: Database, now: dt.datetime, dry_run: bool, bot: Bot | None
) -> DispatchReport:
    # A dry run leaves no trace: no database file is created and no migration runs.
    engine = create_engine(database.url, create=not dry_run)
    try:
        if dry_run:
            state = await schema_state(engine)
            if not state.at_head:
                raise SchemaBehind(state.describe())
        else:
            await upgrade_to_head_async(engine)
        sender = TelegramSender(bot) if bot is not None else None
        dispatcher = Dispatcher.from_settings(sender, session_factory(engine), settings, keep_messages=True)
        if dry_run:
            return await dispatcher.preview(now)
        assert bot is not None
        async with bot:
            return await dispatcher.run_once(now)
    finally:
        await engine.dispose()


def run_send_due(args: argparse.Namespace) -> int:
    try:
        now = parse_now(args.now)
    except ValueError:
        print(
            f"--now {args.now!r} is not an ISO date-time; try 2026-03-01T09:00 or 2026-03-01T09:00+01:00",
            file=sys.stderr,
        )
        return 2
    settings = load_settings()
    database = chosen_database(args)
    token = settings.telegram_bot_token
    if not args.dry_run and (token is None or not token.get_secret_value().strip()):
        print(SEND_NEEDS_BOT, file=sys.stderr)
        return 2
    bot = None if args.dry_run else bot_for(settings)
    try:
        report = asyncio.run(_pass(settings, database, now, args.dry_run, bot))
    except SchemaBehind as exc:
        print(f"dry run: {exc}; nothing was changed", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        if not args.dry_run:
            raise database.problem(exc) from None
        print(
            f"dry run: {database.setting}: no database at {sqlite_file(database.url)} yet; nothing was created",
            file=sys.stderr,
        )
        return 2
    except DATABASE_FAILURES as exc:
        raise database.problem(exc) from None
    verb = "would send" if args.dry_run else "sent"
    for message in report.messages:
        print(_line(verb, message))
    if args.dry_run:
        print(
            f"dry run at {now.isoformat()}: {len(report.messages)} tip(s) would be sent, "
            f"{report.skipped} missed slot(s) would be skipped; nothing was sent or claimed"
        )
    else:
        print(f"pass at {now.isoformat()}: {report.summary()}")
    return 0
