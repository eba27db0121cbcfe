"""Full-text search of long text: abstracts, stream descriptions.

Long text (abstracts, stream descriptions) goes through SQLite FTS5 with bm25. User text reaches
MATCH only as double-quoted terms of [0-9a-z] (folded), so FTS syntax typed by a member ('"',
'NEAR(', '*', 'AND', 'title:x', 'gpt-2', a NUL byte) is just words. Each word also matches its
singular or plural. At 100k papers a query of common words would make bm25 rank tens of thousands of
rows, so words are chosen by document frequency (the build's papers_terms table): the rarest first,
while the rows to rank stay under `FullText.ROWS`; when even the rarest is more common, the two
rarest are required (AND) and bm25 ranks only the first `ROWS` rows matched, which are the most cited
(the build writes papers in that order). When the words are very common (`FullText.WEIGHED`) not even
that: to weigh a word by its rarity bm25 first counts every row holding it, whatever the LIMIT, and for
a word in 60k abstracts that count alone took 1.5–4 ms a query; the first rows matched come in rowid
order then (the bench's full searches at 100k papers found the intended paper as often: 71.3% of them,
against 71.2%). The caller ranks what comes back by the share of the query's words each paper holds.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from operator import itemgetter

from bot.catalog.model import Catalog
from bot.text import fold

_FTS_TERM = re.compile(r"[0-9a-z]+")
_WORD_LETTERS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")


class FullText:
    """bm25 over one FTS5 table, with terms chosen by document frequency (see the module docstring)."""

    ROWS = 400
    """Rows bm25 ranks at most per query (a millisecond or two of SQLite work)."""
    WEIGHED = 5_000
    """Rows holding the common words of a bounded MATCH up to which bm25 still ranks its first `ROWS`
    rows: to weigh a word by rarity bm25 counts every row holding it, a fraction of a millisecond up
    to here (at 1k papers bm25's order found the intended paper a little more often), milliseconds
    beyond (1.5–4 ms for words in 60k abstracts, where the most cited first did as well)."""
    FEW = 10
    """Fewer papers than this with all the (common) words: add those with the rarest one."""
    MEMO = 128
    """MATCH expressions whose ranking is kept (see `_query_rowids`)."""
    DF_KEPT = 50_000
    """Document frequencies kept, at most (then forgotten all at once: a real vocabulary is smaller)."""

    def __init__(self, catalog: Catalog, table: str, id_table: str, weights: str, total: int,
                 ids: Sequence[str] | None = None):
        """*ids*: the ids in rowid order (rowid n is ids[n - 1]) when memory holds them, as the catalog's
        columns hold the papers': the ranked rowids are then not joined with the id table, which read a
        page of abstracts for each of up to `ROWS` rows matched.
        """
        self.catalog = catalog
        self.table = table
        self.id_table = id_table
        self.ids = ids
        self.weights = weights
        self.total = total
        self._df: dict[str, int] = {}
        # Ranked rowids as flat arrays: they hold no objects for the cycle collector to walk (see
        # `FuzzyIndex.MEMO`).
        self._ranked: OrderedDict[tuple[str, bool], array[int]] = OrderedDict()
        self._lock = threading.Lock()
        self._terms_table = self._find_terms_table()

    def _find_terms_table(self) -> str | None:
        try:
            rows = self.catalog.fts("SELECT name FROM sqlite_master WHERE name = ?", (f"{self.id_table}_terms",))
        except sqlite3.Error:
            return None
        return rows[0][0] if rows else None

    def df(self, terms: list[str]) -> dict[str, int]:
        """Documents containing each term: from the build's terms table, else counted once and kept."""
        # The answer is made from what was known and what is counted here: another thread may clear
        # the kept counts meanwhile (at DF_KEPT), and a known word must not then count as 0.
        known = {t: n for t in terms if (n := self._df.get(t)) is not None}
        missing = [t for t in terms if t not in known]
        if missing and self.total <= self.ROWS:
            return {t: 1 for t in terms}  # small catalog: everything is cheap, no need to know
        counted: dict[str, int] = {}
        if missing and self._terms_table:  # one round trip for all of them (a term not there: 0)
            marks = ",".join("?" * len(missing))
            try:
                rows = self.catalog.fts(f"SELECT term, doc FROM {self._terms_table} WHERE term IN ({marks})",
                                        tuple(missing))
            except sqlite3.Error:
                rows = []
            counted = {**dict.fromkeys(missing, 0), **dict(rows)}
        else:  # no terms table (the streams'): count each term's rows
            for term in missing:
                try:
                    rows = self.catalog.fts(f"SELECT count(*) FROM {self.table} WHERE {self.table} MATCH ?",
                                            (f'"{term}"',))
                except sqlite3.Error:
                    rows = []
                counted[term] = rows[0][0] if rows else 0
        if counted:
            self._keep_df(counted)
        return {t: known.get(t, counted.get(t, 0)) for t in terms}

    def _keep_df(self, counts: dict[str, int]) -> None:
        with self._lock:
            if len(self._df) > self.DF_KEPT:
                self._df.clear()
            self._df.update(counts)

    def search(self, key: str, limit: int) -> tuple[list[tuple[str, ...]], list[tuple[str, int]]]:
        """(term groups, [(id, position)]) best first. A group is one query word (at most 8 are used)
        with its singular or plural ('vectors' → vector, vectors), either of which counts.
        """
        groups = [_forms(t) for t in dict.fromkeys(_FTS_TERM.findall(key)) if len(t) > 1][:8]
        return groups, self.search_groups(groups, limit)

    def search_groups(self, groups: list[tuple[str, ...]], limit: int) -> list[tuple[str, int]]:
        """[(id, position)] best first for term groups of the caller's making (e.g. the words sharing a
        stem): a row matches a group when it holds any of the group's words.
        """
        groups = [g for g in groups if g and all(_FTS_TERM.fullmatch(f) for f in g)]
        if not groups:
            return []
        df = self.df([f for g in groups for f in g])
        known = sorted(((g, sum(df[f] for f in g)) for g in groups), key=lambda x: x[1])
        known = [(tuple(f for f in g if df[f]), n) for g, n in known if n]
        if not known:
            return []

        def match(g: tuple[str, ...]) -> str:
            quoted = " OR ".join(f'"{f}"' for f in g)
            return f"({quoted})" if len(g) > 1 else quoted

        chosen: list[tuple[str, ...]] = []
        rows = 0
        for g, n in known:
            if not chosen or rows + n <= self.ROWS:
                chosen.append(g)
                rows += n
        if rows <= self.ROWS:
            return self._query(" OR ".join(match(g) for g in chosen), limit, bounded=False)
        # Even the rarest word is common: papers with the two rarest words, else with the rarest,
        # the first ones matched (the most cited), ranked by bm25 while that is cheap.
        pair = known[:2]
        found = self._query(" AND ".join(match(g) for g, _ in pair), limit, bounded=True,
                            weigh=sum(n for _, n in pair) <= self.WEIGHED)
        if len(found) < self.FEW and len(known) > 1:
            seen = {pid for pid, _ in found}
            more = self._query(match(known[0][0]), limit, bounded=True, weigh=known[0][1] <= self.WEIGHED)
            found += [(pid, len(found) + n) for n, (pid, _) in enumerate(p for p in more if p[0] not in seen)]
        return found[:limit]

    def _query(self, match: str, limit: int, bounded: bool, weigh: bool = True) -> list[tuple[str, int]]:
        """[(id, position)] of the rows *match* finds, ranked by bm25; when *bounded* (common words)
        only the first `ROWS` rows matched are ranked, and unless *weigh*, none: the first *limit*
        rows come in rowid order (the most cited first; see `WEIGHED`).
        """
        t = self.table
        if self.ids is not None:
            return self._query_rowids(match, limit, bounded, weigh, self.ids)
        if bounded and not weigh:
            sql = (f"SELECT d.id FROM (SELECT rowid AS r FROM {t} WHERE {t} MATCH ? ORDER BY rowid LIMIT ?) "
                   f"JOIN {self.id_table} d ON d.rowid = r ORDER BY r")
        elif bounded:
            sql = (f"SELECT d.id FROM (SELECT rowid AS r, bm25({t}{self.weights}) AS s FROM {t} WHERE {t} MATCH ? "
                   f"LIMIT {self.ROWS}) JOIN {self.id_table} d ON d.rowid = r ORDER BY s LIMIT ?")
        else:
            sql = (f"SELECT d.id FROM {t} JOIN {self.id_table} d ON d.rowid = {t}.rowid "
                   f"WHERE {t} MATCH ? ORDER BY bm25({t}{self.weights}) LIMIT ?")
        try:
            rows = self.catalog.fts(sql, (match, limit))
        except sqlite3.Error:
            return []
        return [(r[0], position) for position, r in enumerate(rows)]

    def _query_rowids(self, match: str, limit: int, bounded: bool, weigh: bool,
                      ids: Sequence[str]) -> list[tuple[str, int]]:
        """`_query` without the join. Every row bm25 ranks is read with its score and ranked here, and
        kept for the same MATCH asked again (a question's topic and the command answering it ask the
        same words, with different limits). Equal scores rank in rowid order, the most cited first.
        Rows not weighed are read afresh each time: that is cheaper than keeping them.
        """
        t = self.table
        if bounded and not weigh:
            sql = f"SELECT rowid FROM {t} WHERE {t} MATCH ? ORDER BY rowid LIMIT ?"
            try:
                return [(ids[r - 1], position) for position, (r,) in enumerate(self.catalog.fts(sql, (match, limit)))]
            except sqlite3.Error:
                return []
        with self._lock:
            ranked = self._ranked.get((match, bounded))
            if ranked is not None:
                self._ranked.move_to_end((match, bounded))
        if ranked is None:
            sql = f"SELECT rowid, bm25({t}{self.weights}) FROM {t} WHERE {t} MATCH ?"
            try:
                rows = self.catalog.fts(sql + (f" LIMIT {self.ROWS}" if bounded else ""), (match,))
            except sqlite3.Error:
                return []
            ranked = array("l", (r for r, _ in sorted(rows, key=itemgetter(1))))  # stable: rows come by rowid
            with self._lock:
                self._ranked[(match, bounded)] = ranked
                if len(self._ranked) > self.MEMO:
                    self._ranked.popitem(last=False)
        return [(ids[r - 1], position) for position, r in enumerate(ranked[:limit])]


def words_finder(groups: list[tuple[str, ...]]) -> Callable[[str], set[str]]:
    """A function giving which of the groups' words a text contains, as whole words (one regex scan)."""
    forms = sorted({f for g in groups for f in g}, key=len, reverse=True)
    if not forms:
        return lambda text: set()
    if all(_FTS_TERM.fullmatch(f) for f in forms):
        # Plain words (as a query's always are): a whole word is a run of [0-9a-z] that no such
        # letter touches on either side, so each word is looked for with str.find and its ends
        # checked, without compiling a pattern of these words (a millisecond per query at every
        # question) or splitting the text into its hundreds of words (as long again as all the finds).
        def among(text: str) -> set[str]:
            low = text.lower() if text.isascii() else fold(text)
            return {form for form in forms if _holds(low, form)}

        return among
    pattern = re.compile(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, forms)) + r")(?![0-9a-z])")

    def found(text: str) -> set[str]:
        return set(pattern.findall(text.lower() if text.isascii() else fold(text)))

    return found


