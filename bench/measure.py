"""What the benchmark measures, usable at any size (the smoke test runs it on 200 papers).

Queries are drawn from the loaded catalog with a seeded RNG, so every run and every method sees the
same queries: title and name prefixes (what autocomplete receives while a member types), whole titles
and names with one or two typos (and names without their accents), and full-search queries (a title
with a typo, a few title words out of order, an author's name, a phrase from the abstract).
"""

from __future__ import annotations

import difflib
import os
import random
import resource
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from bot.catalog.model import Catalog, open_catalog
from bot.search.searcher import Searcher
from bot.text import STOPWORDS, strip_accents

KEYBOARD = {c: n for c, n in zip(
    "qwertyuiopasdfghjklzxcvbnm",
    ["wa", "qes", "wrd", "etf", "ryg", "tuh", "yij", "uok", "ipl", "ol", "qsz", "awdx", "sefc", "drgv", "fthb",
     "gyjn", "hukm", "jil", "kop", "asx", "zsdc", "xdfv", "cfgb", "vghn", "bhjm", "njk"], strict=True)}


def typo(text: str, rng: random.Random, edits: int) -> str:
    """*text* with *edits* keyboard mistakes (a neighbour key, a dropped, doubled or swapped letter)."""
    chars = list(text)
    done = 0
    for _ in range(50):
        if done == edits:
            break
        letters = [i for i, ch in enumerate(chars) if ch.isalpha()]
        if len(letters) < 4:
            break
        i = rng.choice(letters)
        op = rng.random()
        low = chars[i].lower()
        if op < 0.4 and low in KEYBOARD:
            chars[i] = rng.choice(KEYBOARD[low])
        elif op < 0.6:
            del chars[i]
        elif op < 0.8:
            chars.insert(i, rng.choice(KEYBOARD.get(low, "e")))
        elif i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i + 1] != chars[i]:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            continue
        done += 1
    return "".join(chars)


@dataclass
class Queries:
    """Each query with the id it is meant to find."""

    title_prefix: list[tuple[str, str]] = field(default_factory=list)
    title_typo: list[tuple[str, str]] = field(default_factory=list)
    name_prefix: list[tuple[str, str]] = field(default_factory=list)
    name_typo: list[tuple[str, str]] = field(default_factory=list)
    full: list[tuple[str, str]] = field(default_factory=list)


