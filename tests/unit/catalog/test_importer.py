"""The research-page importer, run on the real seed page."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from bot.catalog.importer import dump, merge, parse_page
from bot.catalog.sources import load
from tests.conftest import DATA, RESEARCH_PAGE


def page():
    return parse_page(RESEARCH_PAGE.read_text(encoding="utf-8"), str(RESEARCH_PAGE))


def test_seed_page_has_twenty_papers_with_every_field():
    papers = page()
    assert len(papers) == 20
    first, gradient, sandbagging = papers[0], papers[1], papers[-1]
    assert first.title == "Towards a unified and verified understanding of group-operation networks"
    assert first.authors == ["Wilson Wu", "Louis Jaburi", "Jacob Drori", "Jason Gross"]
    assert first.alumni == ["Wilson Wu", "Louis Jaburi", "Jacob Drori"]
    assert first.date == dt.date(2024, 10, 9) and first.citations == 0
    assert first.abstract.startswith("A recent line of work in mechanistic interpretability")
    assert first.abstract.endswith("using only explanations from previous works.")
    assert gradient.title.startswith("Gradient Routing") and gradient.citations == 14
    assert gradient.authors[2] == "Evžen Wybitul"
    assert sandbagging.title.startswith("AI Sandbagging") and sandbagging.date == dt.date(2024, 6, 11)
    assert sandbagging.citations == 55
    assert sum(p.citations for p in papers) == 881
    for p in papers:
        assert set(p.alumni) <= set(p.authors), p.title
        assert "Authors:" not in p.abstract and p.abstract


def test_catalog_papers_match_the_seed_exactly():
    """data/papers.yaml holds every paper of the page with the page's values."""
    data = load(DATA / "papers.yaml").data
    by_title = {p["title"]: p for p in data["papers"]}
    for p in page():
        mine = by_title[p.title]
        assert mine["authors"] == p.authors
        assert mine["alumni"] == p.alumni
        assert mine["date"] == p.date.isoformat()
        assert mine["citations"] == p.citations
        assert " ".join(mine["abstract"].split()) == " ".join(p.abstract.split())


def test_merge_adds_updates_citations_and_keeps_hand_edits():
    data, _ = merge(None, page())
    data["papers"][1]["abstract"] = "Edited by staff."
    data["papers"][2]["citations"] = 1
    recounted = data["papers"][2]["title"]
    data["papers"].append({"id": "hand-made", "title": "A paper only staff know", "abstract": "x",
                           "authors": ["Wilson Wu"], "alumni": [], "date": dt.date(2024, 1, 1), "citations": 0})
    del data["papers"][3]
    again, report = merge(data, page())
    titles = [p["title"] for p in again["papers"]]
    assert "A paper only staff know" in titles, "a paper not on the page must never be dropped"
    assert len(again["papers"]) == 21
    assert again["papers"][1]["abstract"] == "Edited by staff."
    assert any("abstract differs" in k for k in report.kept_hand_edits)
    assert any("1 → 4" in c for c in report.citations)
    assert next(p for p in again["papers"] if p["title"] == recounted)["citations"] == 4, "the page's count wins"
    assert report.added == ["Training Neural Networks for Modularity aids Interpretability"]
    assert report.not_on_page == ["A paper only staff know"]


def test_merge_recognises_a_person_spelled_two_ways():
    data, _ = merge(None, page())
    names = [p["name"] for p in data["people"]]
    assert "Jérémy Scheurer" in names and "Jeremy Scheurer" not in names
    assert "Nina Panickssery" in names and "Arjun Panickssery" in names
    assert "Samuel F. Brown" in names and "Samuel R. Bowman" in names


def test_dump_is_valid_yaml_that_round_trips():
    data, _ = merge(None, page())
    again = yaml.safe_load(dump(data))
    assert again["papers"][5]["title"] == data["papers"][5]["title"]
    assert again["papers"][5]["abstract"] == data["papers"][5]["abstract"]


def test_import_command_reports_no_changes_on_the_current_catalog(tmp_path, data_copy):
    from bot.cli import main

    target = data_copy / "papers.yaml"
    before = load(target).data
    assert main(["catalog", "import-papers", str(RESEARCH_PAGE), "--into", str(target)]) == 0
    after = load(target).data
    assert after == before


def test_an_import_that_changes_nothing_writes_nothing_and_says_so(tmp_path, data_copy, capsys):
    from bot.cli import main

    target = data_copy / "papers.yaml"
    text = target.read_text(encoding="utf-8")
    assert main(["catalog", "import-papers", str(RESEARCH_PAGE), "--into", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == text  # the 20 `date:` lines are not rewritten quoted
    assert "file unchanged (nothing written)" in capsys.readouterr().out


def test_an_import_reports_the_lines_it_rewrote(tmp_path, data_copy, capsys):
    from bot.cli import main

    target = data_copy / "papers.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("  date: 2024-10-09", "  date: '2024-10-09'"),
                      encoding="utf-8")
    assert main(["catalog", "import-papers", str(RESEARCH_PAGE), "--into", str(target)]) == 0
    out = capsys.readouterr().out
    assert "wrote 1 changed line (layout only" in out and "unchanged" not in out


@pytest.mark.parametrize("page", ["missing", "track", "junk"])
def test_a_missing_file_or_one_without_papers_is_refused_and_nothing_written(tmp_path, data_copy, capsys, page):
    from bot.cli import main
    from tests.conftest import TRACK_PAGE

    target = data_copy / "papers.yaml"
    text = target.read_text(encoding="utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\nnothing here\n", encoding="utf-8")
    source = {"missing": tmp_path / "nope.txt", "track": TRACK_PAGE, "junk": junk}[page]
    assert main(["catalog", "import-papers", str(source), "--into", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(source) in err and ("file not found" in err if page == "missing" else "no paper found" in err)
    assert target.read_text(encoding="utf-8") == text
