"""Questions the structured fields do not answer get the pages' own sentence (bot/questions/passages.py),
quoted with its section; where the pages are silent, or hold no name/number/time for a who/how many/
when, the reply says the pages do not say and quotes what is nearby."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.commands.ask import ask
from bot.questions import passages
from bot.reply import render
from tests.conftest import NOW, make_config


def text(app: App, line: str) -> str:
    if line.startswith("/"):
        path, options = app.commands.parse(line)
        return render(app.commands.run(app, path, options), NOW)
    return render(ask(app, line), NOW)


def test_every_sentence_the_catalog_keeps_from_the_pages_is_indexed_with_its_section(app):
    idx = passages.index(app.search)
    stream = app.catalog.streams["arthur-conmy"]
    mine = [p for p in idx.passages if p.owner == "stream" and p.owner_id == "arthur-conmy"]
    assert {p.field for p in mine} == {"about", "meetings", "requirements", "projects", "also"}
    assert all(p.section.startswith(stream.name + " — ") for p in mine)
    assert "".join(p.text for p in mine if p.field == "meetings").replace(" ", "") == \
        (stream.cadence.text or "").replace(" ", "")
    assert any(p.field == "dates" and "December 4th" in p.text for p in idx.passages)  # key dates too


def test_sentences_split_at_full_stops_but_not_at_abbreviations():
    assert passages.sentences("People end up (e.g. Anthropic, OpenAI). Next one.") == [
        "People end up (e.g. Anthropic, OpenAI).", "Next one."]


def test_rarer_shared_words_win_and_a_section_name_picks_between_copies_of_a_sentence(app):
    idx = passages.index(app.search)
    hits = idx.search("what do co-mentors do at project meetings in the megastream".split())
    assert hits[0].passage.owner_id == "megastream"
    assert "Co-mentors also attend project meetings" in hits[0].passage.text


def test_british_spelling_and_everyday_words_find_the_pages_words(app):
    idx = passages.index(app.search)
    assert "centralized review" in idx.search("once the centralised review is done".split())[0].passage.text
    assert "track specific evaluations" in idx.search("track specific tests".split())[0].passage.text


def test_a_question_word_the_pages_never_use_weighs_against_every_sentence(app):
    idx = passages.index(app.search)
    with_unknown = idx.search("application status".split())
    without = idx.search("application".split())
    assert with_unknown[0].coverage < without[0].coverage


def test_a_name_alone_does_not_make_a_sentence_about_the_question(app):
    idx = passages.index(app.search)
    hits = idx.search("neel nanda".split(), frozenset({"neel", "nanda"}))
    assert hits and hits[0].topical == 0 and not passages.strong(hits[0])


@pytest.mark.parametrize(("question", "kind"), [
    ("who runs the sessions", "who"), ("how many mentors", "how many"), ("exactly how many pitch", "exactly how many"),
    ("when is the pitch session", "when"), ("where is it", "where"), ("what is the pitch session", "other")])
def test_what_kind_of_answer_a_question_wants(question, kind):
    assert passages.asked(question.split()) == kind


def test_a_sentence_holds_an_answer_only_of_the_kind_asked():
    names = frozenset({"arthur conmy"})
    assert passages.holds("who", "I will meet Arthur Conmy weekly.", names)
    assert not passages.holds("who", "Co-mentors attend project meetings.", names)
    assert passages.holds("how many", "dozens of researchers pitch", names)
    assert not passages.holds("exactly how many", "dozens of researchers pitch", names)
    assert not passages.holds("exactly how many", "has worked with ~60 so far", names)
    assert passages.holds("when", "at the start of the program", names)


def test_program_query_quotes_the_best_sentence_with_its_section_first(app):
    out = text(app, "/program query:is there research management support")
    first = out.splitlines()[0]
    assert first.startswith("The pages say (") and "research management support" in first
    assert "about the program" in first  # the section it is from


def test_program_query_below_the_threshold_says_the_pages_do_not_say(app):
    out = text(app, "/program query:stipend housing visa")
    assert out.startswith("The program's pages do not say anything about that.")


def test_program_query_for_a_number_the_pages_do_not_give_says_so_then_quotes_nearby(app):
    out = text(app, "/program query:exactly how many researchers pitch at the pitch session")
    assert out.startswith("The pages do not say exactly how many")
    assert "dozens of researchers" in out.splitlines()[0]


def test_program_query_for_a_detail_the_catalog_never_holds_says_so_first(app):
    out = text(app, "/program query:what are the track specific evaluations like, is there a coding test")
    assert out.startswith("The pages do not say what the evaluations or interviews involve")


def test_a_question_nothing_structured_answers_is_answered_by_the_sentence_and_read_as_program_query(app):
    out = text(app, "which mentor wants lots of short meetings instead of one long one")
    assert out.startswith("The pages say (Security and benchmarks — meetings)")
    assert "`/program query:" in out


def test_a_sentence_that_answers_clearly_replaces_a_reading_of_the_wrong_entity(app):
    out = text(app, "which mentor is interviewing people from neel's research sprint")
    assert out.splitlines()[0].startswith("The pages say (Arthur Conmy's stream")


def test_questions_about_papers_are_never_answered_from_the_program_pages(app):
    out = text(app, "papers with 10+ authors")
    assert "/program query:" not in out


def test_a_reload_indexes_the_new_catalog(tmp_path: Path, data_copy: Path):
    streams = data_copy / "streams.yaml"
    streams.write_text(streams.read_text().replace(
        "Mentor(s) will talk through project ideas with scholar.",
        "Mentor(s) will talk through project ideas with scholar. Weekly zebra crossings are held on Fridays."))
    a = App(make_config(tmp_path, data_dir=data_copy), clock=lambda: NOW)
    a.open()
    try:
        hits = passages.index(a.search).search("zebra crossings".split())
        assert hits and hits[0].passage.owner_id == "arthur-conmy"
    finally:
        a.close()


def test_the_tracks_reply_says_how_streams_and_tracks_relate(app):
    assert "streams within those tracks" in text(app, "/program topic:tracks").splitlines()[0]


def test_application_dates_show_only_application_dates_never_the_program_dates(app):
    out = text(app, "/program topic:application-dates")
    assert "not announced" in out.splitlines()[0]
    assert "Main program" not in out and "early June" not in out


@pytest.mark.parametrize(("question", "said"), [
    ("when does stage 2 open", "when an application stage opens or closes"),
    ("how many hours per week is mats", "how many hours a week"),
    ("can i do mats remotely?", "whether it can be done remotely"),
])
def test_a_detail_the_pages_never_give_is_said_missing_in_the_first_line(app, question, said):
    first = text(app, question).splitlines()[0]
    assert first.startswith("The pages do not say ") and said in first


def test_who_mentors_in_a_track_the_pages_only_name_is_answered_by_that_track(app):
    out = text(app, "who mentors in policy & governance")
    assert out.startswith("The pages do not say anything about the **Policy & Governance** track")


def test_an_everyday_abbreviation_of_a_word_the_pages_use_is_not_off_the_pages(app):
    first = text(app, "econ major here, am i eligible").splitlines()[0]
    assert "economics" in first and "do not say" not in first


def test_a_missing_application_date_is_answered_with_the_application_dates_whatever_the_reading(app):
    out = text(app, "when does stage 2 open")
    assert out.startswith("The pages do not say when an application stage opens or closes")
    assert "`/program topic:application-dates`" in out and "September 28th" not in out


def test_a_question_silent_only_by_ordinary_framing_words_is_answered(app):
    first = text(app, "what exact day in june does the summer one start").splitlines()[0]
    assert "early June" in first and "do not say" in first


def test_a_clear_sentence_replaces_a_paper_reading_of_a_question_without_paper_words(app):
    first = text(app, "exactly how many researchers pitch at the pitch session").splitlines()[0]
    assert first.startswith("The pages do not say exactly how many") and "dozens" in first


@pytest.mark.parametrize(("question", "said"), [
    ("which alumni went on to work at anthropic", "where alumni went on to work"),
    ("who runs mats, like the executive director", "who runs MATS itself"),
    ("how many fellows get in each cohort", "how many fellows are accepted"),
    ("which podcast is neel on, whats it called", "the podcast's name or link"),
])
def test_details_about_people_and_numbers_the_pages_never_give_are_said_missing_first(app, question, said):
    first = text(app, question).splitlines()[0]
    assert first.startswith("The pages do not say ") and said in first


def test_a_stray_shared_word_is_not_quoted_as_what_the_pages_say_nearby(app):
    assert "Conmy" not in text(app, "who runs mats, like the executive director").splitlines()[0]


def test_mentors_named_by_first_name_only_are_said_to_have_no_full_name(app):
    assert "does not give their full names" in text(app, "/stream show name:megastream field:mentors")


def test_a_mentor_card_holds_how_they_work_in_their_own_words(app):
    assert "pretty involved in projects" in text(app, "/mentor name:Arthur Conmy")
