"""Long polling (and the webhook, ``bot.telegram.webhook``) moving past updates python-telegram-bot cannot read.

PTB parses a whole ``getUpdates`` answer at once; one update it cannot read (a poll without the
``persistent_id`` a newer Bot API requires, any field its version does not expect) raises, polling stops,
and the same update comes back at every restart, logged with its sender's name and text. This request
object checks each update on its way in: one that cannot be read is replaced by an empty update with the
same id (which no handler takes, and which moves the offset past it), and logged once, by id and error
type only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)


def read(raw: Any, bot: Bot | None) -> Update | None:
    """The update, or None (logged once, by id and error type only: never its content) when this
    python-telegram-bot cannot read it."""
    try:
        return Update.de_json(raw, bot)
    except Exception as exc:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        log.warning("skipped update %s, which could not be read (%s)", update_id, type(exc).__name__)
        return None


def readable(updates: list[Any]) -> list[Any] | None:
    """The updates with every unreadable one emptied, or None when all of them can be read."""
    changed: list[Any] | None = None
    for index, raw in enumerate(updates):
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int):
            continue  # without an id nothing can move past it; PTB reports the answer as a whole
        if read(raw, None) is None:
            changed = changed if changed is not None else list(updates)
            changed[index] = {"update_id": update_id}
    return changed


class SkippingBadUpdates(BaseRequest):
    """The ``getUpdates`` request, passing every answer through :func:`readable`."""

    def __init__(self, inner: BaseRequest | None = None) -> None:
        self.inner = inner or HTTPXRequest(connection_pool_size=1)  # python-telegram-bot's own default

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, body = await self.inner.do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if code != 200 or not url.endswith("/getUpdates"):
            return code, body
        try:
            answer = json.loads(body)
        except ValueError:
            return code, body
        updates = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(updates, list):
            return code, body
        cleaned = readable(updates)
        if cleaned is None:
            return code, body
        return code, json.dumps({**answer, "result": cleaned}).encode()