def _forms(term: str) -> tuple[str, ...]:
    """A word and its plural or singular, the only inflection FTS is given ('vectors' → vector)."""
    if len(term) < 4 or term.isdigit():
        return (term,)
    if term.endswith("s") and not term.endswith("ss"):
        return (term, term[:-1])
    return (term, term + "s")


def coverage(groups: list[tuple[str, ...]], words: set[str]) -> float:
    """Share of the query's words (any of their forms) among *words*."""
    return sum(any(f in words for f in g) for g in groups) / len(groups) if groups else 0.0


def covered(groups: list[tuple[str, ...]], texts: Sequence[str]) -> float:
    """`coverage` of the words *texts* contain (e.g. a title and its abstract), without listing them:
    each group's forms are looked for in turn, text by text, until one is there.
    """
    if not groups:
        return 0.0
    if not all(_FTS_TERM.fullmatch(f) for g in groups for f in g):
        found = words_finder(groups)
        return coverage(groups, set().union(*map(found, texts)))
    folded = [t.lower() if t.isascii() else fold(t) for t in texts]
    return sum(any(_holds(t, f) for f in g for t in folded) for g in groups) / len(groups)


def _holds(text: str, word: str) -> bool:
    """Whether folded *text* has plain *word* as a whole word (no [0-9a-z] touching either end)."""
    at = text.find(word)
    while at >= 0:
        after = at + len(word)
        if (at == 0 or text[at - 1] not in _WORD_LETTERS) and (after == len(text) or text[after] not in _WORD_LETTERS):
            return True
        at = text.find(word, at + 1)
    return False
