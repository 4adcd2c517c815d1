"""``securebase run``: migrate the database, then serve Telegram by long polling or, with WEBHOOK_URL, a webhook."""

from __future__ import annotations

import logging
import secrets
import sys
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app.config import Settings
from bot.app.warm import ready_for_serving
from bot.telegram.app import build_application
from db.migrate import upgrade_to_head

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


def run_bot(settings: Settings) -> int:
    """0 after a clean stop; 1 with one line on stderr (never the URL or token) when it cannot start."""
    try:
        upgrade_to_head(settings.database_url)
    except (SQLAlchemyError, OSError) as exc:
        print(
            f"could not use the database ({type(exc).__name__}). Check DATABASE_URL and that the database "
            "server is up.",
            file=sys.stderr,
        )
        return 1
    try:
        return _serve(settings)
    except InvalidToken:
        print("Telegram does not accept TELEGRAM_BOT_TOKEN. Copy it again from @BotFather.", file=sys.stderr)
    except NetworkError as exc:
        print(
            f"could not reach Telegram ({type(exc).__name__}). Check the network, or TELEGRAM_API_BASE_URL "
            "if you set it.",
            file=sys.stderr,
        )
    return 1


def _serve(settings: Settings) -> int:
    app = build_application(settings, with_jobs=True)
    ready_for_serving()
    if settings.webhook_url:
        log.info("serving a webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
        app.run_webhook(**webhook_options(settings), allowed_updates=ALLOWED_UPDATES)
    else:
        log.info("long polling for updates")
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0
