"""Drive the real Application through the fake Bot API, as a parent would, with a clock the test controls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.config import Settings
from bot.telegram.app import App, build_application
from bot.telegram.limiter import PriorityRateLimiter
from db.models import Parent
from tests.fake_telegram import BOT_USERNAME, TOKEN, FakeBotAPI, Sent, feed
from tests.fake_telegram import Parent as TgParent

# A Sunday morning in late November; the children below are a few months old then.
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"telegram_bot_token": TOKEN, "default_time_zone": "UTC"} | overrides
    return Settings(_env_file=None, **values)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


TELEGRAM_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote"}
)


class _TelegramHTML(HTMLParser):
    """Fails on what Telegram would reject with "can't parse entities": unknown or unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TELEGRAM_TAGS, f"Telegram does not know <{tag}>"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes the wrong tag"


def check_html(text: str) -> None:
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    assert not parser.open, f"unclosed tags {parser.open} in {text!r}"
    assert len(text) <= 4096


class Harness:
    """One running bot: ``say``/``press`` return exactly what the parent got back."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock | None = None, **overrides: Any
    ):
        self.sessions = sessions
        self.clock = clock or Clock()
        self.api = FakeBotAPI()
        self.app: App = build_application(
            settings(**overrides),
            request=self.api,
            get_updates_request=FakeBotAPI(),
            sessions=sessions,
            clock=self.clock,
            # A test talks faster than any parent: Telegram's limit per chat would make it wait for real.
            rate_limiter=PriorityRateLimiter(per_chat=False),
        )

    async def __aenter__(self) -> Harness:
        await self.app.initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.shutdown()

    async def feed(self, update: dict[str, Any]) -> list[Sent]:
        before = len(self.api.sent)
        await feed(self.app, update)
        sent = self.api.sent[before:]
        for message in sent:
            assert message.parse_mode == "HTML", "every message is Telegram HTML (the bot's defaults)"
            check_html(message.text)
        return sent

    async def say(self, parent: TgParent, text: str) -> list[Sent]:
        return await self.feed(parent.message(text))

    async def press(self, parent: TgParent, data: str) -> list[Sent]:
        return await self.feed(parent.press(data))

    async def tap(self, parent: TgParent, label: str) -> list[Sent]:
        """Press the button with this label on the last message that has buttons."""
        with_buttons = [m for m in self.api.messages_to(parent.user_id) if m.buttons]
        assert with_buttons, "no message with buttons was sent"
        return await self.press(parent, with_buttons[-1].data_for(label))

    def toasts(self) -> list[str | None]:
        return [c.params.get("text") for c in self.api.calls if c.method == "answerCallbackQuery"]

    async def parent_row(self, chat_id: int) -> Parent | None:
        async with self.sessions() as s:
            return await s.scalar(select(Parent).where(Parent.chat_id == chat_id))

    async def count(self, model: Any) -> int:
        async with self.sessions() as s:
            return int(await s.scalar(select(func.count()).select_from(model)) or 0)


def texts(sent: list[Sent]) -> list[str]:
    return [m.text for m in sent]


async def to_born_early(
    bot: Harness, parent: TgParent, name: str = "Mia", birthdate: str = "15 March 2026"
) -> None:
    """/start, the name and the birthdate: setup then asks whether the child was born early."""
    await bot.say(parent, "/start")
    await bot.say(parent, name)
    await bot.say(parent, birthdate)


async def to_time_zone(bot: Harness, parent: TgParent, name: str, birthdate: str) -> list[Sent]:
    """/start, one child not born early: setup then asks for the time zone. Returns that question."""
    await to_born_early(bot, parent, name, birthdate)
    return await bot.tap(parent, "No")


async def hold_child(bot: Harness, parent: TgParent, name: str = "Mia") -> None:
    """/start, the name, then /cancel: the child is held, and the next message meets the offer to carry on."""
    await bot.say(parent, "/start")
    await bot.say(parent, name)
    await bot.say(parent, "/cancel")


async def onboard(
    bot: Harness, parent: TgParent, name: str = "Mia", birthdate: str = "15 March 2026", zone: str = "London"
) -> list[Sent]:
    """The whole onboarding with the defaults: no early birth, Sunday 09:00. Returns the final messages."""
    await to_time_zone(bot, parent, name, birthdate)
    await bot.say(parent, zone)
    return await bot.tap(parent, "Sunday 09:00 is fine")


async def invite_link(bot: Harness, parent: TgParent) -> str:
    """Create an invite for Mia from /children, check the message, and return the code."""
    await bot.say(parent, "/children")
    await bot.tap(parent, "Mia")
    sent = await bot.tap(parent, "👥 Invite a caregiver")
    text = sent[0].text
    prefix = f"Send this link to the other caregiver:\nhttps://t.me/{BOT_USERNAME}?start="
    assert text.startswith(prefix)
    code, rest = text.removeprefix(prefix).split("\n", 1)
    assert (
        rest
        == "\nThey'll get the tips for Mia in their own chat. The link works once, for the next 48 hours."
    )
    return code