def make_queries(catalog: Catalog, n: int, seed: int = 7) -> Queries:
    rng = random.Random(seed)
    papers = sorted(catalog.papers.values(), key=lambda p: p.id)
    people = sorted((p for p in catalog.people.values() if p.papers), key=lambda p: p.id)
    q = Queries()
    for paper in rng.sample(papers, min(n, len(papers))):
        title = paper.title
        cut = rng.randint(max(4, len(title) * 2 // 5), max(5, len(title) * 7 // 10))
        q.title_prefix.append((title[:cut].lower() if rng.random() < 0.5 else title[:cut], paper.id))
        q.title_typo.append((typo(title, rng, rng.randint(1, 2)), paper.id))
    for person in rng.sample(people, min(n, len(people))):
        name = person.name if rng.random() < 0.5 else strip_accents(person.name).lower()
        first, _, rest = name.partition(" ")
        q.name_prefix.append((f"{first} {rest[: rng.randint(1, max(1, len(rest) - 1))]}".strip(), person.id))
        q.name_typo.append((typo(name, rng, rng.randint(1, 2)), person.id))
    for i, paper in enumerate(rng.sample(papers, min(n, len(papers)))):
        kind = i % 4
        if kind == 0:
            text = typo(paper.title, rng, 1)
        elif kind == 1:
            words = [w for w in paper.title.replace(":", " ").split() if w.lower() not in STOPWORDS]
            text = " ".join(rng.sample(words, min(len(words), rng.randint(3, 5))))
        elif kind == 2:
            person = catalog.people[rng.choice(paper.authors).person_id]
            text = strip_accents(person.name)
        else:
            words = paper.abstract.split()
            start = rng.randrange(max(1, len(words) - 6))
            text = " ".join(words[start : start + rng.randint(3, 6)]).strip(".,")
        q.full.append((text, paper.id))
    return q


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 100 values is the 99th smallest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


@dataclass
class Timing:
    p50_ms: float
    p99_ms: float
    hit_rate: float  # intended id among the first 25 results
    queries: int

    def as_dict(self) -> dict:
        return {"p50_ms": self.p50_ms, "p99_ms": self.p99_ms, "hit_rate": self.hit_rate, "queries": self.queries}


def timed(run: Callable[[str], Sequence[str]], queries: Sequence[tuple[str, str]], top: int = 25) -> Timing:
    """Latency of *run* per query and how often the intended id is in its first *top* results."""
    times, hits = [], 0
    for text, want in queries:
        started = time.perf_counter()
        ids = run(text)
        times.append((time.perf_counter() - started) * 1000)
        hits += want in ids[:top]
    return Timing(percentile(times, 50), percentile(times, 99), hits / len(queries) if queries else float("nan"),
                  len(queries))


def rss_mb() -> float:
    """Resident memory now, from /proc (Linux); peak RSS from getrusage elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fts_or_baseline(db: Path, queries: Sequence[tuple[str, str]]) -> Timing:
    """The naive full search: every query word OR-ed into one FTS5 query, ranked by bm25."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def run(text: str) -> list[str]:
        terms = [w for w in "".join(c if c.isalnum() else " " for c in text.lower()).split() if w not in STOPWORDS]
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        sql = ("SELECT p.id FROM papers_fts JOIN papers p ON p.rowid = papers_fts.rowid "
               "WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts) LIMIT 50")
        return [r[0] for r in conn.execute(sql, (match,))]

    try:
        return timed(run, queries)
    finally:
        conn.close()


def calibration_s(steps: int = 3_000_000) -> float:
    """Seconds a fixed pure-Python loop takes: how fast this machine is right now (CPU shared with
    other work makes every latency here larger; compare runs by this number)."""
    started = time.perf_counter()
    total = 0
    for i in range(steps):
        total += i
    return time.perf_counter() - started


def measure(db: Path, n_queries: int = 300, wratio_queries: int | None = None, difflib_queries: int = 10,
            fts_queries: int | None = None, seed: int = 7, calibration_steps: int = 3_000_000) -> dict:
    """Everything about one built catalog: memory, load time, our search and the three baselines."""
    calibration = calibration_s(calibration_steps)
    rss_before = rss_mb()
    started = time.perf_counter()
    catalog = open_catalog(db)
    loaded = time.perf_counter()
    rss_catalog = rss_mb()
    searcher = Searcher(catalog)
    indexed = time.perf_counter()
    rss_after = rss_mb()
    q = make_queries(catalog, n_queries, seed)

    def complete(kind: str) -> Callable[[str], list[str]]:
        return lambda text: [h.id for h in searcher.complete(kind, text, 25)]

    out: dict = {
        "papers": len(catalog.papers), "people": len(catalog.people),
        "rss_mb": rss_after, "rss_catalog_mb": rss_catalog - rss_before, "rss_index_mb": rss_after - rss_catalog,
        "load_s": loaded - started, "index_s": indexed - loaded, "calibration_s": calibration,
    }
    # Warm-up: the first FTS queries pay for reading pages a running bot has long had in cache.
    for text, _ in q.full[:5]:
        searcher.papers_matching(text, 50)
    out["title_prefix"] = timed(complete("paper"), q.title_prefix).as_dict()
    out["title_typo"] = timed(complete("paper"), q.title_typo).as_dict()
    out["name_prefix"] = timed(complete("person"), q.name_prefix).as_dict()
    out["name_typo"] = timed(complete("person"), q.name_typo).as_dict()
    out["full"] = timed(lambda text: [h.id for h in searcher.papers_matching(text, 50)], q.full).as_dict()
    out["fts_or"] = fts_or_baseline(db, q.full[: len(q.full) if fts_queries is None else fts_queries]).as_dict()

    titles = [p.title for p in catalog.papers.values()]
    ids = list(catalog.papers)
    processed = [utils.default_process(t) for t in titles]
    lowered = [t.lower() for t in titles]
    index_of = {t: i for i, t in enumerate(lowered)}

    def wratio(text: str) -> list[str]:
        found = process.extract(utils.default_process(text), processed, scorer=fuzz.WRatio, processor=None, limit=25)
        return [ids[i] for _, _, i in found]

    def close_matches(text: str) -> list[str]:
        return [ids[index_of[t]] for t in difflib.get_close_matches(text.lower(), lowered, n=25, cutoff=0.0)]

    # Baselines on the title typo queries: their latency hardly depends on the query, their hit rate does.
    w = len(q.title_typo) if wratio_queries is None else wratio_queries
    out["wratio"] = timed(wratio, q.title_typo[:w]).as_dict()
    out["difflib"] = timed(close_matches, q.title_typo[:difflib_queries]).as_dict()
    out["calibration_end_s"] = calibration_s(calibration_steps)
    out["rss_end_mb"] = rss_mb()
    out["pid"] = os.getpid()
    catalog.close()
    return out
