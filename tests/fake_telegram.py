"""An in-process fake of the Telegram Bot API, plugged into python-telegram-bot as its request object.

Tests build a real ``telegram.Bot`` / ``Application`` with ``request=FakeBotAPI()``: every API call goes
through PTB's real request machinery (serialisation, error mapping such as 403 -> Forbidden, 429 ->
RetryAfter) and lands here, where it is recorded and answered like Telegram would. Tests then assert on
``api.sent`` (what the parent would see) and feed updates made by :class:`Parent`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from telegram import Update
from telegram.error import TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001
BOT_USERNAME = "SecureBaseTestBot"
TOKEN = "7000000001:AAtesttokentesttokentesttokentest00"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Sent:
    """A message as the parent sees it: chat, text and the button labels/data, row by row."""

    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]]
    message_id: int
    method: str
    document: bytes | None = None
    filename: str | None = None
    parse_mode: str | None = None

    @property
    def button_labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]

    def data_for(self, label: str) -> str:
        for row in self.buttons:
            for text, data in row:
                if text == label:
                    return data
        raise AssertionError(f"no button {label!r}; buttons are {self.button_labels}")


@dataclass
class Fault:
    code: int
    description: str
    retry_after: int | None = None
    method: str | None = None
    chat_id: int | None = None
    times: int = 1
    # A timeout instead of an answer; ``delivered``: Telegram got the request (a read timeout), or not (the
    # connection never opened).
    timeout: bool = False
    delivered: bool = False


class FakeBotAPI(BaseRequest):
    """Records calls and answers them; ``fail`` makes the next matching calls return an error."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.faults: list[Fault] = []
        self.holds: dict[int, asyncio.Event] = {}
        self._recorded: asyncio.Event | None = None
        self._message_ids = itertools.count(1000)

    # --- BaseRequest ---
    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, bytes] = {}
        filenames: dict[str, str] = {}
        if request_data is not None and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                content = part[1]
                files[name] = content if isinstance(content, bytes) else content.read()
                filenames[name] = str(part[0])
        self.calls.append(Call(api_method, params, files))
        held = self.holds.get(int(str(params.get("chat_id", 0))))
        if held is not None:
            await held.wait()
        fault = self._take_fault(api_method, params)
        if fault is not None and fault.timeout:
            if not fault.delivered:
                raise TimedOut() from httpx.ConnectTimeout("connect timed out")
            self._answer(api_method, params, files, filenames)  # it arrived; the answer is lost
            raise TimedOut() from httpx.ReadTimeout("read timed out")
        if fault is not None:
            body: dict[str, Any] = {"ok": False, "error_code": fault.code, "description": fault.description}
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return fault.code, json.dumps(body).encode()
        result = self._answer(api_method, params, files, filenames)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- test controls ---
    def fail(
        self,
        code: int,
        description: str,
        *,
        method: str | None = "sendMessage",
        chat_id: int | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` matching calls fail, e.g. ``fail(403, "Forbidden: bot was blocked by the user")``."""
        self.faults.append(Fault(code, description, retry_after, method, chat_id, times))

    def time_out(
        self,
        *,
        delivered: bool,
        method: str | None = "sendMessage",
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` matching calls time out: after Telegram took the message (``delivered``, a
        read timeout: the parent has it), or before the request reached it (a connect timeout)."""
        self.faults.append(Fault(0, "timeout", None, method, chat_id, times, True, delivered))

    def hold(self, chat_id: int) -> asyncio.Event:
        """Calls for this chat wait (as on a slow connection) until the returned event is set."""
        return self.holds.setdefault(chat_id, asyncio.Event())

    async def until_sent(self, chat_id: int, count: int = 1) -> list[Sent]:
        """Wait until ``count`` messages went to this chat (for updates handled in the background)."""
        while len(self.messages_to(chat_id)) < count:
            if self._recorded is None:
                self._recorded = asyncio.Event()
            await self._recorded.wait()
        return self.messages_to(chat_id)

    def messages_to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    def last_to(self, chat_id: int) -> Sent:
        messages = self.messages_to(chat_id)
        assert messages, f"nothing was sent to chat {chat_id}"
        return messages[-1]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    def clear(self) -> None:
        self.calls.clear()
        self.sent.clear()

    # --- internals ---
    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.method not in (None, method):
                continue
            if fault.chat_id is not None and int(params.get("chat_id", 0)) != fault.chat_id:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault
        return None

    def _message(self, params: dict[str, Any], message_id: int | None = None) -> dict[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        return {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Secure Base", "username": BOT_USERNAME},
            "text": params.get("text", ""),
        }

    def _record(self, method: str, params: dict[str, Any], message: dict[str, Any], **extra: Any) -> None:
        markup = params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        buttons = [[(b["text"], b.get("callback_data") or b.get("url") or "") for b in row] for row in rows]
        text = str(params.get("text", params.get("caption", "")))
        parse_mode = params.get("parse_mode")
        self.sent.append(
            Sent(
                message["chat"]["id"],
                text,
                buttons,
                message["message_id"],
                method,
                **extra,
                parse_mode=parse_mode,
            )
        )
        if self._recorded is not None:  # wake everyone waiting in until_sent
            self._recorded.set()
            self._recorded = None

    def _answer(
        self, method: str, params: dict[str, Any], files: dict[str, bytes], filenames: dict[str, str]
    ) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Secure Base",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method in ("sendMessage", "editMessageText"):
            message = self._message(params, params.get("message_id"))
            self._record(method, params, message)
            return message
        if method == "sendDocument":
            message = self._message(params)
            content = next(iter(files.values()), None)
            name = next(iter(filenames.values()), None)
            message["document"] = {"file_id": "doc1", "file_unique_id": "doc1", "file_name": name}
            self._record(method, params, message, document=content, filename=name)
            return message
        if method == "editMessageReplyMarkup":
            return self._message(params, params.get("message_id"))
        if method == "getUpdates":
            return []
        return True


class Parent:
    """Builds the updates one Telegram user would send, with increasing update and message ids."""

    _update_ids = itertools.count(1)

    def __init__(self, user_id: int, first_name: str = "Sam", language_code: str = "en") -> None:
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self._message_ids = itertools.count(1)

    @property
    def user(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def chat(self, chat_type: str = "private", chat_id: int | None = None) -> dict[str, Any]:
        if chat_type == "private":
            return {"id": self.user_id, "type": "private", "first_name": self.first_name}
        return {"id": chat_id or -100123, "type": chat_type, "title": "Family group"}

    def message(self, text: str | None = None, *, chat_type: str = "private", **extra: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_type),
            "from": self.user,
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": next(self._update_ids), "message": message}

    def edited(self, text: str) -> dict[str, Any]:
        update = self.message(text)
        update["edited_message"] = update.pop("message")
        update["edited_message"]["edit_date"] = int(time.time())
        return update

    def press(self, data: str, message_id: int = 1) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._update_ids)),
                "from": self.user,
                "chat_instance": str(self.user_id),
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": self.chat(),
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Secure Base"},
                    "text": "(an earlier message)",
                },
            },
        }

    def blocks_bot(self, blocked: bool = True) -> dict[str, Any]:
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        return {
            "update_id": next(self._update_ids),
            "my_chat_member": {
                "chat": self.chat(),
                "from": self.user,
                "date": int(time.time()),
                "old_chat_member": {
                    "status": old,
                    "user": {"id": BOT_ID, "is_bot": True, "first_name": "SB"},
                }
                | ({} if blocked else {"until_date": 0}),
                "new_chat_member": {"status": new, "user": {"id": BOT_ID, "is_bot": True, "first_name": "SB"}}
                | ({"until_date": 0} if blocked else {}),
            },
        }


async def feed(application: Application[Any, Any, Any, Any, Any, Any], update: dict[str, Any]) -> None:
    """Hand one update to the application exactly as polling would, and wait until it is handled."""
    await application.process_update(Update.de_json(update, application.bot))
