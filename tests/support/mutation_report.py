"""`make mutate`'s summary: mutmut's verdicts per module, the kill rate, and the surviving mutants.

Reads `mutmut results --all true` (one `name: verdict` line per mutant) and prints, per module, how
many mutants were killed, survived, had no test reaching them or were not run before the time box
ran out; the kill rate is killed / (killed + survived + no tests). Then every survivor by name:
`mutmut show NAME` prints its diff.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

LINE = re.compile(r"^\s*(?P<module>[\w.]+?)\.x[^:]*__mutmut_\d+: (?P<verdict>.+)$")
CAUGHT = ("killed", "timeout", "caught by type check", "segfault")
MISSED = ("survived", "no tests", "suspicious")


def tally(lines: list[str]) -> tuple[dict[str, Counter[str]], list[str]]:
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors = []
    for line in lines:
        m = LINE.match(line)
        if m is None:
            continue
        per_module[m["module"]][m["verdict"]] += 1
        if m["verdict"] in MISSED:
            survivors.append(line.strip())
    return per_module, survivors


def main() -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    out = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=False)
    per_module, survivors = tally(out.stdout.splitlines())
    if not per_module:
        print("no mutmut results (run `make mutate` first)", file=sys.stderr)
        return 1
    print("\nsurviving mutants (`.venv/bin/mutmut show NAME` prints one):")
    for line in survivors:
        print("  " + line)
    print(f"\n{'module':<28} {'mutants':>7} {'killed':>7} {'survived':>8} {'no test':>7} {'not run':>7} {'kill rate':>9}")
    total: Counter[str] = Counter()
    for module, counts in sorted(per_module.items()):
        total.update(counts)
        print(row(module, counts))
    print(row("all", total))
    return 0


def row(module: str, counts: Counter[str]) -> str:
    killed = sum(counts[v] for v in CAUGHT)
    judged = killed + sum(counts[v] for v in MISSED)
    rate = f"{100 * killed / judged:.1f}%" if judged else "—"
    not_run = sum(counts.values()) - judged
    return (f"{module:<28} {sum(counts.values()):>7} {killed:>7} {counts['survived']:>8} {counts['no tests']:>7} "
            f"{not_run:>7} {rate:>9}")


if __name__ == "__main__":
    raise SystemExit(main())
