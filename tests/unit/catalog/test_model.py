"""The memory-light catalog: what it shows is what the YAML says, read lazily from the built database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

from bot.catalog.columns import Columns
from bot.catalog.schema import parse_date
from bot.catalog.sources import load
from bot.text import fold
from tests.conftest import DATA

SOURCE = load(DATA / "papers.yaml").data


def test_every_paper_reads_as_the_yaml_says(app):
    papers = app.catalog.papers
    assert len(papers) == len(SOURCE["papers"])
    names = {p["id"]: p["name"] for p in SOURCE["people"]}
    owner = {fold(n): p["id"] for p in SOURCE["people"] for n in (p["name"], *(p.get("aliases") or []))}
    for raw in SOURCE["papers"]:
        paper = papers[raw["id"]]
        assert paper.title == raw["title"]
        assert paper.abstract == raw["abstract"]  # read from the database, not held in memory
        assert paper.url == raw.get("url")
        assert paper.date == parse_date(raw["date"])
        assert paper.citations == raw["citations"]
        assert [a.credited_as for a in paper.authors] == raw["authors"]
        assert [a.person_id for a in paper.authors] == [owner[fold(n)] for n in raw["authors"]]
        alumni = {fold(n) for n in raw.get("alumni") or []}
        assert [a.alumnus for a in paper.authors] == [fold(n) in alumni for n in raw["authors"]]
        assert all(names[a.person_id] for a in paper.alumni)


def test_people_and_their_papers_newest_first(app):
    people = app.catalog.people
    assert list(people) == [p["id"] for p in SOURCE["people"]]
    for raw in SOURCE["people"]:
        person = people[raw["id"]]
        assert person.name == raw["name"]
        assert person.aliases == tuple(raw.get("aliases") or [])
        keys = {fold(n) for n in person.names}
        wrote = [p for p in app.catalog.papers.values() if any(fold(n) in keys for n in
                                                               (a.credited_as for a in p.authors))]
        assert set(person.papers) == {p.id for p in wrote}
        dates = [app.catalog.papers[pid].date for pid in person.papers]
        assert dates == sorted(dates, reverse=True)


def test_papers_iterate_newest_then_most_cited_then_by_title(app):
    papers = list(app.catalog.papers.values())
    assert [(p.date, p.citations, p.title) for p in papers] == sorted(
        ((p.date, p.citations, p.title) for p in papers), key=lambda t: (-t[0].toordinal(), -t[1], t[2]))
    assert list(app.catalog.papers.in_order()) == papers


def test_alumni_counts_match_the_papers(app):
    counts: dict[str, int] = {}
    for p in app.catalog.papers.values():
        for a in p.alumni:
            counts[a.person_id] = counts.get(a.person_id, 0) + 1
    assert app.catalog.alumni_counts == counts and counts


def test_no_abstract_or_url_is_held_in_memory():
    held = {f.name for f in dataclasses.fields(Columns)}
    assert not {n for n in held if "abstract" in n or "url" in n or "note" in n}


def test_text_reads_are_safe_from_many_threads(app):
    papers = list(app.catalog.papers.values())
    want = {p.id: p.abstract for p in papers}
    seen: list[dict[str, str]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                seen.append({p.id: p.abstract for p in papers})
                assert app.catalog.abstracts(want) == want
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(s == want for s in seen) and len(seen) == 80


def test_views_compare_by_identity_in_their_catalog(app):
    a, b = app.catalog.papers[SOURCE["papers"][0]["id"]], app.catalog.papers[SOURCE["papers"][0]["id"]]
    assert a == b and hash(a) == hash(b) and a != app.catalog.papers[SOURCE["papers"][1]["id"]]
    assert isinstance(a.date, dt.date)
