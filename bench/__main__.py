"""`make bench`: synthetic catalogs of 1k, 10k and 100k papers, built, loaded and searched.

Each size is built in one process and measured in another (python -m bench.worker), so that build
memory never counts as search memory. Prints one table and writes it to bench/RESULTS.md and, after
a run of all three sizes, into README.md's Benchmark section (between its bench markers).

    python -m bench                       # 1k, 10k, 100k (about 6 minutes on 2 cores)
    python -m bench --sizes 1000,10000    # fewer sizes
    python -m bench --keep DIR            # keep the YAML and databases in DIR
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import in_readme, markdown, text_table

ROOT = Path(__file__).resolve().parents[1]


def run_worker(phase: str, size: int, root: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.worker", phase, str(size), str(root)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench: {phase} of {size} papers failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated paper counts")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="markdown table to write")
    parser.add_argument("--keep", type=Path, help="keep sources and databases in this directory")
    parser.add_argument("--no-readme", dest="readme", action="store_false",
                        help="leave README.md's table alone (it is rewritten only by a run of all three sizes)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        base = args.keep or Path(tmp)
        for size in sizes:
            root = base / str(size)
            root.mkdir(parents=True, exist_ok=True)
            print(f"bench: {size} papers: generating and building…", flush=True)
            built = run_worker("build", size, root)
            print(f"bench: {size} papers: built in {built['build_s']:.1f} s; searching…", flush=True)
            results[size] = {**built, **run_worker("measure", size, root), **run_worker("ask", size, root),
                             **run_worker("startup", size, root)}
    elapsed = time.perf_counter() - started
    machine = f"{platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}"
    print()
    print(text_table(results))
    args.out.write_text(markdown(results, machine, elapsed), encoding="utf-8")
    readme = ROOT / "README.md"
    if args.readme and sorted(results) == [1000, 10000, 100000]:
        readme.write_text(in_readme(readme.read_text(encoding="utf-8"), results, machine, elapsed), encoding="utf-8")
        print(f"bench: the table in {readme.name} regenerated")
    print(f"\nbench: {elapsed / 60:.1f} min in all; table written to {args.out}")
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


if __name__ == "__main__":
    sys.exit(main())
