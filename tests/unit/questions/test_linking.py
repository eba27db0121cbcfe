"""Entity linking collisions: a track by one word of its name, 'MATS' as a modifier, and names of
several kinds shown side by side instead of one picked silently."""

from __future__ import annotations

from bot.commands.ask import ask
from bot.questions.linking import link
from bot.questions.normalise import normalise
from bot.questions.reader import understand


def kinds(app, text: str) -> set[tuple[str, str]]:
    return {(m.kind, m.id) for m in link(app, normalise(text)).mentions}


def test_a_track_named_by_one_word_of_its_name_when_track_is_said(app):
    assert ("track", "systems-security") in kinds(app, "what is the security track")
    assert not any(k == "stream" for k, _ in kinds(app, "what is the security track"))
    assert not any(k == "track" for k, _ in kinds(app, "what is the security stream"))


def test_a_word_of_several_tracks_names_is_asked_back(app):
    u = understand(app, "tell me about the governance track")
    assert u.close
    assert {dict(r.options)["name"] for r in u.readings[:3]} >= {"compute-governance", "technical-governance"}


def test_mats_before_paper_is_a_modifier_not_the_program(app):
    assert ("program", "mats") not in kinds(app, "whats the newest mats paper")
    assert ("program", "mats") in kinds(app, "what is mats")
    top = understand(app, "whats the newest mats paper").readings[0]
    assert top.path == "paper top" and dict(top.options)["sort"] == "date"


def test_a_bare_name_of_a_person_and_a_stream_asks_which(app):
    reply = ask(app, "neel nanda stuff")
    assert reply.kind != "answer"
    paths = {s.command for s in reply.suggestions}
    assert {"person", "stream show"} <= paths


def test_a_bare_name_of_one_person_only_answers(app):
    assert not understand(app, "jason gross").close


def test_the_kind_said_decides(app):
    top = understand(app, "neel nanda's papers").readings[0]
    assert top.path == "person"


def test_two_kinds_set_side_by_side_are_both_offered(app):
    u = understand(app, "security at mats - is that a track or a stream?")
    assert u.close
    assert {r.path for r in u.readings} >= {"track", "stream show"}
    u = understand(app, "is the security track the same thing as asymmetric security")
    assert u.close
    assert {dict(r.options)["name"] for r in u.readings} >= {"systems-security", "asymmetric-security"}


def test_papers_said_makes_a_name_the_author_not_the_mentor_or_stream(app):
    top = understand(app, "which papers is neel nanda on").readings[0]
    assert top.path == "person" and dict(top.options)["name"] == "neel-nanda"


def test_a_name_no_one_in_the_catalog_has_is_said_missing_never_the_closest_person(app):
    reply = ask(app, "papers by someone called long?")
    first = reply.pages[0].content.splitlines()[0]
    assert first.startswith("I found no person matching “long”")
    assert reply.kind != "answer"


def test_by_before_a_method_or_a_sort_is_no_name(app):
    for q in ("papers sorted by citations", "which one stress-tests circuits by hunting for inputs where they break"):
        assert not any(r.attribute == "unknown_person" for r in understand(app, q).readings), q


def test_words_several_streams_share_list_them_all(app):
    top = understand(app, "is any stream working on chain of thought").readings[0]
    assert top.path == "stream list" and "chain" in dict(top.options)["query"]
    named = understand(app, "is there a stream on cybersecurity").readings[0]
    assert named.path == "stream show"  # only one stream holds the word: it is the one
