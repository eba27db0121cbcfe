"""Topic search: rarity decides what a match says, lay words by their stem, chatter only in context."""

from __future__ import annotations

from bot.questions.reader import understand
from bot.questions.thesaurus import related
from bot.questions.topics import content_words, paper_topics


def test_a_rare_word_is_more_evidence_than_a_common_one(app):
    rare = paper_topics(app, ["sokoban"], 1)
    common = paper_topics(app, ["models"], 1)
    assert rare and common
    assert rare[0].evidence > 2 * common[0].evidence


def test_a_lay_word_stands_for_its_technical_words_in_any_inflection():
    assert related("net") == related("nets") != ()
    assert related("zzzz") == ()


def test_know_is_chatter_only_after_anyone_or_you():
    assert "know" not in content_words("does anyone know the sokoban paper".split())
    assert "know" in content_words("models that know they are being tested".split())


def test_how_many_alumni_on_a_named_paper_is_that_papers_alumni(app):
    top = understand(app, "how many alumni are on the image jailbreak paper").readings[0]
    assert top.path == "paper show"
    assert dict(top.options)["field"] == "alumni"


def test_a_fact_word_or_number_never_describes_a_paper(app):
    readings = understand(app, "how many papers got 50+ cites").readings
    assert all(not (r.path == "paper search" and "50" in dict(r.options).get("query", "")) for r in readings)


def test_anything_with_a_person_on_it_is_their_papers(app):
    top = understand(app, "anything with Henry Sleight as an author").readings[0]
    assert top.path == "person"
