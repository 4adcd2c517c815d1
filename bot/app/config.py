"""Settings from the environment or ``.env``; every field here is listed in ``.env.example``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.safety_reply import Support

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class LogFormat(StrEnum):
    TEXT = "text"
    #: One JSON object a line, for log collectors.
    JSON = "json"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    database_url: str = "sqlite:///data/securebase.db"
    telegram_api_base_url: str | None = None
    default_time_zone: str = "UTC"
    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.TEXT
    admin_chat_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443

    dispatch_interval_seconds: int = Field(default=60, ge=5)
    missed_slot_grace_hours: int = Field(default=24, ge=0)
    claim_stale_minutes: int = Field(default=10, ge=1)
    invite_ttl_hours: int = Field(default=48, ge=1)
    # A parent who blocked the bot, or stopped the tips and said nothing since, is erased after this long.
    retention_months: int = Field(default=12, ge=1, le=120)

    # Prometheus metrics on http://METRICS_LISTEN:METRICS_PORT/metrics; off unless a port is set.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_listen: str = "127.0.0.1"

    # Shown verbatim to a parent in crisis: the helplines of the service's country. Kept short enough that
    # the whole reply fits on a phone screen.
    crisis_support_text: str | None = Field(default=None, max_length=600)
    # The number to call in an emergency ("999", "911", "112"); without it replies say "your local
    # emergency number".
    emergency_number: str | None = Field(default=None, pattern=r"^\+?[0-9][0-9 -]{0,14}$")

    def support(self) -> Support:
        """The distress replies' settings, as the core takes them."""
        return Support(self.crisis_support_text, self.emergency_number)

    @field_validator("admin_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("default_time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/London") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"unknown level {value!r}; use DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class SettingsError(ValueError):
    """A setting in the environment or ``.env`` is invalid; the message names it, without its value."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid setting (check .env or the environment): {problems}") from None
