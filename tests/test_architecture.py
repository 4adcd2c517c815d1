"""The layers hold at import time too: the transport-free packages load without python-telegram-bot.

(`lint-imports`, run by `make test`, checks every import rule statically; see docs/architecture.md.)
"""

import subprocess
import sys


def test_conversation_dispatch_and_serving_load_no_telegram() -> None:
    code = (
        "import sys, bot.conversation, bot.dispatch, bot.app.serve, bot.core.tips;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'telegram'))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert loaded.stdout.strip() == "[]"
