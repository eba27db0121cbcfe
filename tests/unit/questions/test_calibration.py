"""Calibration: a weak reading is asked back with its candidates or said missing, never answered as if sure."""

from __future__ import annotations

from dataclasses import replace

from bot.commands.ask import ask
from bot.questions.reader import SECOND_SHARE, Reading, understand

SOKOBAN = "planning-in-a-recurrent-neural-network-that"


def test_a_description_no_paper_fits_clearly_offers_the_closest(app):
    # ('an rnn that plans ahead in …' fits the Sokoban paper clearly since 'ahead' reads as its 'in advance'.)
    u = understand(app, "paper about a network that plans in a box pushing puzzle game")
    assert u.close
    assert any(dict(r.options).get("title", "").startswith(SOKOBAN) for r in u.readings[:3])
    reply = ask(app, "paper about a network that plans in a box pushing puzzle game")
    assert reply.kind != "answer" and "Did you mean" in reply.pages[0].content
    assert any(s.command == "paper show" for s in reply.suggestions)


def test_one_title_word_names_the_paper_when_the_description_agrees(app):
    top = understand(app, "the sandbagging paper - which frontier models did they prompt").readings[0]
    assert top.path == "paper show" and dict(top.options)["title"].startswith("ai-sandbagging")


def test_one_shared_word_is_too_little_to_offer_a_paper(app):
    u = understand(app, "is the sleeper agents paper by mats alumni? when was it out")
    assert not any(r.path == "paper show" for r in u.readings)  # 'agents' alone names no paper
    assert ask(app, "is the sleeper agents paper by mats alumni? when was it out").pages[0].content.startswith(
        "The pages do not say")


def test_a_list_question_is_answered_by_its_list_not_asked_back(app):
    u = understand(app, "which alumni worked on jailbreak attacks?")
    assert not u.close
    assert u.readings[0].path == "paper search" and not any(r.nearby for r in u.readings)


def test_a_weak_reading_with_a_real_rival_is_still_asked_back(app):
    base = understand(app, "most cited paper")
    weak = Reading("the paper", "paper show", (("title", "x"),), 0.2)
    rival = Reading("the program: dates", "program", (("topic", "dates"),), 0.15)
    negligible = Reading("the program: tracks", "program", (("topic", "tracks"),), 0.2 * SECOND_SHARE / 2)
    assert replace(base, readings=[weak, rival]).close
    assert not replace(base, readings=[weak, negligible]).close


def test_the_overview_does_not_answer_a_question_whose_only_subject_is_off_the_pages(app):
    """The overview is where any question about 'fellows' or 'MATS' falls; sure because of those words, it
    must not present itself as the answer to what the pages never mention."""
    for question in ("are fellows paid?", "does mats give housing", "is lunch included for fellows"):
        first = ask(app, question).pages[0].content.splitlines()[0]
        assert "do not say" in first, (question, first)
    for question in ("what is mats?", "tell me about the fellowship"):
        reply = ask(app, question)
        assert reply.kind == "answer" and "do not say" not in reply.pages[0].content.splitlines()[0], question


def test_how_many_names_no_stream(app):
    """'many' in 'how many mentors are there' is the count asked for, not a word of some stream's page."""
    u = understand(app, "how many mentors are there")
    assert not any(r.path == "stream show" for r in u.readings[:1]), u.readings[:1]
    named = understand(app, "how many mentors does the anthropic stream have")
    assert named.readings and dict(named.readings[0].options).get("name") == "anthropic-stream"
