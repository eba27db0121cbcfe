"""/paper top bounds and count rankings, and /paper count per month or year, over the real catalog."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter

from bot.commands.ask import ask


def first_line(app, path: str, **options: str) -> str:
    return app.commands.run(app, path, options).pages[0].content.split("\n")[0]


def papers(app):
    return list(app.catalog.papers.values())


def test_citation_author_and_alumni_bounds_keep_exactly_the_papers_inside_them(app):
    every = papers(app)
    inside = [p for p in every if 10 <= p.citations <= 50]
    assert first_line(app, "paper top", min_citations="10", max_citations="50").startswith(
        f"**{len(inside)} papers** with 10–50 citations")
    many = [p for p in every if len(p.authors) >= 10]
    reply = app.commands.run(app, "paper top", {"min_authors": "10"})
    listed = [f.name for e in reply.pages[0].embeds for f in e.fields]
    assert {p.title for p in many} == {t.split(". ", 1)[1] for t in listed}
    one = [p for p in every if len(p.alumni) == 1]
    assert first_line(app, "paper top", min_alumni="1", max_alumni="1").startswith(f"**{len(one)} papers** with 1 alumnus")


def test_sort_by_alumni_or_authors_names_the_paper_with_the_most(app):
    most = max(papers(app), key=lambda p: (len(p.alumni), p.citations))
    line = first_line(app, "paper top", sort="alumni", limit="1")
    assert most.title in line and f"{len(most.alumni)} alumni" in line
    fewest = min(len(p.authors) for p in papers(app))
    assert f"{fewest} authors" in first_line(app, "paper top", sort="authors", order="least")


def test_count_per_month_names_the_busiest_month_first(app):
    per = Counter((p.date.year, p.date.month) for p in papers(app))
    (year, month), n = per.most_common(1)[0]
    line = first_line(app, "paper count", by="month")
    assert line.startswith(f"**{calendar.month_name[month]} {year}** had the most papers: **{n} papers**"), line
    (year, month), n = min(per.items(), key=lambda kv: (kv[1], kv[0]))
    assert line and first_line(app, "paper count", by="month", order="least").startswith(
        f"**{calendar.month_name[month]} {year}** had the fewest papers")


def test_count_per_year_says_an_asked_year_with_no_paper(app):
    years = Counter(p.date.year for p in papers(app))
    empty = min(years) - 1
    line = first_line(app, "paper count", by="year", after=str(empty), before=str(max(years)))
    assert f"{empty}: 0 papers" in line


def test_a_day_is_said_as_that_day(app):
    day = papers(app)[0].date
    same = [p for p in papers(app) if p.date == day]
    line = first_line(app, "paper top", after=day.isoformat(), before=day.isoformat())
    assert line.startswith(f"**{len(same)} paper{'s' if len(same) != 1 else ''}** on {day:%-d %b %Y}"), line


def test_plain_questions_of_each_shape_read_as_those_commands(app):
    day = dt.date(2024, 7, 19)
    cases = {
        "which month had the most papers": "/paper count by:month",
        "which paper has the most alumni on it": "sort:alumni",
        "papers with 10 to 50 citations": "min_citations:10 max_citations:50",
        "what came out on july 19": f"after:{day} before:{day}",
        "how many papers have fewer than 5 authors": "max_authors:4",
    }
    for question, command in cases.items():
        text = ask(app, question).pages[0].content
        assert command in text, (question, text)
