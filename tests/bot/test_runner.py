"""`securebase run`: migrates, points PTB at a self-hosted Bot API if asked, polls or serves a webhook."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import inspect
from telegram.ext import Application
from tornado.netutil import bind_sockets

from bot.app.logging_setup import configure_logging
from bot.telegram import runner
from bot.telegram.app import App, build_application
from bot.telegram.lanes import UrgentFirstRateLimiter
from bot.telegram.limiter import PriorityRateLimiter
from bot.telegram.ordering import ChatOrderedProcessor
from bot.telegram.webhook import MAX_BODY_BYTES, serve_webhook
from tests.bot.support import Harness, settings
from tests.bot.test_robustness import POLL_WITHOUT_PERSISTENT_ID
from tests.fake_telegram import TOKEN, FakeBotAPI
from tests.fake_telegram import Parent as TgParent


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Record how the bot would be started instead of talking to Telegram."""
    seen: dict[str, Any] = {}

    def run_polling(self: App, **kwargs: Any) -> None:
        seen.update(mode="polling", app=self, **kwargs)

    def run_webhook(app: App, **kwargs: Any) -> None:
        seen.update(mode="webhook", app=app, **kwargs)

    monkeypatch.setattr(Application, "run_polling", run_polling)
    monkeypatch.setattr(runner, "run_webhook", run_webhook)
    # Not in the test process: freezing its heap would keep every earlier test's garbage.
    monkeypatch.setattr(runner, "ready_for_serving", lambda: seen.update(ready=True))
    return seen


def test_polling_by_default_after_migrating(tmp_path, started):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    assert runner.run_bot(settings(database_url=url)) == 0
    assert started["mode"] == "polling"
    assert started["ready"] is True  # content and index loaded before the first update
    assert set(started["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}
    app = started["app"]
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, UrgentFirstRateLimiter)  # crisis and emergency replies skip the throttle
    assert isinstance(limiter.throttle, PriorityRateLimiter)  # replies before scheduled tips
    assert isinstance(app.update_processor, ChatOrderedProcessor)
    assert app.bot.base_url == f"https://api.telegram.org/bot{TOKEN}"
    # "started" gives python-telegram-bot its logging back once the bot runs (start-up errors are ours).
    assert sorted(job.name for job in app.job_queue.jobs()) == ["dispatch", "housekeeping", "started"]
    assert "parents" in inspect(create_sync_engine(url)).get_table_names()


def test_webhook_with_a_secret_and_a_self_hosted_api(tmp_path, started):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    config = settings(
        database_url=url,
        webhook_url="https://bot.example.org/telegram/hook",
        webhook_secret="s3cret-token",
        webhook_port=8444,
        telegram_api_base_url="http://127.0.0.1:8081/",
    )
    assert runner.run_bot(config) == 0
    assert started["mode"] == "webhook"
    assert (started["listen"], started["port"], started["url_path"]) == ("127.0.0.1", 8444, "telegram/hook")
    assert started["webhook_url"] == "https://bot.example.org/telegram/hook"
    assert started["secret_token"] == "s3cret-token"
    bot = started["app"].bot
    assert bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"


def test_webhook_without_a_configured_secret_still_gets_one(tmp_path, started):
    config = settings(
        database_url=f"sqlite:///{tmp_path / 'bot.db'}", webhook_url="https://bot.example.org/hook"
    )
    runner.run_bot(config)
    assert len(started["secret_token"]) >= 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Served:
    """The bot serving its webhook on a free local port (the real server, the real Application), and an
    HTTP client posting to it as Telegram would."""

    def __init__(self, bot: Harness, secret: str = "right-secret") -> None:  # noqa: S107
        self.bot = bot
        self.secret = secret
        self.stop = asyncio.Event()
        (self.socket, *_) = bind_sockets(0, "127.0.0.1")
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/hook"
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Served:
        config = settings(webhook_url="https://bot.example.org/hook", webhook_secret=self.secret)
        options = runner.webhook_options(config)
        self.task = asyncio.create_task(
            serve_webhook(
                self.bot.app,
                **options,
                allowed_updates=runner.ALLOWED_UPDATES,
                stop=self.stop,
                sockets=[self.socket],
            )
        )
        while not self.bot.app.running:  # started: the server listens and updates are taken
            await asyncio.sleep(0)
            if self.task.done():
                await self.task
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop.set()
        assert self.task is not None
        await asyncio.wait_for(self.task, 10)

    async def post(self, update: Any, secret: str | None = None) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret if secret is not None else self.secret}
        async with httpx.AsyncClient() as client:
            return await client.post(self.url, json=update, headers=headers)


async def test_the_webhook_takes_updates_only_with_the_secret(sessions):
    bot = Harness(sessions)
    async with Served(bot) as served:
        (set_webhook,) = [c for c in bot.api.calls if c.method == "setWebhook"]
        assert set_webhook.params["secret_token"] == "right-secret"
        assert set_webhook.params["url"] == "https://bot.example.org/hook"
        update = TgParent(701, "Sam").message("/start")
        assert (await served.post(update, secret="wrong")).status_code == 403
        assert (await served.post(update, secret="")).status_code == 403
        assert (await served.post(update)).status_code == 200
        sent = await asyncio.wait_for(bot.api.until_sent(701, 2), 10)
        assert sent[0].text.startswith("Hello Sam!")
        assert sent[1].text == "What's your child's name? A nickname is fine."
    assert len(bot.api.sent) == 2  # the forged ones never got in


