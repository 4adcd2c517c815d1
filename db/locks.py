"""One update of a parent at a time, whichever bot process gets it (several processes on one PostgreSQL).

Within one process python-telegram-bot hands updates over one at a time. Behind a load balancer in webhook
mode, two processes can get two updates of the same parent at once; each reads the parent's conversation
state, and without a lock the later commit would overwrite the earlier one's step. A transaction-scoped
PostgreSQL advisory lock keyed on the chat id makes the second wait until the first has committed, and then
read what it stored. It works before the parent's row exists (a first /start), which a row lock would not.
SQLite allows one writer at a time and is meant for one process: there this is a no-op.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Keys come from hashing "securebase.chat:<id>" to 64 bits, so they stay apart from other advisory locks (the
# migration lock); two chats sharing a key would only take turns.
_LOCK_CHAT = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


async def lock_chat(session: AsyncSession, chat_id: int) -> None:
    """Hold the chat's lock until the session's transaction ends (commit or rollback)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(_LOCK_CHAT, {"key": f"securebase.chat:{chat_id}"})


_TRY_LOCK_JOB = text("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))")


async def claim_job(session: AsyncSession, job: str) -> bool:
    """Whether this process may run ``job`` now: False while another process's transaction runs it (so a
    clean-up that every process schedules runs once at a time). Held until the transaction ends."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(await session.scalar(_TRY_LOCK_JOB, {"key": f"securebase.job:{job}"}))
