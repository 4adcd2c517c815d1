"""Persistence: SQLAlchemy 2 models and the data-access functions the bot uses (nothing else issues SQL)."""
