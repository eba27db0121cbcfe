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
