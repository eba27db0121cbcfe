"""The word index for short fields: fuzzy, word by word, fast at 100k entries.

Short fields (titles, names, stream names, nicknames, key dates) are matched fuzzily, word by word.
Each index keeps its vocabulary and, per word, the entries that contain it (in tie order). A query
word stands for itself, for the longer words it begins ('refu' → refusal, 'grad rout' → gradient
routing, '28' → 28th) and, when it is not a known word or is short, for known words rapidfuzz finds
close ('routeing' → routing, 'hobbhan' → hobbhahn; only words of about its length that share its first
or last letter are compared, which keeps this cheap in a large vocabulary). Two words the index knows
as one count as one ('sand bagging'). Candidates are the entries of the rarest query words, counted
against the next rarest; only a pool of them is scored. That keeps autocomplete at a few milliseconds
at 100k papers, where a full rapidfuzz scan of every title takes hundreds (see bench/RESULTS.md).

Score (0–100) = the share of the query found in the entry, word by word and weighted by word length
(the word itself 1; a word it begins 1 while typing, 0.9 in a submitted query; a misspelling less than
its rapidfuzz ratio, see `_misspelt`; a short word that is the initials of words in a row, 'IOI',
0.95), times 0.92 + 0.08 × the share of the entry the query covers: an exact title or name scores 100,
a title that merely contains the query's words a little less. Words match in any order. A filler
word ('paper', 'stream') the entry does not contain is ignored. While typing, an entry that begins
with exactly what was typed scores 100. When a query word matches nothing, the whole strings are
compared too (rapidfuzz), but that alone never reaches `CONFIDENT`: it can suggest, not answer.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.search.ranking import (
    ACRONYM,
    CONFIDENT,
    FILLER,
    PREFIX_GIVEN,
    PREFIX_TYPING,
    SUGGEST,
    Entry,
    Hit,
    ranked,
    tie_order,
)
from bot.text import STOPWORDS, clean, fold_fast, word_postings
from bot.text import entry_key as entry_key  # re-exported: its home was here

_FUZZY_CUTOFF = {3: 66, 4: 74, 5: 65, 6: 65, 7: 65}
"""Lowest rapidfuzz ratio for a misspelt word of this length (70 if longer): one wrong letter in
three or four, two in five to seven."""


def _misspelt(ratio: float) -> float:
    """How much a misspelt word counts, from its rapidfuzz ratio: one wrong letter in a long word
    nearly fully (0.95 → 0.9), two in a short one little (0.78, 'deception' vs 'direction' → 0.56).
    """
    return max(0.0, 2 * ratio / 100 - 1)


def query_key(text: str | None) -> str:
    """What a query is matched as: cleaned, folded, stopwords dropped ('the' alone matches nothing)."""
    return " ".join(w for w in fold_fast(clean(text)).split() if w not in STOPWORDS)


@dataclass(frozen=True, slots=True)
class _Word:
    """One query word and what it may stand for in the index: {vocabulary word: similarity 0–1}."""

    text: str
    weight: float
    alts: dict[str, float]
    filler: bool


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: its words, and for each vocabulary word the query words it may stand for."""

    key: str
    words: list[_Word]
    by_word: dict[str, list[tuple[int, float]]]
    typing: bool = False


