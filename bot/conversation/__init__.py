"""The conversation, independent of Telegram: typed text or a pressed button in, replies out."""

from bot.conversation.outcome import Env, Outcome, Who
from bot.conversation.router import on_press, on_text
from bot.conversation.texts import COMMANDS

__all__ = ["COMMANDS", "Env", "Outcome", "Who", "on_press", "on_text"]
