"""What the build stores for the search indexes and the question reader is what start-up used to derive.

Start-up loads the people index (entries in tie order, word postings) and the papers' names, words,
stems and acronyms from the packed table instead of computing them. Each test here computes them the
way start-up did before (from the loaded catalog, step by step) and compares: the same answers.
"""

from __future__ import annotations

import gc
import re
import sqlite3
import weakref
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import synth
from bot.app import App
from bot.catalog.build import build
from bot.catalog.indexes import ACRONYM_PAPERS, DEFINED, PAPER_VOCAB_LIMIT, acronyms, definitions
from bot.catalog.model import Catalog
from bot.questions.lexicon import lexicon
from bot.search.fuzzy import FuzzyIndex
from bot.search.ranking import Entry
from bot.search.searcher import Searcher
from bot.text import STOPWORDS, fold, stem
from tests.conftest import NOW, make_config


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> App:
    """A bench catalog: accented names, aliases, alumni; some abstracts define acronyms."""
    root = tmp_path_factory.mktemp("synthetic")
    made = synth.generate(300)
    for n, paper in enumerate(made.papers[:60]):
        paper["abstract"] += (" We train sparse autoencoders (SAEs) on it." if n % 3 else
                              " Latent adversarial training (LAT) and chain of thought (CoT) help.")
    synth.write_sources(made, root / "data")
    app = App(make_config(root, data_dir=root / "data"), clock=lambda: NOW)
    app.open()
    yield app
    app.close()


def old_people_index(catalog: Catalog) -> tuple[FuzzyIndex, FuzzyIndex]:
    """The people and alumni indexes as `Searcher` made them before the build stored them."""
    cols = catalog.columns
    people = []
    for j, (pid, name, keys) in enumerate(zip(cols.person_ids, cols.person_names, cols.person_keys, strict=True)):
        rank = (cols.person_paper_at[j] - cols.person_paper_at[j + 1],)
        people += [Entry("person", pid, name, key, rank) for key in keys]
    alumni_ids = {cols.person_ids[cols.author_person[k]] for k, flag in enumerate(cols.author_alumnus) if flag}
    return FuzzyIndex(people), FuzzyIndex(e for e in people if e.id in alumni_ids)


def old_lexicon_parts(catalog: Catalog) -> dict[str, object]:
    """The papers' part of the lexicon as `lexicon._build` derived it at start-up before."""
    people: dict[str, set[str]] = defaultdict(set)
    firsts: dict[str, set[str]] = defaultdict(set)
    lasts: dict[str, set[str]] = defaultdict(set)
    for person in catalog.people.values():
        for name in person.names:
            words = fold(name).split()
            if not words:
                continue
            people[" ".join(words)].add(person.id)
            if len(words) > 1:
                firsts[words[0]].add(person.id)
                lasts[words[-1]].add(person.id)
                if len(words) > 2:
                    lasts[" ".join(words[1:])].add(person.id)
    rows = catalog.fts("SELECT term FROM papers_terms ORDER BY doc DESC LIMIT ?", (PAPER_VOCAB_LIMIT,))
    forms: dict[str, set[str]] = defaultdict(set)
    for (word,) in rows:
        if re.fullmatch(r"[0-9a-z]+", word):
            forms[stem(word)].add(word)
    related: dict[str, set[str]] = defaultdict(set)
    for n in range(min(ACRONYM_PAPERS, len(catalog.papers))):
        paper = catalog.papers.at(n)
        for m in DEFINED.finditer(f"{paper.title}. {paper.abstract}"):
            words = fold(m.group(1)).split()
            short = fold(m.group(2))
            for k in range(len(short), 0, -1):
                tail = words[-k:]
                if len(tail) == k and "".join(w[0] for w in tail) == short[: len(tail)] and len(tail) >= 2:
                    for w in tail:
                        if w not in STOPWORDS:
                            related[short].add(w)
                            related[short + "s"].add(w)
                            related[w].add(short)
                    break
    return {"people": dict(people), "first_names": dict(firsts), "last_names": dict(lasts),
            "paper_forms": dict(forms), "related": dict(related),
            "longest_name": max(len(k.split()) for k in people)}


@pytest.mark.parametrize("which", ["app", "synthetic"])
def test_the_stored_people_and_alumni_indexes_are_those_start_up_made(which, request):
    app = request.getfixturevalue(which)
    search: Searcher = app.search
    for new, old in zip((search.people, search.alumni), old_people_index(app.catalog), strict=True):
        assert len(old) > 0
        assert list(new.entries) == list(old.entries)
        assert list(new.keys) == list(old.keys)
        assert {w: list(p) for w, p in new.postings.items()} == {w: list(p) for w, p in old.postings.items()}
        assert new.words == old.words
        assert new._windows == old._windows and new._heads == old._heads


