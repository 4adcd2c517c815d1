"""The bot's memory as it readies itself to serve: resident set size after each step of
``bot/app/warm.py: ready_for_serving()``, and what the dispatcher-only ``securebase send-due`` imports.

Run: ``.venv/bin/python bench/memory.py``. Every figure comes from a fresh process that runs the steps up to
and including its own, so no measurement inherits another's heap. RSS is what the process holds once the step
is done (VmRSS), peak is the most it held on the way (VmHWM), both in MB. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each step's code, run after those before it.
STEPS: dict[str, str] = {
    "interpreter": "pass",
    "import": "from bot.app import warm; from bot.core import language, timezones; "
    "from bot.core.retrieval import index_for; from content import default_library",
    "question index": "index_for(default_library())",
    "language": "language.warm()",
    "time zones": "timezones.warm()",
    "ready_for_serving": "warm.ready_for_serving()",
}
SEND_DUE = "import bot.cli.send_due"


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def _measure(code: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter and read its memory at the end."""
    probe = f"{code}\nfrom bench.memory import _status\nprint(_status('VmRSS'), _status('VmHWM'))"
    done = subprocess.run(  # noqa: S603 - our own interpreter running our own fixed steps
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    rss, peak = (float(n) for n in done.stdout.split()[-2:])
    return {"rss_mb": round(rss, 1), "peak_mb": round(peak, 1)}


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    figures: dict[str, dict[str, float]] = {}
    names = list(STEPS)
    for at, name in enumerate(names):
        code = "\n".join(STEPS[step] for step in names[: at + 1])
        figures[name] = _measure(code)
        print(f"{name:<20} RSS {figures[name]['rss_mb']:7.1f} MB   peak {figures[name]['peak_mb']:7.1f} MB")
    figures["send-due import"] = _measure(SEND_DUE)
    print(f"{'send-due import':<20} RSS {figures['send-due import']['rss_mb']:7.1f} MB")
    print(json.dumps({"mb": figures}))


if __name__ == "__main__":
    main()
