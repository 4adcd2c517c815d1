"""``securebase health``: is this installation able to serve? For container health checks and operators.

One line per check (``ok:``, ``fail:`` or ``skip:``): the database is reachable, its schema is at the latest
revision, and Telegram accepts the token when one is set (getMe). Exit status 0 when nothing failed, else 1,
the two a container health check understands; a bad setting is a failed check too. It changes nothing: no
database file is created and no migration runs.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import text
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app.config import Settings, SettingsError, load_settings
from bot.cli.database import Database, chosen_database
from bot.telegram.sender import bot_for
from db.engine import create_engine, sqlite_file
from db.migrate import schema_state
from db.problems import DATABASE_FAILURES, DatabaseProblem, shown


class Verdict(StrEnum):
    OK = "ok"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    detail: str

    def line(self) -> str:
        return f"{self.verdict.value}: {self.detail}"


async def database_checks(database: Database) -> list[Check]:
    """Reachable, then schema at head; read-only, and a missing SQLite file stays missing."""
    try:
        engine = create_engine(database.url, create=False)
    except FileNotFoundError:
        return [Check(Verdict.FAIL, f"database: no database at {sqlite_file(database.url)} yet")]
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        checks = [Check(Verdict.OK, f"database reachable ({shown(database.url)})")]
        state = await schema_state(engine)
        checks.append(Check(Verdict.OK if state.at_head else Verdict.FAIL, state.describe()))
        return checks
    except DATABASE_FAILURES as exc:
        return [Check(Verdict.FAIL, str(database.problem(exc)))]
    finally:
        await engine.dispose()


async def telegram_check(settings: Settings) -> Check:
    """getMe with the configured token (and API root): the one request that proves the token works."""
    token = settings.telegram_bot_token
    if token is None or not token.get_secret_value().strip():
        return Check(Verdict.SKIP, "no TELEGRAM_BOT_TOKEN set, Telegram not checked")
    bot = bot_for(settings)
    try:
        async with bot:
            return Check(Verdict.OK, f"Telegram accepts the token (@{bot.username})")
    except InvalidToken:
        return Check(Verdict.FAIL, "TELEGRAM_BOT_TOKEN: Telegram does not accept it")
    except NetworkError as exc:
        where = "TELEGRAM_API_BASE_URL" if settings.telegram_api_base_url else "the network"
        return Check(Verdict.FAIL, f"cannot reach Telegram ({type(exc).__name__}); check {where}")
    except TelegramError as exc:
        return Check(Verdict.FAIL, f"Telegram refused getMe ({type(exc).__name__})")


async def all_checks(args: argparse.Namespace) -> list[Check]:
    try:
        database = chosen_database(args)
    except (SettingsError, DatabaseProblem) as exc:
        return [Check(Verdict.FAIL, str(exc))]
    checks = await database_checks(database)
    if not args.no_telegram:
        try:
            settings = load_settings()
        except SettingsError as exc:
            return [*checks, Check(Verdict.FAIL, str(exc))]
        checks.append(await telegram_check(settings))
    return checks


def run_health(args: argparse.Namespace) -> int:
    checks = asyncio.run(all_checks(args))
    for check in checks:
        print(check.line())
    return 1 if any(check.verdict is Verdict.FAIL for check in checks) else 0