@pytest.mark.parametrize("which", ["app", "synthetic"])
def test_the_stored_names_words_and_acronyms_are_those_start_up_derived(which, request):
    app = request.getfixturevalue(which)
    lex = lexicon(app.search)
    old = old_lexicon_parts(app.catalog)
    for name in ("people", "first_names", "last_names"):
        table = getattr(lex, name)
        assert dict(table.items()) == old[name], name
        assert all(phrase in table for phrase in old[name]) and "no such name at all" not in table
    assert dict(lex.paper_forms) == old["paper_forms"]
    assert lex.related == old["related"]
    assert app.catalog.words.longest_name == old["longest_name"] and lex.longest >= old["longest_name"]
    if which == "synthetic":
        assert lex.related["sae"] == {"sparse", "autoencoders"} and "lat" in lex.related["adversarial"]


def test_an_alias_that_folds_to_the_name_names_its_person_once(synthetic):
    table = lexicon(synthetic.search).people
    for phrase in list(table)[:200]:
        assert len(table[phrase]) == len(set(table[phrase]))


TEXT = st.text(alphabet=st.sampled_from(list("abAB cC(s)-.,\n_1éSAE")), max_size=80)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_definitions_are_found_as_the_plain_pattern_finds_them(text):
    assert list(definitions(text)) == [(m.group(1), m.group(2)) for m in DEFINED.finditer(text)]


def test_definitions_in_real_abstracts_are_found_as_the_plain_pattern_finds_them(app):
    texts = [f"{p.title}. {p.abstract}" for p in app.catalog.papers.values()]
    found = [d for t in texts for d in definitions(t)]
    assert found, "the real abstracts define acronyms"
    assert found == [(m.group(1), m.group(2)) for t in texts for m in DEFINED.finditer(t)]
    assert acronyms(texts) == acronyms(texts[::-1])


def test_a_catalog_built_by_the_previous_version_is_built_again_at_start_up(tmp_path):
    config = make_config(tmp_path)
    build(config.data_dir, config.catalog_db)
    conn = sqlite3.connect(config.catalog_db)
    with conn:  # what a catalog of the previous layout lacks
        conn.execute("DELETE FROM packed WHERE name LIKE 'words.%' OR name LIKE 'person_%' OR name LIKE 'alumni_%'")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'format'")
    conn.close()
    app = App(config, clock=lambda: NOW)
    app.open()
    try:
        assert len(lexicon(app.search).people) > 0 and len(app.search.people) > 0
        assert app.commands.run(app, "person", {"name": "jeremy scheurer"}).kind == "answer"
    finally:
        app.close()
    assert Path(config.catalog_db).exists()


def test_a_reload_frees_the_catalog_it_replaced_though_start_up_froze_it(tmp_path, data_copy):
    """Start-up keeps the loaded catalog out of the cycle collector's way (`gc.freeze`); a reload must
    still let the replaced one go (a catalog and its views refer to each other)."""
    app = App(make_config(tmp_path, data_dir=data_copy), clock=lambda: NOW)
    app.open()
    try:
        old = weakref.ref(app.catalog)
        assert gc.get_freeze_count() > 0
        streams = data_copy / "streams.yaml"
        streams.write_text(streams.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        app.reload()
        assert old() is None and app.catalog is not None
        assert app.commands.run(app, "person", {"name": "jeremy scheurer"}).kind == "answer"
    finally:
        app.close()


def test_warming_makes_what_answering_keeps_per_catalog_and_freezes_it(tmp_path, data_copy):
    """`App.warm` (the bot calls it before serving) makes the reader's and the commands' per-catalog
    tables, so the first members do not wait for them, and freezes them with the catalog."""
    from bot.commands import papers
    from bot.questions import lexicon as lexicons
    from bot.questions import passages, reader, spelling

    app = App(make_config(tmp_path, data_dir=data_copy), clock=lambda: NOW)
    app.open()
    try:
        search = app.search
        kept = (lexicons._CACHE, spelling._CACHE, reader._MODELS, passages._CACHE, papers._ORDERS)
        assert not any(search in table for table in kept)
        app.warm()
        assert all(search in table for table in kept)
        young = {id(o) for o in gc.get_objects()}
        assert all(id(table[search]) not in young for table in kept)  # frozen: no collection walks them
        assert app.commands.run(app, "ask", {"question": "what has jeremy scheurer written?"}).kind == "answer"
    finally:
        app.close()


def test_a_warming_question_that_fails_does_not_stop_the_start(tmp_path, data_copy, monkeypatch, caplog):
    app = App(make_config(tmp_path, data_dir=data_copy), clock=lambda: NOW)
    app.open()
    try:
        run = app.commands.run

        def broken(app_: App, path: str, options: dict | None = None, **kw: object):
            if "program" in (options or {}).get("question", ""):
                raise RuntimeError("a bug in one reading")
            return run(app_, path, options, **kw)

        monkeypatch.setattr(app.commands, "run", broken)
        gc.unfreeze()  # opening froze the catalog already: what warming freezes must show on its own
        app.warm()
        assert "warming with 'when does the program end?' failed" in caplog.text
        assert gc.get_freeze_count() > 0
    finally:
        app.close()
