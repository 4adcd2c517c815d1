"""The transport-free core: plain, typed, synchronous Python that knows nothing of Telegram or the database."""