class FuzzyIndex:
    """Word index over the short names of one kind of entry (see the module docstring)."""

    SEED = 1_000
    """Entries of the rarest query words that candidates are picked from, at least (see `_counted`)."""
    REFINE = 4
    """Words beyond the seed that count towards picking candidates (see `_counted`)."""
    COMMON = 0.2
    """A word in more than this share of all entries does not help to pick candidates."""
    POOL = 300
    """Candidates kept after counting (three times as many for short keys such as names)."""
    RESCORE = 60
    """Candidates scored in full."""
    EXPAND = 64
    """Longer words one typed start may stand for (the most frequent ones)."""
    FUZZY = 8
    """Misspelling candidates kept per query word."""
    HEADS = 8
    """Longest typed start compared letter by letter with the starts of known words."""
    BITSET_MIN = 1_000
    """A word in at least this many entries also keeps them as a bitset, made with the index (at 100k
    titles 216 words: 2.6 MB, 0.06 s)."""
    BIT_COST = 1.5
    BITS_FIXED = 2_000
    """What counting with bitsets costs, in entries the set way takes in (about 0.1 µs each: the seed's
    into a set or counter, the rest's walked by intersection): each entry of a word with no bitset of
    its own put in one made for the query, plus the ANDs and the reading off of the pool. `_counted`
    takes the cheaper way: bitsets when the words are common ones (1.5 ms → 0.3 ms at 100k titles),
    sets when they are rare (names: no name word is in 1,000 entries)."""
    MEMO = 256
    """Recent queries whose ranked hits are kept: a question's readings and the command that answers
    it search the same words (at 100k titles a search costs a few milliseconds), and autocomplete
    sees the same text again after a backspace."""

    def __init__(self, entries: Iterable[Entry], ordered: bool = False, keys: Sequence[str] | None = None,
                 postings: dict[str, array[int]] | None = None):
        """*ordered*: the entries come in tie order already (the catalog's papers do). *keys*: the
        entries' keys, none empty, when *entries* is a sequence that makes each entry when asked (the
        catalog's 100k papers need no Entry objects until a query finds them). *postings*: those
        `text.word_postings` would make of the keys, stored by the build.
        """
        # Index order is the tie order, so 'first found' is 'best ranked' wherever counts are equal.
        self.entries: Sequence[Entry]
        self.keys: Sequence[str]
        if keys is not None and isinstance(entries, Sequence) and ordered:
            self.entries, self.keys = entries, keys
        else:
            kept = (e for e in entries if e.key)
            self.entries = list(kept) if ordered else sorted(kept, key=tie_order)
            self.keys = [e.key for e in self.entries]
        # Short keys (names) are cheap to compare as whole strings: keep a larger pool of them.
        average = sum(map(len, self.keys)) / len(self.keys) if self.keys else 0
        self.pool = self.POOL * 3 if average < 24 else self.POOL
        # Whole-string closeness: names misspelt in order or in any order ('Scheurer Jeremy'); long
        # titles are typed in order, and token_set_ratio on them costs more than the rest together.
        self._closeness = (fuzz.ratio, fuzz.token_set_ratio) if average < 24 else (fuzz.ratio,)
        self.postings = word_postings(self.keys) if postings is None else postings
        # Kept as flat arrays (entry numbers, scores), which hold no objects: the cycle collector
        # never walks them. Lists of hits did, and every young collection read hundreds of scattered
        # strings through them (a few milliseconds, landing on whichever query it interrupted).
        self._memo: OrderedDict[tuple[str, bool], tuple[array[int], array[float]]] = OrderedDict()
        self._memo_lock = threading.Lock()
        self.words = sorted(self.postings)
        self._bits = {w: _bitset(p) for w, p in self.postings.items() if len(p) >= self.BITSET_MIN}
        # Misspelling look-up lists, built now so that no query pays for them: the known words within
        # two letters of each length that begin (0) or end (-1) with each letter.
        shapes: dict[tuple[int, str, int], list[str]] = {}
        for word in self.words:
            shapes.setdefault((len(word), word[0], 0), []).append(word)
            shapes.setdefault((len(word), word[-1], -1), []).append(word)
        self._windows: dict[tuple[str, int, int], list[str]] = {}
        for length, letter, end in {(n, c, e) for (m, c, e) in shapes for n in range(m - 2, m + 3) if n >= 3}:
            self._windows[(letter, end, length)] = [
                w for n in range(length - 2, length + 3) for w in shapes.get((n, letter, end), ())]
        # Distinct starts of each length and first letter, each with where its words begin in
        # `words`: a typed start no known word has is compared with them ('refsu' → 'refus').
        self._heads: dict[tuple[int, str], tuple[list[str], list[int]]] = {}
        for length in range(4, self.HEADS + 1):
            for i, word in enumerate(self.words):
                if len(word) >= length:
                    starts, at = self._heads.setdefault((length, word[0]), ([], []))
                    if not starts or word[:length] != starts[-1]:
                        starts.append(word[:length])
                        at.append(i)

    def __len__(self) -> int:
        return len(self.entries)

    # -- query words ------------------------------------------------------------------------
    def _starting(self, head: str) -> list[str]:
        lo = bisect_left(self.words, head)
        hi = bisect_left(self.words, head + "{", lo)  # '{' sorts right after 'z'
        found = self.words[lo:hi]
        if len(found) > self.EXPAND:
            found = heapq.nlargest(self.EXPAND, found, key=lambda w: len(self.postings[w]))
        return found

    def _alternatives(self, word: str, typing: bool) -> dict[str, float]:
        alts: dict[str, float] = {}
        if word in self.postings:
            alts[word] = 1.0
        if typing or len(word) >= 3 or word.isdigit():  # '28' → '28th'
            sim = PREFIX_TYPING if typing else PREFIX_GIVEN
            for longer in self._starting(word):
                alts.setdefault(longer, sim)
        if len(word) >= 3 and (len(word) <= 4 or word not in self.postings):
            # A misspelt word nearly always keeps its first or its last letter: comparing it with the
            # known words of about its length that share one of them keeps this cheap at any size.
            cutoff = _FUZZY_CUTOFF.get(len(word), 70)
            good = False
            for letter, end in ((word[0], 0), (word[-1], -1)):
                if good:
                    break
                window = self._windows.get((letter, end, len(word)), [])
                for other, s, _ in process.extract(word, window, scorer=fuzz.ratio, score_cutoff=cutoff,
                                                   limit=self.FUZZY):
                    alts[other] = max(alts.get(other, 0.0), _misspelt(s))
                    good = good or (s >= 85 and len(word) > 5)
            if typing and 4 <= len(word) <= self.HEADS and not any(s >= 0.8 for s in alts.values()):
                # A misspelt start: 'refsu' → the words starting 'refus'.
                starts, at = self._heads.get((len(word), word[0]), ([], []))
                for head, s, j in process.extract(word, starts, scorer=fuzz.ratio, score_cutoff=75, limit=4):
                    i = at[j]
                    while i < len(self.words) and self.words[i].startswith(head) and len(alts) < self.EXPAND:
                        word_i = self.words[i]
                        alts[word_i] = max(alts.get(word_i, 0.0), _misspelt(s) * PREFIX_TYPING)
                        i += 1
        return alts

    def parse(self, key: str, typing: bool) -> Query:
        """The query's words with their alternatives; two words typed apart that the index knows as
        one ('sand bagging') count as that one word.
        """
        raw = list(dict.fromkeys(key.split()))
        out: list[_Word] = []
        i = 0
        while i < len(raw):
            word = raw[i]
            if i + 1 < len(raw) and word + raw[i + 1] in self.postings:
                word = word + raw[i + 1]
                i += 1
            if not typing:
                alts = self._alternatives(word, False)
            elif i == len(raw) - 1 or len(word) >= 3:  # the word being typed, or a shortened one ('grad rout')
                alts = self._alternatives(word, True)
            else:
                alts = {word: 1.0} if word in self.postings else {}
            out.append(_Word(word, float(len(word)), alts, word in FILLER))
            i += 1
        by_word: dict[str, list[tuple[int, float]]] = {}
        for n, w in enumerate(out):
            for alt, sim in w.alts.items():
                by_word.setdefault(alt, []).append((n, sim))
        return Query(key, out, by_word, typing)

    # -- candidates and scores ----------------------------------------------------------------
    def candidates(self, query: Query, key: str) -> list[int]:
        """Entries worth scoring in full: the `RESCORE` best of a pool (see `_counted`).

        Half are the pool's first (most query words, then tie order); the other half are those of
        the rest of the pool that rapidfuzz finds closest as whole strings, in order or in any order,
        which catches what the word look-up missed ('zoe qiurie' → Zoë Quirke).
        """
        lists: list[_Looked] = []
        for w in query.words:
            if w.alts:
                postings = [self.postings[a] for a in w.alts]
                sure = max(w.alts.values()) >= PREFIX_GIVEN  # the word itself, or one it begins
                lists.append(_Looked(not sure, sum(len(p) for p in postings), postings, list(w.alts)))
        if not lists:
            return []
        lists.sort(key=lambda x: x.size)
        # The seed is the rarest word typed right, unless that is a common one: then the rarest.
        common = max(self.SEED, int(len(self.entries) * self.COMMON))
        seed_at = next((n for n, x in enumerate(lists) if not x.unsure and x.size <= common), 0)
        lists.insert(0, lists.pop(seed_at))
        pool = self._counted(lists)
        if len(pool) <= self.RESCORE:
            return pool
        half = self.RESCORE // 2
        rest = pool[half:]
        keys = [self.keys[i] for i in rest]
        out = dict.fromkeys(pool[:half])
        scorers = self._closeness
        for scorer in scorers:
            for _, _, j in process.extract(key, keys, scorer=scorer, limit=(self.RESCORE - half) // len(scorers)):
                out[rest[j]] = None
        return list(out)

    def _counted(self, lists: list[_Looked]) -> list[int]:
        """The `pool` entries with most query words, equal counts in index (= tie) order.

        Only entries of the seed are counted: the first word's (the rarest one typed right), plus the
        next rarest's while they have fewer than `SEED` entries together (and each has fewer than
        twice that: 'ivan s' must not seed every name with an s-word). The next `REFINE` words add
        to the counts of the seed's entries only, by set intersection, or when common words are
        among them by bitset (see `BIT_COST`). A word in more than a `COMMON` share of all entries is
        left out ('models' among model titles tells nothing); when only one word is left, its first
        entries are the pool.
        """
        common = max(self.SEED, int(len(self.entries) * self.COMMON))
        lists = lists[:1] + [x for x in lists[1:] if x.size <= common]
        if len(lists) == 1:
            return _first(lists[0].postings, self.pool)
        seeds, rest = lists[:1], []
        seeded = lists[0].size
        for x in lists[1:]:
            if seeded < self.SEED and x.size <= 2 * self.SEED:
                seeds.append(x)
                seeded += x.size
            else:
                rest.append(x)
        rest = rest[: self.REFINE]
        walked = seeded + sum(x.size for x in rest)  # the set way takes in the seed's entries, then walks the rest's
        unbitten = sum(len(p) for x in (*seeds, *rest) for w, p in zip(x.words, x.postings, strict=True)
                       if w not in self._bits)
        if self.BIT_COST * unbitten + self.BITS_FIXED < walked:
            return self._counted_by_bits(seeds, rest)
        if len(seeds) == 1:  # the usual case at scale: every seed entry has one word so far
            postings = seeds[0].postings
            order = postings[0] if len(postings) == 1 else sorted(set().union(*postings))
            seed = set(order)
            base: Counter[int] | None = None
        else:
            base = Counter()
            for x in seeds:
                base.update(x.postings[0] if len(x.postings) == 1 else set().union(*x.postings))
            seed = set(base)
        extra: Counter[int] = Counter()
        for x in rest:
            if len(x.postings) == 1:
                extra.update(seed.intersection(x.postings[0]))
            else:
                found: set[int] = set()
                for p in x.postings:
                    found |= seed.intersection(p)
                extra.update(found)
        if base is not None:
            base.update(extra)
            return _top(base, self.pool)
        out = _top(extra, self.pool)
        if len(out) < self.pool:  # then the seed's other entries, in index order
            for i in order:
                if i not in extra:
                    out.append(i)
                    if len(out) == self.pool:
                        break
        return out

    def _counted_by_bits(self, seeds: list[_Looked], rest: list[_Looked]) -> list[int]:
        """`_counted`'s pool from bitsets: each word's entries as an int (bit i = entry i), the seed
        their union, each entry's count (seed words, then rest words it has) kept as bit planes of
        a binary counter, and the entries of each count read off from the highest count down.
        """
        def bits(x: _Looked) -> int:
            out = 0
            small = []
            for w, p in zip(x.words, x.postings, strict=True):
                found = self._bits.get(w)
                if found is None:
                    small.append(p)
                else:
                    out |= found
            return out | _few_bits(small) if small else out

        seed_bits = [bits(x) for x in seeds]
        universe = 0
        for b in seed_bits:
            universe |= b
        planes: list[int] = []
        # A single seed counts 1 for each of its entries: the same order as counting the rest only.
        for b in [*seed_bits, *(universe & bits(x) for x in rest)]:
            carry = b
            for k, plane in enumerate(planes):
                if not carry:
                    break
                planes[k], carry = plane ^ carry, plane & carry
            if carry:
                planes.append(carry)
        out: list[int] = []
        for count in range((1 << len(planes)) - 1, 0, -1):
            level = universe
            for k, plane in enumerate(planes):
                level &= plane if count >> k & 1 else ~plane
                if not level:
                    break
            if level:
                _members(level, self.pool, out)
                if len(out) == self.pool:
                    break
        return out

    @staticmethod
    def score(query: Query, key: str) -> float:
        """How well the parsed query names *key*, 0–100 (see the module docstring)."""
        if query.typing and key.startswith(query.key):
            return 100.0  # typed so far exactly as the entry begins
        n = len(query.words)
        best = [0.0] * n
        cover = [0] * n
        length = 0
        kws = key.split()
        for kw in kws:
            length += len(kw)
            found = query.by_word.get(kw)
            if found:
                for i, s in found:
                    if s > best[i]:
                        best[i] = s
                        cover[i] = min(len(kw), len(query.words[i].text))
        if 0.0 in best:
            # An unmatched short word may be the initials of words in a row: 'IOI', 'LAT', 'SAD'.
            initials = "".join(kw[0] for kw in kws)
            for i, w in enumerate(query.words):
                if best[i] == 0.0 and 2 <= len(w.text) <= 5 and w.text.isalpha() and w.text in initials:
                    best[i], cover[i] = ACRONYM, len(w.text)
        total = found_weight = covered = 0.0
        missing = False
        for i, w in enumerate(query.words):
            if best[i] == 0.0:
                if w.filler:
                    continue
                missing = True
            total += w.weight
            found_weight += w.weight * best[i]
            covered += cover[i]
        words_score = 100.0 * (found_weight / total) * (0.92 + 0.08 * min(1.0, covered / length)) if total else 0.0
        if missing and words_score < CONFIDENT - 1:
            # A word found no counterpart: judge the strings as a whole too, but never confidently
            # (the second comparison only when the first leaves it below that cap).
            whole = 0.9 * fuzz.ratio(query.key, key)
            if whole < CONFIDENT - 1:
                whole = max(whole, 0.9 * fuzz.token_set_ratio(query.key, key))
            return max(words_score, min(whole, CONFIDENT - 1))
        return words_score

    def can_reach(self, text: str | None, floor: float) -> bool:
        """Whether any entry could score *floor* or more for *text* as a submitted query (not typed),
        known without searching: `score` counting each word at its best alternative (or as initials)
        and a whole entry covered. False lets a caller that wants only such entries skip the search
        ('alumni worked board game': no title holds 'alumni' or 'worked', so none reaches 84).
        """
        if floor <= CONFIDENT - 1:
            return True  # the whole-string comparison alone may reach that
        key = query_key(text)
        if not key:
            return False
        total = found = 0.0
        fillers: list[tuple[float, float]] = []
        for w in self.parse(key, False).words:
            best = max(w.alts.values(), default=0.0)
            if 2 <= len(w.text) <= 5 and w.text.isalpha():
                best = max(best, ACRONYM)
            if w.filler:
                fillers.append((best, w.weight))
            else:
                total, found = total + w.weight, found + w.weight * best
        for best, weight in sorted(fillers, reverse=True):  # a filler counts only where the entry holds it
            if best > 0 and (not total or best > found / total):
                total, found = total + weight, found + weight * best
        return bool(total) and 100.0 * found / total >= floor - 1e-9

    def search(self, text: str | None, limit: int = 25, prefix: bool = False, key: str | None = None) -> list[Hit]:
        """Best entries for *text*, one per id, ranked by the module's rule."""
        key = query_key(text) if key is None else key
        if not key:
            return []
        with self._memo_lock:
            kept = self._memo.get((key, prefix))
            if kept is not None:
                self._memo.move_to_end((key, prefix))
        if kept is not None:
            at, scores = kept
            return [Hit(self.entries[i], s) for i, s in zip(at[:limit], scores[:limit], strict=True)]
        found, at = self._ranked(key, prefix)
        with self._memo_lock:
            self._memo[(key, prefix)] = (at, array("d", (h.score for h in found)))
            if len(self._memo) > self.MEMO:
                self._memo.popitem(last=False)
        return found[:limit]

    def _ranked(self, key: str, prefix: bool) -> tuple[list[Hit], array[int]]:
        """Every hit worth showing for *key*, ranked (the limit only cuts this list), and the index
        number of each one's entry.
        """
        query = self.parse(key, prefix)
        best: dict[str, tuple[Hit, int]] = {}
        floor = SUGGEST * 0.8
        for i in self.candidates(query, key):
            s = self.score(query, self.keys[i])
            if s < floor:
                continue
            entry = self.entries[i]  # made only for a candidate that scores
            old = best.get(entry.id)
            if old is None or s > old[0].score:
                best[entry.id] = (Hit(entry, s), i)
        hits = ranked((hit for hit, _ in best.values()), len(best))
        return hits, array("l", (best[h.id][1] for h in hits))

    def first(self, limit: int) -> list[Hit]:
        """The best-ranked entries, one per id (an empty autocomplete box)."""
        out: dict[str, Hit] = {}
        for e in self.entries:
            if e.id not in out:
                out[e.id] = Hit(e, 0.0)
                if len(out) == limit:
                    break
        return list(out.values())


class _Looked(NamedTuple):
    """One query word as `candidates` looks it up: its entries, from the postings of its alternatives."""

    unsure: bool  # no alternative is the word itself or one it begins
    size: int  # entries of all its postings
    postings: list[array[int]]
    words: list[str]  # the alternatives, one per posting


def _bitset(postings: array[int]) -> int:
    """The entries as one int, bit i set for entry i (digits written in one pass, then parsed)."""
    if not postings:
        return 0
    digits = bytearray(b"0") * (postings[-1] + 1)
    deque(map(digits.__setitem__, postings, repeat(ord("1"))), maxlen=0)
    return int(digits[::-1], 2)


def _few_bits(postings: list[array[int]]) -> int:
    """`_bitset` of the union of a few entries, made at query time: bit by bit, without `_bitset`'s
    parse of one digit per entry (0.17 ms whatever the count).
    """
    top = max(p[-1] for p in postings if p) if any(postings) else -1
    out = bytearray((top >> 3) + 1)
    for p in postings:
        for i in p:
            out[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(out, "little")


def _members(bits: int, limit: int, out: list[int]) -> None:
    """Append the entries set in *bits* to *out*, in index order, until it holds *limit*."""
    digits = bin(bits)  # '0b…', entry 0 last
    last = len(digits) - 1
    at = digits.rfind("1", 2)
    while at >= 2 and len(out) < limit:
        out.append(last - at)
        at = digits.rfind("1", 2, at)


def _contains(postings: array[int], i: int) -> bool:
    j = bisect_left(postings, i)
    return j < len(postings) and postings[j] == i


def _first(postings: list[array[int]], k: int) -> list[int]:
    """The first *k* entries (index order) in any of *postings*."""
    if len(postings) == 1:
        return list(postings[0][:k])
    out: list[int] = []
    for i in heapq.merge(*postings):
        if not out or out[-1] != i:
            out.append(i)
            if len(out) == k:
                break
    return out


def _top(counts: dict[int, int], k: int) -> list[int]:
    """The *k* entries with the highest counts; equal counts in index order."""
    histogram = Counter(counts.values())
    kept = threshold = 0
    for c in sorted(histogram, reverse=True):
        kept += histogram[c]
        threshold = c
        if kept >= k:
            break
    ids = sorted(counts) if threshold == 1 else sorted(i for i, c in counts.items() if c >= threshold)
    ids.sort(key=counts.__getitem__, reverse=True)  # stable: equal counts stay in index order
    return ids[:k]

