"""What the bot says, independent of the transport: HTML text plus optional buttons or a document.

The Telegram adapter turns a Reply into ``send_message``/``send_document``; the terminal chat prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Telegram's limit for a message's text, after entity parsing.
MAX_MESSAGE_CHARS = 4096
# The most a message to a parent says at once (HTML included): the rest waits behind a button, so a phone
# screen shows one point, not a wall of text.
SHORT_MESSAGE_CHARS = 1200
# Telegram's limit for callback data, in bytes.
MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button; ``data`` is the callback data (at most 64 bytes), checked again when pressed."""

    label: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Document:
    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: ``text`` is Telegram HTML (user input already escaped)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    document: Document | None = None
