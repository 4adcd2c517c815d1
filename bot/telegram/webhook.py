"""Serving a webhook that answers every update Telegram sends, including one python-telegram-bot cannot read.

PTB's own webhook server answers such an update with 400, and Telegram then sends it again and again, holding
back everything after it in that chat. This is the "custom webhook" PTB documents (the Application runs
without its updater; the web server puts updates on ``application.update_queue``), with the same checks as
PTB's handler (JSON only, the secret token) and one difference: an update that cannot be read is answered
200, skipped and logged once by id and error type (``bot.telegram.updates.read``), as polling does.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import signal
from collections.abc import Sequence
from http import HTTPStatus
from socket import socket
from types import TracebackType
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.telegram.jobs import App
from bot.telegram.updates import read

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# A request body larger than this is refused before it is read (tornado's default is 100 MB, buffered in memory
# before the secret is checked). An update is at most tens of kilobytes: this leaves ample room, since one
# refused would come back from Telegram again and again.
MAX_BODY_BYTES = 4 * 1024 * 1024


class UpdateHandler(tornado.web.RequestHandler):
    """One POST from Telegram: checked, read, queued; always 200 once it is Telegram's."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, app: App, secret_token: str) -> None:
        self.app = app
        self.secret_token = secret_token

    async def post(self) -> None:
        if self.request.headers.get("Content-Type") != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        token = self.request.headers.get(SECRET_HEADER) or ""
        if not hmac.compare_digest(token.encode(), self.secret_token.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data = json.loads(self.request.body)
        except ValueError:  # Telegram always sends JSON: this came from elsewhere
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        update = read(data, self.app.bot)
        if update is not None:
            self.app.bot.insert_callback_data(update)
            await self.app.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(
        self, typ: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        """A refusal is answered, not logged; anything else by its type only (the body is a parent's
        message, and the headers hold the secret)."""
        if value is not None and not isinstance(value, tornado.web.HTTPError):
            log.warning("webhook request failed: %s", type(value).__name__)


class CannotListen(Exception):
    """The webhook's address cannot be listened on (in use, not this machine's, not allowed)."""

    def __init__(self, listen: str, port: int, reason: str) -> None:
        super().__init__(f"{listen}:{port} ({reason})")
        self.listen = listen
        self.port = port
        self.reason = reason


def _listen(listen: str, port: int) -> list[socket]:
    try:
        return bind_sockets(port, listen)
    except OSError as exc:
        raise CannotListen(listen, port, exc.strerror or type(exc).__name__) from None


def web_app(app: App, url_path: str, secret_token: str) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (
                rf"/{re.escape(url_path.strip('/'))}/?",
                UpdateHandler,
                {"app": app, "secret_token": secret_token},
            )
        ],
        log_function=lambda _handler: None,  # the access log would carry nothing useful, and IPs
    )


async def serve_webhook(
    app: App,
    *,
    listen: str,
    port: int,
    url_path: str,
    webhook_url: str,
    secret_token: str,
    allowed_updates: Sequence[str],
    stop: asyncio.Event,
    sockets: list[socket] | None = None,
) -> None:
    """Run the bot until ``stop`` is set, in the order ``Application.run_webhook`` does: initialise, post-init,
    tell Telegram the URL, listen, start; then stop, post-stop, shut down, post-shutdown. ``sockets``: listen
    on these instead (tests bind port 0)."""
    server = HTTPServer(web_app(app, url_path, secret_token), max_body_size=MAX_BODY_BYTES)
    # Listen first: a port in use stops the start before Telegram is told a URL nobody serves.
    server.add_sockets(sockets if sockets is not None else _listen(listen, port))
    try:
        async with app:
            if app.post_init is not None:
                await app.post_init(app)
            await app.bot.set_webhook(
                webhook_url, allowed_updates=list(allowed_updates), secret_token=secret_token
            )
            await app.start()
            try:
                await stop.wait()
            finally:
                server.stop()
                await server.close_all_connections()
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
    finally:
        server.stop()  # a start that failed: the port is free again (a second stop does nothing)
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


def run_webhook(app: App, **options: Any) -> None:
    """``serve_webhook`` in its own event loop until SIGINT or SIGTERM (as ``Application.run_webhook``)."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve_webhook(app, stop=stop, **options)

    asyncio.run(main())
