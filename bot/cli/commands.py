"""The securebase command: run the bot, chat in the terminal, ask, check content, manage the database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.app.config import SettingsError
from bot.cli.database import add_database_option, chosen_database, db_backup, db_upgrade
from content import ContentError, load_library
from db.problems import DatabaseProblem

NO_TOKEN_HELP = """\
Secure Base needs a Telegram bot token to run, and TELEGRAM_BOT_TOKEN is not set.
To get one, open Telegram, start a chat with @BotFather, send /newbot and follow its two questions (a display
name, then a username ending in "bot"); it replies with a token like 123456789:AA... . Put it in a .env file in
the folder you run from, as TELEGRAM_BOT_TOKEN=<your token> (copy .env.example to start), or export it as an
environment variable, then start the bot again with `make run` (or .venv/bin/securebase run). To try the
conversation without Telegram: `make chat` (or .venv/bin/securebase chat)."""  # noqa: S105 (help text, not a secret)


# Commands a person reads as they go (log lines would only get in the way of the conversation), and the
# health check, whose output is its lines.
QUIET_COMMANDS = frozenset({"chat", "ask", "content", "health"})


def _content_check(_args: argparse.Namespace) -> int:
    from bot.core.retrieval import index_for
    from content.conversation import load_conversation_words
    from content.lexicon import load_lexicon

    try:
        library = load_library()
        lexicon = load_lexicon()
        index_for(library, lexicon)  # checks that every synonym points at words the content uses
        load_conversation_words()
    except ContentError as exc:
        print(f"content check failed: {exc}", file=sys.stderr)
        return 1
    for topic in library.topics:
        indicators = sum(len(b.indicators) for b in topic.bands)
        strategies = sum(len(b.strategies) for b in topic.bands)
        print(
            f"{topic.id}: {len(topic.bands)} bands, {indicators} indicators, {strategies} strategies, "
            f"{len(topic.background)} background snippets, {len(topic.references)} references"
        )
        for band in topic.bands:
            print(
                f"  {band.label} ({band.first_month}-{band.last_month} months): "
                f"{len(band.indicators)} indicators, {len(band.strategies)} strategies"
            )
    print(
        f"lexicon: {len(lexicon.synonyms)} synonym groups, {len(lexicon.out_of_scope)} out-of-scope subjects"
    )
    print(f"ok: {len(library.topics)} topic(s)")
    return 0


def _run(args: argparse.Namespace) -> int:
    from bot.app.config import load_settings
    from bot.app.logging_setup import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format.value)
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        print(NO_TOKEN_HELP, file=sys.stderr)
        return 2
    database = chosen_database(args)
    from bot.telegram.runner import run_bot

    return run_bot(settings.model_copy(update={"database_url": database.url}), database.setting)


def _chat(args: argparse.Namespace) -> int:
    from bot.cli.chat import run_chat

    return run_chat(args)


def _ask(args: argparse.Namespace) -> int:
    from bot.cli.ask import run_ask

    return run_ask(args)


def _health(args: argparse.Namespace) -> int:
    from bot.cli.health import run_health

    return run_health(args)


def _send_due(args: argparse.Namespace) -> int:
    from bot.cli.send_due import run_send_due

    return run_send_due(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="securebase",
        description="Secure Base: run the Telegram bot, chat in the terminal, ask, check the content, "
        "manage the database.",
        epilog="Settings come from the environment or a .env file in the current folder (see .env.example). "
        "Exit status 2 means a bad setting or an unreachable service; the message names which.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="run the Telegram bot (long polling, or a webhook if WEBHOOK_URL is set)"
    )
    add_database_option(run)
    run.set_defaults(func=_run)

    chat = commands.add_parser("chat", help="talk to the bot in this terminal, without Telegram")
    add_database_option(chat)
    chat.add_argument("--chat-id", type=int, default=1, help="the local parent's id (default: 1)")
    chat.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")
    chat.set_defaults(func=_chat)

    ask = commands.add_parser("ask", help="answer parents' questions from the content")
    ask.add_argument("--birthdate", help="child's birthdate (YYYY-MM-DD)")
    ask.add_argument("--due-date", help="child's due date, for a baby born early (YYYY-MM-DD)")
    ask.add_argument("--today", help="answer as of this date (YYYY-MM-DD; default: today)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("question", nargs="*", help="the question; none reads one question per line from stdin")
    ask.set_defaults(func=_ask)

    content = commands.add_parser("content", help="content library tools")
    content_commands = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    check = content_commands.add_parser("check", help="validate every topic and print a summary")
    check.set_defaults(func=_content_check)

    database = commands.add_parser("db", help="database tools")
    db_commands = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="upgrade the database to the latest schema")
    add_database_option(upgrade, "database to upgrade")
    upgrade.set_defaults(func=db_upgrade)
    backup = db_commands.add_parser(
        "backup",
        help="copy an SQLite database to PATH, consistent while the bot runs (PostgreSQL: prints pg_dump advice)",
    )
    backup.add_argument("path", metavar="PATH", help="the backup file to write")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    add_database_option(backup, "database to back up")
    backup.set_defaults(func=db_backup)

    send_due = commands.add_parser("send-due", help="send the tips that are due now, once")
    send_due.add_argument("--now", help="pretend it is this moment (ISO 8601; naive means UTC)")
    send_due.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be sent; sends, claims, creates and migrates nothing",
    )
    add_database_option(send_due)
    send_due.set_defaults(func=_send_due)

    health = commands.add_parser(
        "health",
        help="check the database, its schema and the token (exit status 0 healthy, 1 not); changes nothing",
    )
    add_database_option(health, "database to check")
    health.add_argument("--no-telegram", action="store_true", help="skip the getMe check of the token")
    health.set_defaults(func=_health)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from bot.app.logging_setup import configure_logging

    try:
        configure_logging("WARNING" if args.command in QUIET_COMMANDS else "INFO")
        result: int = args.func(args)
    except (SettingsError, DatabaseProblem) as exc:
        if args.command == "health":  # a container health check knows 0 and 1 only
            print(f"fail: {exc}")
            return 1
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
