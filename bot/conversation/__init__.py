"""The conversation, independent of Telegram: typed text or a pressed button in, replies out."""

from bot.conversation.distress import Heard, hear
from bot.conversation.outcome import Env, Outcome, Who
from bot.conversation.router import on_not_text, on_press, on_text
from bot.conversation.texts import COMMANDS

__all__ = ["COMMANDS", "Env", "Heard", "Outcome", "Who", "hear", "on_not_text", "on_press", "on_text"]
