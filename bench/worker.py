"""One size, one phase, in its own process so that memory and timings are not polluted by the last one.

    python -m bench.worker build N DIR     generate N papers, write YAML into DIR/data, build DIR/catalog.db
    python -m bench.worker measure N DIR   load DIR/catalog.db, search it, run the baselines
    python -m bench.worker ask N DIR       /ask and /paper show latency through the App
    python -m bench.worker startup N DIR   fresh processes: spawn → first answer

Each prints one JSON object as its last line of stdout.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.build import build

from .measure import measure
from .synth import generate, write_sources


@dataclass(frozen=True)
class Plan:
    """Queries per method at one size. Ours are cheap; the baselines are not (difflib takes seconds a
    query at 100k, a plain FTS OR query a few hundred ms), so they run on the first queries only."""

    queries: int  # per query kind, for our search
    fts_or: int
    wratio: int
    difflib: int
    calibration_steps: int = 3_000_000


PLANS = {
    1_000: Plan(1000, 1000, 1000, 50),
    10_000: Plan(1000, 500, 300, 10),
    100_000: Plan(1000, 100, 60, 3),
}


def plan(size: int) -> Plan:
    return PLANS.get(size) or PLANS[min(PLANS, key=lambda s: abs(s - size))]


def do_build(size: int, root: Path) -> dict:
    started = time.perf_counter()
    synthetic = generate(size)
    write_sources(synthetic, root / "data")
    generated = time.perf_counter() - started
    cpu = time.process_time()
    result = build(root / "data", root / "catalog.db")
    cpu = time.process_time() - cpu
    unchanged = build(root / "data", root / "catalog.db")  # a restart or reload with nothing new
    streams = root / "data" / "streams.yaml"
    streams.write_text(streams.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    edited = build(root / "data", root / "catalog.db")  # a staff edit of the streams: papers copied
    assert set(unchanged.reused) == {"papers", "streams", "program"} and edited.reused == ("papers",)
    return {"size": size, "generate_s": generated, "build_s": result.seconds, "build_cpu_s": cpu, "counts": result.counts,
            "rebuild_unchanged_s": unchanged.seconds, "rebuild_streams_s": edited.seconds,
            "yaml_mb": sum(f.stat().st_size for f in (root / "data").glob("*.yaml")) / 2**20,
            "db_mb": (root / "catalog.db").stat().st_size / 2**20}


def do_measure(size: int, root: Path, the_plan: Plan | None = None) -> dict:
    p = the_plan or plan(size)
    return {"size": size, **measure(root / "catalog.db", n_queries=p.queries, wratio_queries=p.wratio,
                                    difflib_queries=p.difflib, fts_queries=p.fts_or,
                                    calibration_steps=p.calibration_steps)}


def main(argv: list[str]) -> int:
    phase, size, root = argv[0], int(argv[1]), Path(argv[2])
    if phase == "ask":
        from .ask_bench import run

        result = run(root)
    elif phase == "startup":
        from .startup import measure as startup

        result = startup(root)
    else:
        result = do_build(size, root) if phase == "build" else do_measure(size, root)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