async def test_the_webhook_skips_an_update_ptb_cannot_read_with_200_and_one_private_line(
    sessions, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    sam, eve = TgParent(711, "Zebulonia"), TgParent(712)
    bad = sam.message(None, poll=POLL_WITHOUT_PERSISTENT_ID)
    bot = Harness(sessions)
    async with Served(bot) as served:
        answered = await served.post(bad)
        assert answered.status_code == 200  # Telegram moves on instead of sending it again for ever
        assert (await served.post(eve.message("/help"))).status_code == 200
        (help_text,) = await asyncio.wait_for(bot.api.until_sent(712), 10)
        assert "/tip" in help_text.text
    skipped = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
    assert skipped == [f"skipped update {bad['update_id']}, which could not be read (TypeError)"]
    assert "Zebulonia" not in caplog.text
    assert "Shall we meet" not in caplog.text
    assert bot.api.messages_to(711) == []


async def test_the_webhook_refuses_a_body_far_bigger_than_any_update(sessions):
    """Tornado's default lets a request buffer 100 MB before the handler sees it (and checks the secret)."""
    sam, eve = TgParent(721, "Sam"), TgParent(722)
    huge = sam.message("x" * (MAX_BODY_BYTES + 1))
    bot = Harness(sessions)
    async with Served(bot) as served:
        try:
            refused = (await served.post(huge)).status_code
        except httpx.TransportError:  # the server may close while the body is still on its way
            refused = 400
        assert refused == 400
        assert (await served.post(eve.message("/help"))).status_code == 200  # still serving
        await asyncio.wait_for(bot.api.until_sent(722), 10)
    assert bot.api.messages_to(721) == []


def test_an_unusable_database_is_one_line_not_a_traceback(capsys):
    url = "postgresql://postgres:hunter2@127.0.0.1:9/nope"  # nothing listens on port 9
    assert runner.run_bot(settings(database_url=url)) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "DATABASE_URL: cannot use the database at postgresql://postgres:***@127.0.0.1:9/nope ("
    )
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert "hunter2" not in err


@pytest.mark.parametrize(
    ("code", "description", "message"),
    [
        (401, "Unauthorized", "TELEGRAM_BOT_TOKEN: Telegram does not accept it."),
        (502, "Bad Gateway", "could not reach Telegram (NetworkError); check the network."),
    ],
)
def test_telegram_refusing_at_start_is_one_line(tmp_path, monkeypatch, capsys, code, description, message):
    api = FakeBotAPI()
    api.fail(code, description, method="getMe")
    monkeypatch.setattr(
        "bot.telegram.runner.build_application", lambda s, **kw: build_application(s, request=api, **kw)
    )
    assert runner.run_bot(settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}")) == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert TOKEN not in err


def test_a_start_up_failure_is_our_one_line_without_telegrams_before_it(tmp_path, monkeypatch, capsys):
    configure_logging("INFO")  # as `securebase run` sets it up
    before = logging.getLogger("telegram.ext").level
    api = FakeBotAPI()
    api.fail(401, "Unauthorized", method="getMe", times=5)
    monkeypatch.setattr(
        "bot.telegram.runner.build_application", lambda s, **kw: build_application(s, request=api, **kw)
    )
    assert runner.run_bot(settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}")) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "TELEGRAM_BOT_TOKEN: Telegram does not accept it. Copy it again from @BotFather."
    assert [line for line in err if " telegram" in line or "Traceback" in line] == []
    assert logging.getLogger("telegram.ext").level == before  # its logging is back for the next run


def test_a_webhook_port_in_use_is_one_line_and_status_2(tmp_path, monkeypatch, capsys):
    configure_logging("INFO")  # as `securebase run` sets it up
    api = FakeBotAPI()
    monkeypatch.setattr(
        "bot.telegram.runner.build_application", lambda s, **kw: build_application(s, request=api, **kw)
    )
    (taken, *_) = bind_sockets(0, "127.0.0.1")  # another program listens there already
    port = taken.getsockname()[1]
    config = settings(
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        webhook_url="https://bot.example.org/hook",
        webhook_secret="s3cret-token",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    try:
        assert runner.run_bot(config) == 2
    finally:
        taken.close()
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"WEBHOOK_PORT: cannot listen on 127.0.0.1:{port} (")
    assert [line for line in err if "Traceback" in line or line.startswith(" ")] == []
    assert "s3cret-token" not in "\n".join(err)
    assert TOKEN not in "\n".join(err)


def test_a_database_that_never_answers_is_one_line_not_a_hang(monkeypatch, capsys):
    """A PostgreSQL server that takes the connection and then says nothing: ``run`` gives up after the
    connect limit (shortened here) with one line and status 2, instead of waiting for ever."""
    monkeypatch.setattr("db.engine.CONNECT_TIMEOUT_SECONDS", 0.5)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel accepts; nobody ever answers
    port = silent.getsockname()[1]
    try:
        assert runner.run_bot(settings(database_url=f"postgresql://postgres@127.0.0.1:{port}/bot")) == 2
    finally:
        silent.close()
    err = capsys.readouterr().err
    assert err.startswith(
        f"DATABASE_URL: cannot use the database at postgresql://postgres@127.0.0.1:{port}/bot ("
    )
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
