"""The README's plain-question examples are what the console prints today (issue 8: each one opens
with its one-sentence answer), so a change to an answer cannot leave the README telling an old story."""

from __future__ import annotations

from tests.conftest import NOW
from tests.support import readme_examples
from tests.support.readme_examples import LINE_CUT, LINES_SHOWN, README, questions, regenerated, shown


def test_the_readme_shows_what_the_console_prints(app):
    text = README.read_text(encoding="utf-8")
    assert app.now() == NOW
    assert regenerated(text, app) == text, "README examples are stale: run python -m tests.support.readme_examples"


def test_the_readme_has_examples_of_several_kinds():
    assert len(questions(README.read_text(encoding="utf-8"))) >= 10


def test_each_example_opens_with_its_answer_not_a_card(app):
    for question in questions(README.read_text(encoding="utf-8")):
        first = shown(readme_examples.render(readme_examples.reply_to(app, question), NOW)).splitlines()[0]
        assert not first.startswith("#"), f"{question!r} opens with a card title: {first!r}"


def test_long_replies_are_cut_visibly():
    cut = shown("\n".join(["x" * (LINE_CUT + 5)] * (LINES_SHOWN + 3))).splitlines()
    assert len(cut) == LINES_SHOWN and cut[-1] == "…"
    assert len(cut[0]) == LINE_CUT and cut[0].endswith("…")
