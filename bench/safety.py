"""How the safety check does on its development set, and how long it takes per message.

Prints recall per kind, false alarms on ordinary questions, and the mean time per message; ends with one JSON
line. The phrases were tuned against this set, so these are not figures for unseen phrasings.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the development set lives with the tests

from bot.core.safety import SafetyKind, check
from tests.core import safety_devset as dev


def main() -> None:
    sets = {
        "crisis": (dev.CRISIS, SafetyKind.CRISIS),
        "emergency": (dev.EMERGENCY, SafetyKind.EMERGENCY),
        "wellbeing": (dev.WELLBEING, SafetyKind.WELLBEING),
        "ordinary": (dev.ORDINARY, None),
    }
    check("warm up")
    figures: dict[str, object] = {}
    started = time.perf_counter()
    count = 0
    for name, (texts, expected) in sets.items():
        right = sum(check(text) is expected for text in texts)
        count += len(texts)
        print(f"{name:10} {right}/{len(texts)} as expected")
        figures[name] = [right, len(texts)]
    per_message_ms = (time.perf_counter() - started) / count * 1000
    print(f"{per_message_ms:.2f} ms per message")
    figures["ms_per_message"] = round(per_message_ms, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
