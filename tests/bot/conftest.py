from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bot.support import Harness


@pytest.fixture
async def bot(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Harness]:
    async with Harness(sessions) as harness:
        yield harness
