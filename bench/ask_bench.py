"""Question answering (/ask) latency on a built synthetic catalog: p50/p99 over realistic questions.

    python -m bench.ask_bench ROOT    # ROOT holds catalog.db and data/ (as bench.worker builds them)

Run in its own process per size, like the search measurements, and printed as one JSON line.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from bot.app import App
from bot.commands.ask import ask
from bot.config import Config

from .measure import percentile

TEMPLATES = (
    "what has {person} written?",
    "papers by {person}",
    "papers about {topic}",
    "is there a stream on {stream_word}?",
    "how often does the {stream} stream meet?",
    "when does the autumn program end?",
    "who mentors the {stream} stream?",
    "which alumni worked on {topic}?",
)


def questions(app: App, n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    people = [p.name for p in app.catalog.people.values()]
    titles = [p.title for p in app.catalog.papers.values()]
    streams = [s.name for s in app.catalog.streams.values()]
    out = []
    for i in range(n):
        words = rng.choice(titles).split()
        start = rng.randrange(max(1, len(words) - 2))
        out.append(TEMPLATES[i % len(TEMPLATES)].format(
            person=rng.choice(people), topic=" ".join(words[start : start + 2]), stream=rng.choice(streams),
            stream_word=rng.choice(["cybersecurity", "interpretability", "control", "benchmarks"])))
    return out


def run(root: Path, n: int = 400) -> dict:
    config = Config(root=root, data_dir=root / "data", catalog_db=root / "catalog.db", state_db=root / "ask-state.db")
    app = App(config)
    app.open(rebuild_if_stale=False)
    qs = questions(app, n)
    app.warm()  # as the bot does before it serves
    times, answered = [], 0
    for q in qs:
        started = time.perf_counter()
        reply = ask(app, q)
        times.append((time.perf_counter() - started) * 1000)
        answered += reply.kind == "answer"
    # /paper show reads the abstract and url from SQLite while the reply is made: what that costs.
    rng = random.Random(13)
    shown = rng.sample(sorted(app.catalog.papers), min(n, len(app.catalog.papers)))
    show_times = []
    for pid in shown:
        started = time.perf_counter()
        app.commands.run(app, "paper show", {"title": pid})
        show_times.append((time.perf_counter() - started) * 1000)
    app.close()
    return {"ask_p50_ms": percentile(times, 50), "ask_p99_ms": percentile(times, 99), "ask_answered": answered / n,
            "ask_n": n, "show_p50_ms": percentile(show_times, 50), "show_p99_ms": percentile(show_times, 99)}


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]))))
