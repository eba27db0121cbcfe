"""Facts stated in a paper's abstract (bot.questions.facts): the sentence that holds the asked words is
quoted and said to be from the abstract; when none holds them, the reply says the abstract does not say."""

from __future__ import annotations

from bot.commands.ask import ask
from bot.questions import facts
from bot.questions.reader import understand


def paper_with(app, phrase: str):
    """A paper of the real catalog whose abstract holds *phrase* (so the tests follow the data)."""
    abstracts = app.catalog.abstracts(app.catalog.papers)
    return next(app.catalog.papers[pid] for pid, text in abstracts.items() if phrase in text)


def test_sentences_split_at_sentence_ends_only():
    text = "We train models with 1.4B parameters (e.g. Pythia). Layer 39 is a bottleneck! Code is online."
    assert facts.sentences(text) == ["We train models with 1.4B parameters (e.g. Pythia).", "Layer 39 is a bottleneck!",
                                     "Code is online."]


def test_the_sentence_holding_the_words_is_found_and_a_number_preferred_when_one_is_asked(app):
    paper = paper_with(app, "Layer 39 is a key bottleneck")
    fact = facts.find(app, paper.id, ["layer", "bottleneck"], number=True)
    assert "Layer 39 is a key bottleneck" in fact.sentence and fact.coverage >= facts.FACT_COVERAGE
    assert facts.find(app, paper.id, ["gpus", "budget"]).sentence == ""


def test_paper_show_find_quotes_the_abstract_or_says_it_does_not_say(app):
    paper = paper_with(app, "3x faster than brute force")
    reply = app.commands.run(app, "paper show", {"title": paper.id, "find": "faster brute force"})
    line = reply.pages[0].content.split("\n")[0]
    assert line.startswith("From the abstract of") and "3x faster than brute force" in line
    reply = app.commands.run(app, "paper show", {"title": paper.id, "find": "gpu cluster budget"})
    assert "does not say anything about" in reply.pages[0].content.split("\n")[0]


def test_a_question_about_a_named_paper_asks_its_abstract(app):
    paper = paper_with(app, "false positive rate increases by 24.1%")
    question = "by how much did the false positive rate go up on QuALITY in the mislead humans paper"
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options)["title"], dict(top.options)["field"]) == ("paper show", paper.id, "abstract")
    assert "24.1%" in ask(app, question).pages[0].content.split("\n")[0]


def test_field_questions_and_questions_not_about_a_paper_never_ask_an_abstract(app):
    for question in ("how many citations has the SAE attention paper got", "date of the modularity paper",
                     "has anyone cited the mamba ioi paper", "does the program go into december",
                     "can i apply to more than one stream", "help"):
        top = understand(app, question).readings[0]
        assert "find" not in dict(top.options), (question, top)
