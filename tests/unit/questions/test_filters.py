"""The grammar of list questions: dates down to the day, counts of citations, authors and alumni,
rankings by those counts and grouping by month or year (bot.questions.filters)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.questions.filters import Filters, list_command, read_filters, read_operation
from bot.questions.normalise import normalise


def read(question: str, year: int | None = 2024) -> Filters:
    q = normalise(question)
    return read_filters(list(q.tokens), q.text, (lambda month: year) if year else None)


D = dt.date


@pytest.mark.parametrize(("question", "after", "before"), [
    ("what came out on jul 19", D(2024, 7, 19), D(2024, 7, 19)),
    ("papers from 19 july 2023", D(2023, 7, 19), D(2023, 7, 19)),
    ("papers between jul 19 and jul 21 (inclusive)", D(2024, 7, 19), D(2024, 7, 21)),
    ("anything published between sep 1 and oct 31 2022?", D(2022, 9, 1), D(2022, 10, 31)),
    ("papers from the first half of july 2024", D(2024, 7, 1), D(2024, 7, 15)),
    ("papers from the second half of june 2021", D(2021, 6, 16), D(2021, 6, 30)),
    ("how many papers between may and july 2024", D(2024, 5, 1), D(2024, 7, 31)),
    ("papers from march 3rd to april 2nd 2025", D(2025, 3, 3), D(2025, 4, 2)),
])
def test_days_and_ranges_are_read_with_their_year_or_the_catalogs(question, after, before):
    f = read(question)
    assert (f.after, f.before) == (after, before)


def test_a_day_without_a_year_takes_the_year_the_catalog_gives_for_that_month():
    q = normalise("what came out on aug 2")
    f = read_filters(list(q.tokens), q.text, lambda month: 2019 if month == 8 else None)
    assert (f.after, f.before, f.precise) == (D(2019, 8, 2), D(2019, 8, 2), True)
    f = read("what came out on aug 2", year=None)  # no catalog year for it: nothing is guessed
    assert f.after is None and f.before is None


def test_whole_months_and_years_stay_year_and_month_options():
    assert (read("list everything published in june '24").year, read("list everything published in june '24").month) \
        == (2024, 6)
    f = read("papers from june 24")  # no apostrophe: the 24th of June
    assert (f.after, f.before) == (D(2024, 6, 24), D(2024, 6, 24))
    assert (read("papers in october").month, read("papers in october").year) == (10, None)
    assert read("papers since september 2024").after == D(2024, 9, 1)
    assert read("papers before july 2024").before == D(2024, 6, 30)
    assert not read("papers from july 2024").precise


@pytest.mark.parametrize(("question", "bounds"), [
    ("papers with 10 to 50 citations", {"min_citations": 10, "max_citations": 50}),
    ("papers with between 5 and 9 cites", {"min_citations": 5, "max_citations": 9}),
    ("which papers have more than 100 citations", {"min_citations": 101}),
    ("number of papers under 10 citations", {"max_citations": 9}),
    ("papers with at most 3 citations", {"max_citations": 3}),
    ("how many papers have 50 or more citations", {"min_citations": 50}),
    ("how many papers got 50+ cites", {"min_citations": 50}),
    ("papers cited more than 20 times", {"min_citations": 21}),
    ("papers with no more than 4 authors", {"max_authors": 4}),
    ("papers with 10+ authors", {"min_authors": 10}),
    ("papers with exactly 2 authors", {"min_authors": 2, "max_authors": 2}),
    ("papers with only one alum on them?", {"min_alumni": 1, "max_alumni": 1}),
    ("how many papers have a single alumnus", {"min_alumni": 1, "max_alumni": 1}),
    ("papers with more than 3 alumni", {"min_alumni": 4}),
])
def test_bounds_on_citations_authors_and_alumni(question, bounds):
    f = read(question)
    got = {k: v for k, v in vars(f).items() if k.startswith(("min_", "max_")) and v is not None}
    assert got == bounds


def test_numbers_that_bound_nothing_are_left_alone():
    for question in ("top 3 most cited", "how many alumni are on the image jailbreak paper",
                     "which alumni show up on more than one paper", "2 least cited papers"):
        assert not read(question).counts, question
    assert read("top 3 most cited").limit == 3


def test_rankings_by_a_count_and_groups_by_month_or_year():
    assert read("which paper has the most alumni on it").sort == "alumni"
    assert read("the paper with the fewest authors").sort == "authors"
    assert read("alumni with the most papers").sort is None  # a ranking of people, not of papers
    assert read("which month had the most papers").group == "month"
    assert read("papers per year").group == "year"
    f = read("how many papers in 2024 vs 2023")
    assert (f.group, f.after, f.before) == ("year", D(2023, 1, 1), D(2024, 12, 31))
    assert read("papers sorted by year").group is None


def test_the_grammar_becomes_one_paper_list_or_count_command():
    def made(question: str) -> tuple[str, str, dict[str, str]] | None:
        q = normalise(question)
        tokens = list(q.tokens)
        return list_command(read(question), read_operation(q.folded, tokens), tokens)

    assert made("which month had the most papers")[1:] == ("paper count", {"by": "month"})
    path, options = made("which paper has the most alumni on it")[1:]
    assert (path, options["sort"], options["limit"]) == ("paper top", "alumni", "1")
    path, options = made("papers with 10 to 50 citations")[1:]
    assert (path, options["min_citations"], options["max_citations"]) == ("paper top", "10", "50")
    assert made("what came out on jul 19")[2]["after"] == "2024-07-19"
    assert made("papers from june 2024") is None  # the classifier's own reading carries a month
    assert made("which month does the program start") is None  # no paper in it
