"""The command line as an operator meets it: health's exit status, a dry run that leaves no trace, and one
line with exit status 2 for every bad setting or unreachable service."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from telegram import Bot

from bot import metrics
from bot.cli import commands, health, main
from bot.telegram import runner
from db.engine import create_engine
from db.migrate import alembic_config, upgrade_to_head
from db.problems import POSTGRES_DRIVER_MISSING, DatabaseProblem, checked_url
from tests.bot.support import settings
from tests.fake_telegram import BOT_USERNAME, TOKEN, FakeBotAPI

UNREACHABLE = "postgresql://nobody:hunter2@127.0.0.1:9/nothing"  # nothing listens on port 9


@pytest.fixture(autouse=True)
def clean_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder (no .env) with none of the settings set."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "LOG_LEVEL", "LOG_FORMAT", "TELEGRAM_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def fake_telegram(monkeypatch: pytest.MonkeyPatch) -> FakeBotAPI:
    api = FakeBotAPI()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setattr(health, "bot_for", lambda _settings: Bot(TOKEN, request=api))
    return api


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def _at_revision(url: str, revision: str) -> None:
    """Migrate the database only as far as ``revision``."""

    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async def run() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(upgrade)
        await engine.dispose()

    asyncio.run(run())


def _read(url: str, sql: str) -> object:
    async def run() -> object:
        engine = create_engine(url)
        async with engine.connect() as connection:
            value = (await connection.exec_driver_sql(sql)).scalar()
        await engine.dispose()
        return value

    return asyncio.run(run())


def _tables(url: str) -> list[str]:
    async def run() -> list[str]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        await engine.dispose()
        return names

    return asyncio.run(run())


# --- securebase health ---


def test_health_of_a_ready_installation(db_url, monkeypatch, capsys):
    upgrade_to_head(db_url)
    api = fake_telegram(monkeypatch)
    assert main(["health", "--database-url", db_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == ["ok", "ok", "ok"]
    assert lines[1].startswith("ok: schema at the latest revision (")
    assert lines[2] == f"ok: Telegram accepts the token (@{BOT_USERNAME})"
    assert api.methods() == ["getMe"]


def test_health_without_a_token_skips_telegram(db_url, capsys):
    upgrade_to_head(db_url)
    assert main(["health", "--database-url", db_url]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "skip: no TELEGRAM_BOT_TOKEN set, Telegram not checked"


def test_health_fails_on_a_refused_token(db_url, monkeypatch, capsys):
    upgrade_to_head(db_url)
    api = fake_telegram(monkeypatch)
    api.fail(401, "Unauthorized", method="getMe")
    assert main(["health", "--database-url", db_url]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "fail: TELEGRAM_BOT_TOKEN: Telegram does not accept it"
    assert TOKEN not in out


def test_health_fails_when_the_schema_is_behind_and_changes_nothing(db_url, capsys):
    _at_revision(db_url, "0001")
    assert main(["health", "--database-url", db_url, "--no-telegram"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ok: database reachable")
    assert lines[1].startswith("fail: schema behind (0001, latest is ")
    assert main(["health", "--database-url", db_url, "--no-telegram"]) == 1  # still behind: nothing migrated


def test_health_of_an_empty_database(db_url, capsys):
    assert _tables(db_url) == []  # the file exists (SQLite), but no schema
    assert main(["health", "--database-url", db_url, "--no-telegram"]) == 1
    assert "fail: schema not created yet" in capsys.readouterr().out
    assert _tables(db_url) == []


def test_health_creates_no_database(clean_folder, capsys):
    assert main(["health", "--no-telegram"]) == 1
    assert capsys.readouterr().out == "fail: database: no database at data/securebase.db yet\n"
    assert list(clean_folder.iterdir()) == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"DATABASE_URL": UNREACHABLE},
            "fail: DATABASE_URL: cannot use the database at postgresql://nobody:***@",
        ),
        (
            {"DATABASE_URL": "mysql://root@127.0.0.1/test"},
            "fail: DATABASE_URL: mysql databases are not supported",
        ),
        ({"LOG_LEVEL": "verbose"}, "fail: invalid setting (check .env or the environment): LOG_LEVEL: "),
    ],
    ids=["unreachable", "mysql", "log-level"],
)
def test_health_reports_bad_settings_as_a_failed_check(monkeypatch, capsys, env, expected):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["health", "--no-telegram"]) == 1  # a container health check knows 0 and 1 only
    out = capsys.readouterr().out
    assert one_line(out).startswith(expected)
    assert "hunter2" not in out


# --- send-due --dry-run ---


def test_dry_run_on_a_fresh_checkout_creates_nothing(clean_folder, capsys):
    assert main(["send-due", "--dry-run"]) == 2
    err = one_line(capsys.readouterr().err)
    assert err == "dry run: DATABASE_URL: no database at data/securebase.db yet; nothing was created"
    assert list(clean_folder.iterdir()) == []  # not even data/


def test_dry_run_takes_database_url_and_leaves_no_file(clean_folder, capsys):
    target = clean_folder / "elsewhere" / "tips.db"
    assert main(["send-due", "--dry-run", "--database-url", f"sqlite:///{target}"]) == 2
    assert "--database-url: no database at" in capsys.readouterr().err
    assert list(clean_folder.iterdir()) == []


def test_dry_run_does_not_migrate_a_schema_behind(db_url, capsys):
    _at_revision(db_url, "0001")
    assert main(["send-due", "--dry-run", "--database-url", db_url]) == 2
    err = one_line(capsys.readouterr().err)
    assert err.startswith("dry run: schema behind (0001, latest is ")
    assert err.endswith("run `securebase db upgrade`; nothing was changed")
    assert _read(db_url, "SELECT version_num FROM alembic_version") == "0001"


def test_dry_run_at_head_previews(db_url, capsys):
    upgrade_to_head(db_url)
    assert main(["send-due", "--dry-run", "--database-url", db_url]) == 0
    assert "0 tip(s) would be sent" in capsys.readouterr().out


# --- one line and exit status 2 ---

DATABASE_COMMANDS = [
    ["run"],
    ["chat"],
    ["send-due", "--dry-run"],
    ["send-due"],
    ["db", "upgrade"],
    ["db", "backup", "copy.db"],
]


@pytest.mark.parametrize("argv", DATABASE_COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root@127.0.0.1/test", "DATABASE_URL: mysql databases are not supported; use sqlite:///"),
        ("not a url", "DATABASE_URL is not a database URL; use sqlite:///"),
        (
            UNREACHABLE,
            "DATABASE_URL: cannot use the database at postgresql://nobody:***@127.0.0.1:9/nothing (",
        ),
    ],
    ids=["mysql", "garbage", "unreachable"],
)
def test_a_bad_database_url_is_one_line_and_status_2(monkeypatch, capsys, argv, url, expected):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)  # so run and send-due get as far as the database
    monkeypatch.setenv("DATABASE_URL", url)
    if argv == ["db", "backup", "copy.db"] and url == UNREACHABLE:
        expected = "PostgreSQL databases are backed up with pg_dump"  # advice, without connecting
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(expected)
    if not expected.startswith("PostgreSQL"):
        one_line(captured.err)
    assert "hunter2" not in captured.err + captured.out
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("argv", DATABASE_COMMANDS, ids=" ".join)
def test_every_database_command_takes_database_url(monkeypatch, capsys, argv):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert main([*argv, "--database-url", "mysql://root@127.0.0.1/test"]) == 2
    assert capsys.readouterr().err.startswith("--database-url: mysql databases are not supported")


@pytest.mark.parametrize(
    "argv", [["run"], ["chat"], ["ask", "is this normal?"], ["send-due", "--dry-run"], ["db", "upgrade"]]
)
def test_an_unknown_log_level_is_one_line_and_status_2(monkeypatch, capsys, argv):
    monkeypatch.setenv("LOG_LEVEL", "verbose")
    assert main(argv) == 2
    assert one_line(capsys.readouterr().err) == (
        "invalid setting (check .env or the environment): LOG_LEVEL: unknown level 'verbose'; "
        "use DEBUG, INFO, WARNING or ERROR"
    )


def test_a_log_level_in_dotenv_is_checked_too(clean_folder, capsys):
    (clean_folder / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLOG_LEVEL=loud\n")
    assert main(["run"]) == 2
    assert "LOG_LEVEL: Value error, unknown level 'loud'" in one_line(capsys.readouterr().err)


def test_a_missing_postgres_driver_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "asyncpg", None)  # as if it were not installed
    with pytest.raises(DatabaseProblem) as problem:
        checked_url("postgresql://bot@db:5432/securebase")
    assert str(problem.value) == f"DATABASE_URL: {POSTGRES_DRIVER_MISSING}"
    assert 'pip install "securebase[postgres]"' in str(problem.value)


def test_a_bad_metrics_port_is_one_line_and_status_2(monkeypatch, capsys, tmp_path):
    def port_taken(port: int, listen: str) -> None:
        raise OSError(98, "Address in use")

    monkeypatch.setattr(runner, "_serve", lambda _settings: pytest.fail("the bot must not start"))
    monkeypatch.setattr(metrics, "serve", port_taken)
    config = settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}", metrics_port=9100)
    assert runner.run_bot(config) == 2
    assert one_line(capsys.readouterr().err) == (
        "METRICS_PORT: cannot serve metrics on 127.0.0.1:9100 (Address in use); check METRICS_PORT and "
        "METRICS_LISTEN"
    )


# --- texts ---


def _help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["run"],
        ["chat"],
        ["ask"],
        ["content", "check"],
        ["db"],
        ["db", "upgrade"],
        ["db", "backup"],
        ["send-due"],
        ["health"],
    ],
    ids=lambda argv: " ".join(argv) or "securebase",
)
def test_help_texts_are_plain(capsys, argv):
    text = _help_of(argv, capsys)
    assert text.startswith("usage: securebase")
    for markup in ("``", ":class:", ":func:", ":meth:"):
        assert markup not in text


def test_the_no_token_message_says_how_to_run_it_again(capsys):
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "a .env file in\nthe folder you run from" in err or "a .env file in the folder you run from" in err
    assert "`make run` (or .venv/bin/securebase run)" in err
    assert ".venv/bin/securebase chat" in err
    assert "next to pyproject.toml" not in err
    assert commands.NO_TOKEN_HELP in err


def test_engine_refuses_to_create_when_told_not_to(clean_folder):
    with pytest.raises(FileNotFoundError):
        asyncio.run(_dispose(create_engine(f"sqlite:///{clean_folder / 'none.db'}", create=False)))
    assert list(clean_folder.iterdir()) == []


async def _dispose(engine) -> None:
    await engine.dispose()
