"""Replies say counts and spans as a person would (issue 9): no '(s)', no '1 citations', no '2024–2024',
no 'paper titled matching', no length said twice."""

from __future__ import annotations

import re

import pytest

from bot.reply import render
from bot.text import counted
from tests.conftest import NOW


def reply_text(app, line: str) -> str:
    path, options = app.commands.parse(line)
    return render(app.commands.run(app, path, options), NOW)


def test_counted_agrees():
    assert [counted(n, "citation") for n in (0, 1, 2)] == ["0 citations", "1 citation", "2 citations"]
    assert counted(1, "person", "people") == "1 person" and counted(3, "person", "people") == "3 people"


@pytest.mark.parametrize("line", [
    "/paper top", "/paper top limit:1", "/paper search query:model", "/program overview", "/deadline calendar",
    "/mentor name:Nobody Atall", "/mentor name:Arthur Conmy", "/paper top year:2023", "/paper show title:zzzzqqq",
    "/person name:Neel Nanda", "/staff deadline list",
])
def test_no_awkward_counts_or_spans(app, line):
    text = reply_text(app, line)
    assert "(s)" not in text
    assert not re.search(r"\b1 (citations|papers|streams|deadlines|times)\b", text), text
    assert not re.search(r"\b(\d{4})–\1\b", text), text
    assert "titled matching" not in text
    assert not re.search(r"(\d+)-week[^.;]*\(\1 weeks\)|(\d+)-week[^\n]*, \2 weeks", text), text


def test_a_year_outside_the_catalog_names_the_one_year_it_has(app):
    text = reply_text(app, "/paper top year:2023")
    years = sorted({p.date.year for p in app.catalog.papers.values()}) if hasattr(app.catalog, "papers") else []
    if len(years) == 1:
        assert f"Every paper is from {years[0]}" in text


def test_help_shows_members_no_staff_examples(app):
    text = reply_text(app, "/help")
    assert "`/staff " not in text and "/staff" in text  # named, not taught


def test_every_example_runs_on_the_console_as_written(tmp_path):
    """Each command's example (what /help and the README teach) is accepted, not refused, today."""
    import datetime as dt

    from bot.app import App
    from tests.conftest import make_config

    app = App(make_config(tmp_path), clock=lambda: dt.datetime.now(dt.UTC))  # examples must stay valid
    try:
        for cmd in app.commands.listed():
            path, options = app.commands.parse(cmd.example)
            reply = app.commands.run(app, path, options)
            text = render(reply, NOW)
            # an example about a deadline may run after the one that removes it: only that may refuse
            assert reply.kind != "error" or "No deadline with id" in text, (cmd.example, text)
    finally:
        app.close()


def test_paper_show_lists_authors_as_the_page_credits_them(app):
    credited = [(p, a) for p in app.catalog.papers.values() for a in p.authors
                if a.person_id in app.catalog.people and app.catalog.people[a.person_id].name != a.credited_as]
    assert credited, "the catalog has an author credited under another spelling (e.g. Sam Bowman)"
    paper, author = credited[0]
    text = reply_text(app, f"/paper show title:{paper.title}")
    canonical = app.catalog.people[author.person_id].name
    assert f"{author.credited_as} (= {canonical})" in text


def test_a_cadence_reply_says_its_summary_once(app):
    text = reply_text(app, "/cadence name:Asymmetric Security")
    assert text.count("weekly 1 h") == 1, text
    assert "“1 hour weekly meetings by default" in text  # the page's own sentence, quoted once


def test_a_requirements_section_asked_alone_is_that_section(app):
    """`section:` is one heading of the requirements: without `field:` it must not show the whole card."""
    from bot.commands import load

    reply = load().run(app, "stream show", {"name": "megastream", "section": "essential"})
    assert "Essential" in reply.pages[0].content.splitlines()[0]
