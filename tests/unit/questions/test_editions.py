"""An edition named in a question narrows the dates shown; a month alone names no edition."""

from __future__ import annotations

import pytest

from bot.commands.ask import ask
from bot.questions.reader import understand


@pytest.mark.parametrize(("question", "edition"), [
    ("when does the 10 week program end", "autumn"),
    ("when does the fall edition start", "autumn"),
    ("start date of the summer cohort", "summer"),
])
def test_an_edition_named_by_season_or_length_narrows_the_dates(app, question, edition):
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options).get("topic"), dict(top.options).get("edition")) == ("program", "dates", edition)


@pytest.mark.parametrize("question", ["does the program go into december?", "is the program running in july"])
def test_a_month_alone_asks_about_both_editions(app, question):
    top = understand(app, question).readings[0]
    assert top.path == "program" and not dict(top.options).get("edition")


@pytest.mark.parametrize(("question", "edition"), [("when does the 12-week one start", "summer"),
                                                   ("when does the 10 week one end", "autumn")])
def test_an_edition_named_by_its_length_is_no_topic_word(app, question, edition):
    """'week' is part of the edition's name: no sentence of the pages about 'week 2' answers instead."""
    reply = ask(app, question)
    assert f"edition:{edition}" in reply.pages[0].content and "Starting on week" not in reply.pages[0].content
