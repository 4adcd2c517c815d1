"""Secure Base: the application (transport-free core, data flows) and its Telegram adapter."""

import os

# Opt in to python-telegram-bot's coming timedelta API now, so its deprecation warnings stay quiet.
os.environ.setdefault("PTB_TIMEDELTA", "1")
