"""Before reading: a pasted SQL statement is dropped, an English 'select … from' without one is kept."""

from __future__ import annotations

from bot.questions.normalise import normalise


def test_a_pasted_sql_statement_is_not_part_of_the_question():
    q = normalise("'; SELECT * FROM papers; -- ok but which papers have more than 100 citations")
    assert q.tokens[:2] == ("ok", "but") and "select" not in q.tokens
    assert normalise("'; DROP TABLE papers; -- newest paper").tokens == ("newest", "paper")


def test_plain_words_that_look_like_sql_stay():
    assert "select" in normalise("select the best paper from 2024").tokens
    assert "select" in normalise("papers that select features; which are newest").tokens
