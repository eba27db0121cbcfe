"""The staff report over recorded questions: what went unanswered, what was rated badly, how fast.

Unanswered questions are grouped by similar wording (rapidfuzz token-set ratio over the folded
text), so "when does it end" and "when does it end?!" are one line with a count. The no-match
trend compares the period with the one just before it (both inside the retention period).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.insights.store import Record
from bot.text import fold

GROUP_SIMILARITY = 85.0
"""Two folded questions at or above this token-set ratio are one group of 'the same question'."""
MAX_GROUPED = 2000
"""Only the most frequent distinct unanswered wordings are grouped (keeps the report O(n·groups))."""
TOP_UNANSWERED = 10
WORST_RATED = 5
UNANSWERED = ("no-match", "error")
MAX_CSV_ROWS = 40_000
"""About 8 MB of CSV, under Discord's smallest upload limit; the newest rows are kept when cut."""
CSV_FIELDS = ("id", "time_utc", "command", "via", "question", "intent", "entities", "confidence", "outcome",
              "latency_ms", "thumbs_up", "thumbs_down", "asker_hash")


@dataclass(frozen=True)
class Group:
    wording: str  # the most frequent original wording
    count: int
    variants: int


@dataclass(frozen=True)
class Rated:
    question: str
    command: str
    intent: str | None
    up: int
    down: int


@dataclass(frozen=True)
class Report:
    days: int
    since: dt.datetime
    total: int
    distinct_askers: int | None
    unanswered: list[Group]
    worst_rated: list[Rated]
    no_match_rate: float | None
    previous_no_match_rate: float | None
    outcomes: dict[str, int]
    per_command: list[tuple[str, int]]
    p50_ms: float | None
    p95_ms: float | None
    records: list[Record]


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0–100): a latency that was really measured."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def group_questions(questions: list[str]) -> list[Group]:
    """Questions grouped by similar wording, largest group first."""
    by_fold: dict[str, Counter[str]] = {}
    for q in questions:
        key = fold(q)
        if key:
            by_fold.setdefault(key, Counter())[q] += 1
    ranked = sorted(by_fold.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:MAX_GROUPED]
    heads: list[str] = []
    members: list[list[Counter[str]]] = []
    for key, wordings in ranked:
        found = process.extractOne(key, heads, scorer=fuzz.token_set_ratio, score_cutoff=GROUP_SIMILARITY) \
            if heads else None
        if found is None:
            heads.append(key)
            members.append([wordings])
        else:
            members[found[2]].append(wordings)
    groups = []
    for parts in members:
        total: Counter[str] = Counter()
        for part in parts:
            total.update(part)
        wording = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        groups.append(Group(wording, sum(total.values()), len(total)))
    return sorted(groups, key=lambda g: (-g.count, g.wording))


def no_match_rate(records: list[Record]) -> float | None:
    if not records:
        return None
    return sum(1 for r in records if r.outcome == "no-match") / len(records)


def build(records: list[Record], previous: list[Record], days: int, since: dt.datetime) -> Report:
    """The report for *records* (the period) against *previous* (the period before it)."""
    unanswered = group_questions([r.question for r in records if r.outcome in UNANSWERED])
    rated: dict[tuple[str, str], Rated] = {}
    for r in records:
        if r.up or r.down:
            key = (fold(r.question), r.command)
            old = rated.get(key)
            rated[key] = Rated(r.question, r.command, r.intent, r.up + (old.up if old else 0),
                               r.down + (old.down if old else 0))
    worst = sorted((x for x in rated.values() if x.down), key=lambda x: (x.up - x.down, -x.down, x.question))
    askers = {r.asker for r in records if r.asker}
    latencies = [r.latency_ms for r in records]
    return Report(
        days=days, since=since, total=len(records),
        distinct_askers=len(askers) if askers else None,
        unanswered=unanswered[:TOP_UNANSWERED], worst_rated=worst[:WORST_RATED],
        no_match_rate=no_match_rate(records), previous_no_match_rate=no_match_rate(previous),
        outcomes=dict(Counter(r.outcome for r in records)),
        per_command=sorted(Counter(r.command for r in records).items(), key=lambda kv: (-kv[1], kv[0])),
        p50_ms=percentile(latencies, 50), p95_ms=percentile(latencies, 95), records=records)


def to_csv(records: list[Record]) -> bytes:
    """The raw records for a spreadsheet; cells that a spreadsheet would run as a formula are quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for r in records[-MAX_CSV_ROWS:]:
        writer.writerow([r.id, r.at.strftime("%Y-%m-%d %H:%M:%S"), r.command, r.via, _cell(r.question),
                         _cell(r.intent or ""), _cell(" | ".join(r.entities)),
                         "" if r.confidence is None else f"{r.confidence:.3f}", r.outcome, f"{r.latency_ms:.1f}",
                         r.up, r.down, r.asker or ""])
    return out.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
