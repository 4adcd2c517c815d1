"""The ``securebase`` command line: the entry point, the terminal chat, ``ask`` and ``send-due``."""

from bot.cli.commands import main

__all__ = ["main"]
