"""The faster ways answers are worked out give what the plain ways gave (each test runs both).

Ranked full-text ids read from memory instead of a join, whole words found by splitting instead of a
pattern, ranked hits kept for a repeated query, the four paper orders sorted by one key each, and the
alumni ranked once per catalog.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import synth
from bot.app import App
from bot.commands.papers import _orders
from bot.search import fulltext, fuzzy
from bot.search.fulltext import FullText, words_finder
from bot.search.fuzzy import FuzzyIndex
from tests.conftest import NOW, make_config


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> App:
    """A bench catalog of 400 papers: many ties in citations and dates, accented names."""
    root = tmp_path_factory.mktemp("synthetic")
    synth.write_sources(synth.generate(400), root / "data")
    app = App(make_config(root, data_dir=root / "data"), clock=lambda: NOW)
    app.open()
    yield app
    app.close()


QUERIES = ("refusal direction", "sparse autoencoders", "reward hacking models", "probes", "sleeper agents",
           "latent adversarial training", "honesty", "steering vectors language models", "zzz unknown")


@pytest.mark.parametrize("which", ["app", "synthetic"])
def test_full_text_ids_from_memory_are_those_the_join_gave(which, request):
    app = request.getfixturevalue(which)
    fast = app.search.paper_text
    joined = FullText(app.catalog, "papers_fts", "papers", fast.weights, fast.total)
    assert fast.ids is not None and joined.ids is None
    for q in QUERIES:
        for bounded, weigh in ((False, True), (True, True), (True, False)):
            match = " OR ".join(f'"{w}"' for w in q.split())
            assert fast._query(match, 25, bounded, weigh) == joined._query(match, 25, bounded, weigh), (q, bounded)
        assert fast.search(q, 25) == joined.search(q, 25)


WORDS = st.text(alphabet=st.sampled_from(list("abcé -.,'1")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.from_regex(r"[a-c1]{1,4}", fullmatch=True), min_size=1, max_size=2), max_size=3), WORDS)
def test_whole_words_found_by_splitting_are_those_the_pattern_found(groups, text):
    found = words_finder([tuple(g) for g in groups])
    forms = sorted({f for g in groups for f in g}, key=len, reverse=True)
    if not forms:
        assert found(text) == set()
        return
    pattern = re.compile(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, forms)) + r")(?![0-9a-z])")
    assert found(text) == set(pattern.findall(text.lower() if text.isascii() else fulltext.fold(text)))


def test_words_that_are_not_plain_still_go_through_the_pattern():
    assert words_finder([("gpt-2",)])("We fine-tune GPT-2 here") == {"gpt-2"}


@pytest.mark.parametrize("which", ["app", "synthetic"])
def test_a_repeated_query_gets_the_hits_a_fresh_index_gives(which, request):
    app = request.getfixturevalue(which)
    index = app.search.papers
    fresh = FuzzyIndex(list(index.entries), ordered=True)
    for q in ("refusal", "sparse auto", "models", "grad rout", "zzz"):
        for prefix in (False, True):
            first = index.search(q, 25, prefix=prefix)
            assert index.search(q, 3, prefix=prefix) == first[:3]
            assert index.search(q, 25, prefix=prefix) == first == fresh.search(q, 25, prefix=prefix)


@pytest.mark.parametrize("which", ["app", "synthetic"])
def test_the_four_paper_orders_are_the_sorts_by_every_key(which, request):
    app = request.getfixturevalue(which)
    c = app.catalog.columns
    dates, cites, title = c.dates, c.citations, [t.casefold() for t in c.titles]
    every = range(len(c.paper_ids))
    assert _orders(app) == {
        (True, False): sorted(every, key=lambda n: (-dates[n], -cites[n], title[n])),
        (True, True): sorted(every, key=lambda n: (dates[n], -cites[n], title[n])),
        (False, False): sorted(every, key=lambda n: (-cites[n], -dates[n], title[n])),
        (False, True): sorted(every, key=lambda n: (cites[n], -dates[n], title[n])),
    }
    assert len(set(dates)) < len(dates) and len(set(cites)) < len(cites), "ties to break"


@pytest.mark.parametrize("which", ["app", "synthetic"])
def test_alumni_are_counted_and_ranked_as_before(which, request):
    catalog = request.getfixturevalue(which).catalog
    c = catalog.columns
    counts: dict[str, int] = {}
    for k in (k for k, flag in enumerate(c.author_alumnus) if flag):
        pid = c.person_ids[c.author_person[k]]
        counts[pid] = counts.get(pid, 0) + 1
    assert list(catalog.alumni_counts.items()) == list(counts.items()) and counts
    assert catalog.alumni_ranked == sorted(counts, key=lambda pid: (-counts[pid], catalog.people[pid].name.casefold()))



def _score_as_before(query, key: str) -> float:
    """`FuzzyIndex.score` as it was, both whole-string comparisons always made (the oracle)."""
    from rapidfuzz import fuzz

    from bot.search.ranking import ACRONYM, CONFIDENT

    if query.typing and key.startswith(query.key):
        return 100.0
    n = len(query.words)
    best, cover, length = [0.0] * n, [0] * n, 0
    kws = key.split()
    for kw in kws:
        length += len(kw)
        for i, s in query.by_word.get(kw) or ():
            if s > best[i]:
                best[i], cover[i] = s, min(len(kw), len(query.words[i].text))
    if 0.0 in best:
        initials = "".join(kw[0] for kw in kws)
        for i, w in enumerate(query.words):
            if best[i] == 0.0 and 2 <= len(w.text) <= 5 and w.text.isalpha() and w.text in initials:
                best[i], cover[i] = ACRONYM, len(w.text)
    total = found = covered = 0.0
    missing = False
    for i, w in enumerate(query.words):
        if best[i] == 0.0:
            if w.filler:
                continue
            missing = True
        total += w.weight
        found += w.weight * best[i]
        covered += cover[i]
    words_score = 100.0 * (found / total) * (0.92 + 0.08 * min(1.0, covered / length)) if total else 0.0
    if missing:
        whole = 0.9 * max(fuzz.ratio(query.key, key), fuzz.token_set_ratio(query.key, key))
        return max(words_score, min(whole, CONFIDENT - 1))
    return words_score


@pytest.mark.parametrize("which", ["app", "synthetic"])
def test_scores_with_a_word_no_entry_has_are_those_both_comparisons_gave(which, request):
    index = request.getfixturevalue(which).search.papers
    compared = 0
    for q in ("alumni worked refusal", "zzqx sparse autoencoders", "papers about probes honesty", "qqq models",
              "refusl directin", "sleeper agent"):
        for typing in (False, True):
            query = index.parse(q, typing)
            for i in range(min(len(index.keys), 500)):  # every entry, candidate or not
                assert index.score(query, index.keys[i]) == _score_as_before(query, index.keys[i]), (q, i)
                compared += 1
    assert compared > 100


class _Bitten(FuzzyIndex):
    """Bitsets for every word found in two entries or more, and a seed of a few entries, so that small
    catalogs count words beyond the seed as 100k titles do."""

    BITSET_MIN = 2
    SEED = 4


@pytest.mark.parametrize("which", ["app", "synthetic"])
@pytest.mark.parametrize("kind", ["papers", "people"])
def test_counting_with_bitsets_picks_the_candidates_sets_picked(which, kind, request):
    app = request.getfixturevalue(which)
    plain = getattr(app.search, kind)
    index = _Bitten(list(plain.entries), ordered=True)
    assert index._bits, "some words have bitsets"
    words = sorted(index.postings, key=lambda w: -len(index.postings[w]))
    queries = [" ".join(words[i : i + n]) for n in (2, 3, 5) for i in range(0, 40, 3)]
    queries += [q[: len(q) * 2 // 3] for q in queries] + ["refusal direction", "sparse auto", "grad rout", "zzz"]
    compared, by_bits_calls = 0, []
    counted_by_bits = index._counted_by_bits

    def spy(seeds, rest):
        by_bits_calls.append(len(rest))
        return counted_by_bits(seeds, rest)

    index._counted_by_bits = spy
    for q in queries:
        for typing in (False, True):
            parsed = index.parse(q, typing)
            index.BITS_FIXED = 10**12  # sets always
            by_sets = index.candidates(parsed, q)
            index.BITS_FIXED = -(10**12)  # bitsets always
            by_bits = index.candidates(parsed, q)
            assert by_bits == by_sets, (q, typing)
            compared += bool(by_sets)
    assert compared > 50 and len(by_bits_calls) > 20 and max(by_bits_calls) > 1


@given(st.lists(st.lists(st.integers(0, 300), unique=True).map(sorted), max_size=4), st.integers(0, 400))
def test_bitsets_hold_their_entries_and_give_them_back_in_order(lists, limit):
    from array import array

    from bot.search.fuzzy import _bitset, _few_bits, _members

    postings = [array("l", p) for p in lists]
    union = sorted({i for p in lists for i in p})
    assert _few_bits(postings) == sum(1 << i for i in union)
    for p in postings:
        assert _bitset(p) == _few_bits([p])
    out: list[int] = []
    _members(_few_bits(postings), limit, out)
    assert out == union[:limit]


OTHER_WORDS = ("alumni", "worked", "which", "paper", "papers", "ioi", "sae", "refusl", "zzqx", "models", "the")


@pytest.mark.parametrize("which", ["app", "synthetic"])
def test_a_title_search_skipped_as_out_of_reach_could_not_have_reached(which, request):
    """`FuzzyIndex.can_reach` says no only where no entry, candidate or not, scores the floor."""
    index = request.getfixturevalue(which).search.papers
    rng = random.Random(5)
    title_words = sorted({w for k in index.keys for w in k.split()})
    told_no = 0
    for n in range(300):
        words = rng.sample(title_words, rng.randint(0, 3)) + rng.sample(OTHER_WORDS, rng.randint(0, 3))
        if n % 5 == 0:  # a title's own words in a row: some entry reaches any floor
            title = index.keys[rng.randrange(len(index.keys))].split()
            words = title[:rng.randint(1, len(title))] + words[:1]
        q = " ".join(rng.sample(words, len(words)))
        query = index.parse(fuzzy.query_key(q), False) if fuzzy.query_key(q) else None
        best = max((index.score(query, key) for key in index.keys), default=0.0) if query else 0.0
        for floor in (70.0, 84.0, 90.0, 99.0):
            reach = index.can_reach(q, floor)
            assert reach or best < floor, (q, floor, best)
            told_no += not reach
    assert told_no > 50
