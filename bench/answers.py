"""Answer a few thousand varied questions and report throughput and per-question latency.

Run: ``.venv/bin/python bench/answers.py [--questions N] [--seed S]``. The last line is one JSON object with
the figures, for scripts. The index is built once before timing (its build time is reported separately),
as the bot builds it once per process.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date

from bot.core.answers import ChildInfo, answer
from bot.core.retrieval import index_for
from content import default_library

TODAY = date(2026, 11, 29)
AGES = ["newborn", "6 week old", "3 month old", "8 month old", "10mo", "ten month old", "1 year old",
        "15-month-old", "18 month old", "a year and a half old", "2 year old", "2 1/2 year old", "30 month old",
        "three year old", "4 year old"]  # fmt: skip
SUBJECTS = [
    "cries when I leave the room", "is so clingy", "is scared of strangers", "has tantrums",
    "has meltdowns at daycare drop off", "won't let anyone else hold her", "only wants me",
    "follows me everywhere", "avoids eye contact", "doesn't smile much", "hits other kids",
    "wants his blanket all the time", "runs off but keeps coming back", "copies everything I do",
    "pretends to feed her doll", "ignores me when I pick her up", "prefers dad", "has big feelings",
    "has seperation anxeity", "is shy with grandma", "gets upset when I go back to work",
    "has a fever", "won't eat", "isn't walking yet", "isn't talking yet", "won't sleep through the night",
    "is teething", "watches too much tv", "flaps his hands",
]  # fmt: skip
FRAMES = ["my {age} {subject}", "is it normal that my {age} {subject}?", "why does my {age} {subject}?",
          "how do I help when my {age} {subject}", "what should I do, my {age} {subject}",
          "{subject}", "my baby {subject}, is that normal?"]  # fmt: skip
STANDALONE = ["what's normal at 10 months?", "what is secure attachment?", "how can I help my 1 year old?",
              "what's typical at 2 years?", "is stranger anxiety normal?", "why is separation anxiety normal",
              "am I a bad parent if I go back to work", "which stroller should I buy", "hello", "asdfgh"]  # fmt: skip
CHILDREN = [None, ChildInfo("Mia", date(2026, 1, 29)), ChildInfo("Leo", date(2025, 3, 1), date(2025, 5, 1))]


def questions(count: int, rng: random.Random) -> list[tuple[str, ChildInfo | None]]:
    made = []
    for _ in range(count):
        if rng.random() < 0.1:
            text = rng.choice(STANDALONE)
        else:
            text = rng.choice(FRAMES).format(age=rng.choice(AGES), subject=rng.choice(SUBJECTS))
        if rng.random() < 0.2:  # shouting, stray punctuation and spacing, as typed on a phone
            text = text.upper() if rng.random() < 0.5 else f"  {text} ??  "
        made.append((text, rng.choice(CHILDREN)))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    library = default_library()
    started = time.perf_counter()
    index_for(library)
    build_ms = (time.perf_counter() - started) * 1000
    batch = questions(args.questions, random.Random(args.seed))
    for text, child in batch[:200]:  # warm-up: caches of stems and spelling corrections
        answer(text, library=library, today=TODAY, child=child)
    latencies: list[float] = []
    cpu: list[float] = []  # CPU time of this thread: what the answer costs, whatever else the machine runs
    in_scope = 0
    total_started = time.perf_counter()
    for text, child in batch:
        t0, c0 = time.perf_counter(), time.thread_time()
        result = answer(text, library=library, today=TODAY, child=child)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        in_scope += result.in_scope
    total = time.perf_counter() - total_started
    latencies.sort()
    cpu.sort()
    figures = {
        "questions": len(batch),
        "distinct": len({text for text, _ in batch}),
        "in_scope": in_scope,
        "index_build_ms": round(build_ms, 1),
        "throughput_per_s": round(len(batch) / total, 1),
        "p50_ms": round(statistics.median(latencies), 3),
        "p90_ms": round(latencies[int(0.90 * (len(latencies) - 1))], 3),
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 3),
        "max_ms": round(latencies[-1], 3),
        "cpu_p50_ms": round(statistics.median(cpu), 3),
        "cpu_p99_ms": round(cpu[int(0.99 * (len(cpu) - 1))], 3),
    }
    print(f"answered {figures['questions']} questions ({figures['distinct']} distinct, {in_scope} in scope)")
    print(f"index built in {figures['index_build_ms']} ms")
    print(f"throughput: {figures['throughput_per_s']} questions/s")
    print(
        f"latency per question: p50 {figures['p50_ms']} ms, p90 {figures['p90_ms']} ms, "
        f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms"
    )
    print(f"CPU time per question: p50 {figures['cpu_p50_ms']} ms, p99 {figures['cpu_p99_ms']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
