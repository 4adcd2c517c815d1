"""`securebase run`: migrates, points PTB at a self-hosted Bot API if asked, polls or serves a webhook."""

from typing import Any

import pytest
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import inspect
from telegram.ext import AIORateLimiter, Application

from bot.telegram import runner
from bot.telegram.app import App
from tests.bot.support import settings
from tests.fake_telegram import TOKEN


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Record how the bot would be started instead of talking to Telegram."""
    seen: dict[str, Any] = {}

    def run_polling(self: App, **kwargs: Any) -> None:
        seen.update(mode="polling", app=self, **kwargs)

    def run_webhook(self: App, **kwargs: Any) -> None:
        seen.update(mode="webhook", app=self, **kwargs)

    monkeypatch.setattr(Application, "run_polling", run_polling)
    monkeypatch.setattr(Application, "run_webhook", run_webhook)
    return seen


def test_polling_by_default_after_migrating(tmp_path, started):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    assert runner.run_bot(settings(database_url=url)) == 0
    assert started["mode"] == "polling"
    assert set(started["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}
    app = started["app"]
    assert isinstance(app.bot.rate_limiter, AIORateLimiter)
    assert app.bot.base_url == f"https://api.telegram.org/bot{TOKEN}"
    assert [job.name for job in app.job_queue.jobs()] == ["dispatch"]
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
