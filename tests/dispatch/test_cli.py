"""``securebase send-due``: dry run, a real pass through the fake Bot API, and friendly refusals."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app.config import Settings
from bot.cli import main
from bot.cli import send_due as dispatch_cli
from bot.telegram.sender import bot_for
from db.engine import create_engine, session_factory
from db.migrate import upgrade_to_head_async
from db.models import Delivery
from tests.dispatch.support import make_bot, make_family
from tests.fake_telegram import TOKEN, FakeBotAPI

SLOT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _args(now: str | None = "2026-03-01T09:05", dry_run: bool = False) -> argparse.Namespace:
    return argparse.Namespace(now=now, dry_run=dry_run)


async def _setup(url: str) -> None:
    engine = create_engine(url)
    await upgrade_to_head_async(engine)
    sessions = session_factory(engine)
    await make_family(
        sessions,
        41,
        [("Mia", dt.date(2025, 5, 20)), ("Leo", dt.date(2024, 1, 2))],
        now=SLOT - dt.timedelta(hours=1),
    )
    await engine.dispose()


async def _count(url: str) -> int:
    engine = create_engine(url)
    async with session_factory(engine)() as s:
        count = int(await s.scalar(select(func.count()).select_from(Delivery)) or 0)
    await engine.dispose()
    return count


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    asyncio.run(_setup(url))
    return url


def test_dry_run_needs_no_token_and_changes_nothing(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatch_cli.run_send_due(_args(dry_run=True)) == 0
    out = capsys.readouterr().out
    assert out.count("would send parent=") == 2
    assert "2 tip(s) would be sent" in out
    assert "Mia" not in out  # ids only
    assert asyncio.run(_count(env)) == 0


def test_without_a_token_it_explains(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatch_cli.run_send_due(_args()) == 2
    assert "--dry-run" in capsys.readouterr().err
    assert asyncio.run(_count(env)) == 0


def test_bad_now_is_a_friendly_error(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatch_cli.run_send_due(_args(now="next tuesday")) == 2
    assert "ISO" in capsys.readouterr().err


def test_sends_once(env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    api = FakeBotAPI()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setattr(dispatch_cli, "bot_for", lambda _settings: make_bot(api))
    assert dispatch_cli.run_send_due(_args()) == 0
    assert dispatch_cli.run_send_due(_args(now="2026-03-01T09:06:00+00:00")) == 0
    out = capsys.readouterr().out
    assert out.count("sent parent=") == 2
    assert "sent=2" in out
    assert "sent=0" in out
    assert [m.chat_id for m in api.sent] == [41, 41]
    assert asyncio.run(_count(env)) == 2


def test_parse_now_and_custom_api_root() -> None:
    assert dispatch_cli.parse_now("2026-03-01T10:00+01:00") == SLOT
    assert dispatch_cli.parse_now("2026-03-01 09:00") == SLOT
    settings = Settings(
        _env_file=None, telegram_bot_token=TOKEN, telegram_api_base_url="http://127.0.0.1:8081/"
    )
    assert bot_for(settings).base_url == f"http://127.0.0.1:8081/bot{TOKEN}"


def test_unreachable_database_is_one_line_and_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody:hunter2@127.0.0.1:1/nothing")
    assert main(["send-due", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "DATABASE_URL: cannot use the database at postgresql://nobody:***@127.0.0.1:1/nothing"
    )
    assert len(err.strip().splitlines()) == 1
    assert "hunter2" not in err
