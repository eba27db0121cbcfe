"""Start-up to ready: a fresh process that opens the built catalog and answers its first question.

    python -m bench.startup ROOT    # ROOT holds catalog.db and data/ (as bench.worker builds them)

What a restart costs before the bot can answer: the interpreter, the bot's imports, opening the
catalog (columns, search indexes), warming the question reader as the bot does before it serves
(`App.warm`: its lexicon, spell checker, classifier…) and a first /ask.
Prints one JSON line; `measure` runs it in fresh processes and times each from spawn to that line.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402 - the clock starts before the imports it measures
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

FIRST_QUESTION = "papers about sparse autoencoders"


def child(root: Path) -> dict[str, float]:
    from bot.app import App
    from bot.commands.ask import ask
    from bot.config import Config

    imported = time.perf_counter()
    config = Config(root=root, data_dir=root / "data", catalog_db=root / "catalog.db",
                    state_db=root / "startup-state.db")
    app = App(config)
    app.open()
    app.warm()  # as the bot does before it serves
    opened = time.perf_counter()
    ask(app, FIRST_QUESTION)
    answered = time.perf_counter()
    app.close()
    return {"import_s": imported - STARTED, "open_s": opened - imported, "first_answer_s": answered - opened}


def measure(root: Path, runs: int = 3) -> dict[str, float]:
    """Median over *runs* fresh processes of spawn → first answer, with the child's own breakdown."""
    totals, cpus, parts = [], [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "bench.startup", str(root)], capture_output=True, text=True,
                              check=True, cwd=Path(__file__).resolve().parents[1])
        totals.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        parts.append(json.loads(done.stdout.strip().splitlines()[-1]))
    at = totals.index(statistics.median_low(totals))
    return {"startup_s": totals[at], "startup_cpu_s": cpus[at], **{f"startup_{k}": v for k, v in parts[at].items()}}


if __name__ == "__main__":
    print(json.dumps(child(Path(sys.argv[1]))))
