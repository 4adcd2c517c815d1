"""``securebase run``: migrate the database, then serve Telegram by long polling or, with WEBHOOK_URL, a webhook."""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot import metrics
from bot.app.config import Settings
from bot.app.warm import ready_for_serving
from bot.telegram.app import App, build_application
from bot.telegram.webhook import CannotListen, run_webhook
from db.migrate import upgrade_to_head
from db.problems import DATABASE_FAILURES, explain

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Where to listen and what to tell Telegram; the secret token makes the endpoint reject strangers."""
    if not settings.webhook_url:
        raise ValueError("WEBHOOK_URL is not set")
    secret = (
        settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    )
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
    }


def run_bot(settings: Settings, database_setting: str = "DATABASE_URL") -> int:
    """0 after a clean stop. When it cannot start: one line on stderr naming the setting at fault (never a
    password or the token) and exit status 2, the status of every bad setting or unreachable service."""
    try:
        upgrade_to_head(settings.database_url)
    except DATABASE_FAILURES as exc:
        print(explain(exc, settings.database_url, database_setting), file=sys.stderr)
        return 2
    if settings.metrics_port is not None:
        try:
            metrics.serve(settings.metrics_port, settings.metrics_listen)
        except OSError as exc:
            print(
                f"METRICS_PORT: cannot serve metrics on {settings.metrics_listen}:{settings.metrics_port} "
                f"({exc.strerror or type(exc).__name__}); check METRICS_PORT and METRICS_LISTEN",
                file=sys.stderr,
            )
            return 2
        log.info("metrics on http://%s:%s/metrics", settings.metrics_listen, settings.metrics_port)
    try:
        return _serve(settings)
    except InvalidToken:
        print(
            "TELEGRAM_BOT_TOKEN: Telegram does not accept it. Copy it again from @BotFather.", file=sys.stderr
        )
    except CannotListen as exc:
        print(
            f"WEBHOOK_PORT: cannot listen on {exc.listen}:{exc.port} ({exc.reason}); is another program "
            "using it? Check WEBHOOK_PORT and WEBHOOK_LISTEN.",
            file=sys.stderr,
        )
    except NetworkError as exc:
        where = "TELEGRAM_API_BASE_URL" if settings.telegram_api_base_url else "the network"
        print(f"could not reach Telegram ({type(exc).__name__}); check {where}.", file=sys.stderr)
    return 2


def _serve(settings: Settings) -> int:
    app = build_application(settings, with_jobs=True)
    ready_for_serving()
    restore = _quiet_while_starting(app)
    try:
        if settings.webhook_url:
            log.info("serving a webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
            # Our own server, not PTB's: it answers an update PTB cannot read (PTB's says 400, and Telegram
            # sends it again for ever) and skips it, as polling does.
            run_webhook(app, **webhook_options(settings), allowed_updates=ALLOWED_UPDATES)
        else:
            log.info("long polling for updates")
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
    finally:
        restore()
    return 0


def _quiet_while_starting(app: App) -> Callable[[], None]:
    """Until the bot runs, a failure to start is ours to report (one line, from :func:`run_bot`):
    python-telegram-bot's own error line about it would come first and say less. Its logging comes back once
    the job queue runs (the last step of starting); the returned function brings it back in any case."""
    ptb = logging.getLogger("telegram.ext")
    before = ptb.level
    ptb.setLevel(logging.CRITICAL + 1)

    def restore() -> None:
        ptb.setLevel(before)

    async def started(_context: object) -> None:
        restore()

    if app.job_queue is not None:
        app.job_queue.run_once(started, 0, name="started")
    return restore
