"""Each way the reader reads a question, pinned by cases that fail if that reading is removed.

A case gives a question, the command it must become and the options that must be in it (a subset),
and a fragment the reply's first line (its one-sentence answer) must hold. Grouped by what is
exercised: attributes, operations, filters, collisions, and what the pages do not say.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.commands.ask import ask
from bot.questions.reader import understand
from bot.reminders.state import Deadline
from tests.conftest import NOW

Case = tuple[str, str, dict[str, str], str]

ATTRIBUTES: list[Case] = [
    ("when did the sokoban paper come out", "paper show", {"field": "date"}, "22 July 2024"),
    ("how many citations does the mamba ioi paper have", "paper show", {"field": "citations"}, "0 citations"),
    ("who wrote the board game dictionary learning paper", "paper show", {"field": "authors"}, "9 authors"),
    ("which alumni are on the modularity paper", "paper show", {"field": "alumni"}, "Satvik Golechha"),
    ("what is the gradient routing paper about", "paper show",
     {"title": "gradient-routing-masking-gradients-to-localize"}, "Gradient Routing"),
    ("papers by jason gross", "person", {"name": "jason-gross"}, "2 papers"),
    ("is cindy wu an alumnus", "alumni", {"name": "cindy-wu"}, "Yes"),
    ("who has jason gross written with", "coauthors", {"name": "jason-gross"}, "has written with"),
    ("how often does the ai control stream meet", "stream show", {"field": "cadence"}, "weekly 1 h"),
    ("who mentors the megastream", "stream show", {"field": "mentors"}, "Buck S"),
    ("what does asymmetric security want from applicants", "stream show", {"field": "requirements"},
     "does not list anything"),
    ("how are projects chosen in arthur conmy's stream", "stream show", {"field": "projects"}, "project ideas"),
    ("what is the megastream", "stream show", {"name": "megastream"}, "coalition"),
    ("which stream works on cybersecurity", "stream show", {"name": "asymmetric-security"}, "cybersecurity"),
    ("tell me about arthur conmy", "mentor", {"name": "arthur-conmy"}, "Arthur Conmy"),
    ("what is the empirical track", "track", {"name": "empirical"}, "Empirical"),
    ("what tracks are there", "program", {"topic": "tracks"}, "tracks"),
    ("where is the program", "program", {"topic": "location"}, "Berkeley"),
    ("how long is the program", "program", {"topic": "length"}, "12 weeks"),
    ("when does the fall edition start", "program", {"topic": "dates", "edition": "autumn"}, "September 28th"),
    ("how do i apply", "program", {"topic": "application"}, "stages"),
    ("who can apply", "program", {"topic": "eligibility"}, "not required"),
    ("when is the application deadline", "program", {"topic": "application-dates"}, "not announced"),
    ("what's the next deadline", "deadline list", {}, "deadline"),
    ("the paper where models hide capabilities on evaluations", "paper search", {}, "Sandbagging"),
]
OPERATIONS: list[Case] = [
    ("most cited paper", "paper top", {"sort": "citations", "order": "most", "limit": "1"}, "Refusal"),
    ("least cited papers", "paper top", {"sort": "citations", "order": "least"}, "fewest cited"),
    ("newest paper", "paper top", {"sort": "date", "order": "most", "limit": "1"}, "group-operation"),
    ("oldest paper", "paper top", {"sort": "date", "order": "least", "limit": "1"}, "Sandbagging"),
    ("top 3 most cited papers", "paper top", {"limit": "3"}, "Refusal"),
    ("how many papers are there", "paper top", {}, "20 papers"),
    ("total citations of all papers", "paper top", {}, "881 citations"),
    ("how many alumni are there", "alumni", {}, "40 alumni"),
    ("have wes gurnee and neel nanda written together", "coauthors", {"name": "wes-gurnee", "other": "neel-nanda"},
     "1 paper"),
    ("did sara price write anything with thomas kwa", "coauthors", {"other": "thomas-kwa"}, "No paper"),
    ("which alumni are on more than one paper", "alumni", {"min_papers": "2"}, "Thomas Kwa"),
    ("how many streams are there", "stream list", {}, "7 streams"),
]
FILTERS: list[Case] = [
    ("how many papers from july 2024", "paper top", {"year": "2024", "month": "7"}, "papers"),
    ("papers since september 2024", "paper top", {"after": "2024-09-01"}, "5 papers"),
    ("papers before july 2024", "paper top", {"before": "2024-06-30"}, "5 papers"),
    ("most cited paper in july 2024", "paper top", {"month": "7", "limit": "1"}, "Latent Adversarial"),
    ("thomas kwa's most cited paper", "paper top", {"author": "thomas-kwa"}, "Compact Proofs"),
    ("how many papers did thomas kwa write", "person", {"name": "thomas-kwa"}, "3 papers"),
]
COLLISIONS: list[Case] = [
    ("Sara Price's papers", "person", {"name": "sara-price"}, "Sara Price"),  # not 'Buck S' from the 's
    ("what has he he published", "person", {"name": "he-he"}, "He He"),  # a name of stop words
    ("can rager papers", "person", {"name": "can-rager"}, "Can Rager"),
    ("neel's stream", "stream show", {"name": "neel-nanda"}, "Neel Nanda"),  # a first name alone
    ("what is MATS about?", "program", {"topic": "overview"}, "fellowship"),  # not Arthur Conmy's MATS Stream
    ("what does the empirical track want?", "track", {"name": "empirical"}, "Empirical"),  # not AI control (empirical)
    ("<@123> **who** wrote the `sokoban` paper?", "paper show", {"field": "authors"}, "authors"),  # markup stripped
]
NOT_ON_PAGES: list[str] = [
    "is there a stipend", "what is the wifi password", "price of the program", "is housing provided",
    "does mats pay for flights", "is there free food at the office", "any papers on robotics?",
    "what has chris olah published",
]


def first_line(question: str, app) -> str:
    return ask(app, question).pages[0].content.split("\n")[0]


@pytest.mark.parametrize(("question", "path", "options", "answer"), ATTRIBUTES + OPERATIONS + FILTERS + COLLISIONS,
                         ids=[c[0] for c in ATTRIBUTES + OPERATIONS + FILTERS + COLLISIONS])
def test_reading(app, question, path, options, answer):
    u = understand(app, question)
    assert u.readings, question
    top = u.readings[0]
    assert top.path == path, (question, top)
    got = dict(top.options)
    assert {k: got.get(k) for k in options} == options, (question, top)
    assert answer.casefold() in first_line(question, app).casefold()


@pytest.mark.parametrize("question", NOT_ON_PAGES)
def test_pages_silent_is_said_and_nothing_is_presented_as_the_answer(app, question):
    reply = ask(app, question)
    text = reply.pages[0].content
    assert any(s in text for s in ("do not say", "no paper", "No paper", "not in the catalog", "could not match")), text
    assert reply.kind == "no-match"


def test_next_staff_deadline_answers_with_a_discord_timestamp(app):
    due = NOW + dt.timedelta(days=3)
    app.state.save_deadline(Deadline("final-report", "Final report", due, "UTC"), NOW)
    try:
        line = first_line("when is the final report due?", app)
        assert "Final report" in line and f"<t:{int(due.timestamp())}:F>" in line
        assert "Next deadline: **Final report**" in first_line("what's the next deadline?", app)
    finally:
        app.state.remove_deadline("final-report", NOW)


def test_close_readings_are_asked_back_not_picked(app):
    reply = ask(app, "Neel or Arthur?")
    text = reply.pages[0].content
    assert "Did you mean" in text or any(s.label.startswith("Or:") for s in reply.suggestions)


@pytest.mark.parametrize(("question", "names"), [
    ("thomas's papers", ("Thomas Kwa", "Drake Thomas")),  # a first name and a surname
    ("panickssery papers", ("Nina Panickssery", "Arjun Panickssery")),  # one surname, two people
])
def test_a_lone_name_two_people_share_is_asked_back_with_their_papers(app, question, names):
    reply = ask(app, question)
    text = reply.pages[0].content
    assert text.startswith("Did you mean") and all(n in text for n in names), text
    assert {s.label for s in reply.suggestions} >= {f"papers of {n}" for n in names}


def test_filters_read_a_leading_count_and_a_citation_floor(app):
    top = understand(app, "2 least cited papers").readings[0]
    assert dict(top.options) | {"limit": "2", "order": "least"} == dict(top.options)
    top = understand(app, "which papers have more than 100 citations").readings[0]
    assert dict(top.options).get("min_citations") == "101"
    assert first_line("which papers have more than 100 citations", app).startswith("**1 paper** with 101+")


def test_a_slip_in_a_name_answers_with_the_closest_and_says_so(app):
    reply = app.commands.run(app, "person", {"name": "Joe Miller"})
    assert reply.kind == "answer"
    assert "Joseph Miller" in reply.pages[0].content


@pytest.mark.parametrize(("question", "topic", "answer"), [
    ("what fields do the mentors come from", "mentors", "governance"),
    ("what do fellows produce by the end of the program", "outcomes", "research"),
])
def test_program_mentor_fields_and_outcomes(app, question, topic, answer):
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options).get("topic")) == ("program", topic)
    assert answer in ask(app, question).pages[0].content


def test_a_named_deadline_is_answered_not_the_next_one(app):
    sooner, later = NOW + dt.timedelta(days=2), NOW + dt.timedelta(days=9)
    app.state.save_deadline(Deadline("project-proposal", "Project proposal", sooner, "UTC"), NOW)
    app.state.save_deadline(Deadline("final-report", "Final report", later, "UTC"), NOW)
    try:
        for question in ("when is the final report due", "whats the deadline for the final report"):
            top = understand(app, question).readings[0]
            assert (top.path, dict(top.options).get("name")) == ("deadline list", "final report"), top
            line = first_line(question, app)
            assert f"<t:{int(later.timestamp())}:F>" in line and "Project proposal" not in line, line
    finally:
        app.state.remove_deadline("project-proposal", NOW)
        app.state.remove_deadline("final-report", NOW)


@pytest.mark.parametrize("question", ["what are the program dates", "what are the dates"])
def test_dates_questions_are_read_as_the_program_dates(app, question):
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options).get("topic")) == ("program", "dates"), top


@pytest.mark.parametrize(("question", "path", "topic"), [
    ("wen dose the program start", "program", "dates"),
    ("how do i aply", "program", "application"),
])
def test_slips_of_the_thumb_are_read_as_the_word_meant(app, question, path, topic):
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options).get("topic")) == (path, topic), top
    assert "do not say anything" not in first_line(question, app)


@pytest.mark.parametrize("question", ["can i do it remotly", "how many scholars are choosen", "how do i aply to the trak"])
def test_a_slip_is_never_quoted_as_a_word_the_pages_lack(app, question):
    text = ask(app, question).pages[0].content
    for slip in ("remotly", "choosen", "aply", "trak"):
        assert f"“{slip}”" not in text, text


def test_ordinary_words_are_not_mended_into_question_words(app):
    text = ask(app, "is lunch provided").pages[0].content
    assert "do not say" in text and "lunch" in text, text


def test_who_wrote_the_most_papers_names_the_author_with_most(app):
    top = understand(app, "who has written the most papers").readings[0]
    assert top.path == "authors", top
    best = max(app.catalog.people.values(), key=lambda p: len(p.papers))
    assert best.name in first_line("who has written the most papers", app)


def test_a_year_without_papers_says_so_with_the_years_held(app):
    reply = ask(app, "papers from 2023")
    line = reply.pages[0].content.split("\n")[0]
    assert "No papers" in line and "2024" in line and reply.kind == "no-match", line


def test_papers_tied_for_least_cited_are_all_named(app):
    line = first_line("what is the least cited paper", app)
    cites = app.catalog.columns.citations
    fewest = min(cites)
    tied = [p.title for p in app.catalog.papers.values() if p.citations == fewest]
    assert len(tied) >= 2 and "tie" in line and all(t in line for t in tied), line


@pytest.mark.parametrize(("question", "said"), [
    ("which conference was the sokoban paper at", "where a paper was published"),
    ("github for the gradient routing paper", "link"),
    ("which university is jason gross from", "university"),
    ("how fast does the asymmetric security mentor reply on slack", "Slack"),
])
def test_a_detail_the_catalog_lacks_is_said_missing_before_the_card(app, question, said):
    line = first_line(question, app)
    assert line.startswith("The pages do not say") and said in line, line


def test_a_detail_the_command_answers_is_not_said_missing(app):
    assert not first_line("when did the sokoban paper come out", app).startswith("The pages do not say")


def test_how_many_answered_without_a_number_says_no_number_is_given(app):
    line = first_line("how many scholars has arthur conmy mentored", app)
    assert line.startswith("The pages do not say how many"), line
    assert not first_line("how many tracks are there", app).startswith("The pages do not say")


def test_most_papers_without_a_person_word_is_not_an_author_ranking(app):
    top = understand(app, "which month had the most papers").readings[0]
    assert top.path != "authors", top


def test_a_paper_topic_that_sounds_like_a_question_about_the_bot_is_not_help(app):
    found = understand(app, "models that hide what they can do unless given a password, which paper").readings
    assert found and found[0].path != "help", found[:2]
    assert understand(app, "what kind of questions can i ask you").readings[0].path == "help"


@pytest.mark.parametrize("question", ["what can you do", "how does this bot work"])
def test_a_question_about_the_bot_without_content_words_gets_help(app, question):
    assert understand(app, question).readings[0].path == "help"


@pytest.mark.parametrize("question", ["what", "ok", "lol"])
def test_a_bare_word_is_still_not_matched(app, question):
    assert ask(app, question).kind == "no-match"


def test_alumni_with_the_most_papers_names_the_leader(app):
    counts = app.catalog.alumni_counts
    best = max(counts.values())
    leaders = [app.catalog.people[pid].name for pid, n in counts.items() if n == best]
    line = first_line("alumni with the most papers", app)
    assert "most papers" in line and all(name in line for name in leaders[:5]), line


# Readings that were confidently wrong, fixed as classes (each also has fresh own_questions items).
@pytest.mark.parametrize("question", ["anything with asa cooper stickland on it", "got anything thomas kwa is on?"])
def test_anything_a_person_is_on_asks_for_their_papers_not_their_co_authors(app, question):
    top = understand(app, question).readings[0]
    assert top.path == "person", top
    assert understand(app, "who has asa cooper stickland written with").readings[0].path == "coauthors"


@pytest.mark.parametrize("question", ["do i need hacking experience for the security stream",
                                      "would i need prior hacking skills to join the security and benchmarks stream"])
def test_what_a_named_stream_needs_of_applicants_is_its_requirements_not_the_programs_eligibility(app, question):
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options).get("field")) == ("stream show", "requirements"), top
    assert "security mindset" in first_line(question, app)


@pytest.mark.parametrize("question", ["which year is the sep 28 - dec 4 edition", "what year is the fall edition"])
def test_an_edition_named_by_its_dates_is_the_programs_dates_and_no_year_is_given(app, question):
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options)) == ("program", {"topic": "dates", "edition": "autumn"}), top
    text = ask(app, question).pages[0].content
    assert "No year is given" in text and "2024" not in text, text


@pytest.mark.parametrize("question", ["how long do i get to finish the track specific evaluations",
                                      "how much time do the final interviews take"])
def test_how_long_an_application_stage_takes_is_said_missing_with_the_stages(app, question):
    line = first_line(question, app)
    assert line.startswith("The pages do not say how long the evaluations"), line
    assert "stages" in line and "12 weeks" not in line, line


@pytest.mark.parametrize(("question", "heading"), [
    ("what does the control stream's 'essential' list say", "Essential"),
    ("what's on asymmetric security's preferred list", "Preferred"),
    ("who is not a good fit for the control stream", "Not a good fit"),
])
def test_a_requirements_heading_with_nothing_under_it_is_said_empty(app, question, heading):
    top = understand(app, question).readings[0]
    assert dict(top.options).get("field") == "requirements" and dict(top.options).get("section"), top
    line = first_line(question, app)
    assert line.startswith(f"The page does not list anything under **{heading}**"), line


def test_requirements_under_empty_headings_answer_with_the_pages_sentence(app):
    line = first_line("what skills is the control stream after", app)
    assert "does not list anything" in line and "Python skills" in line, line


def test_most_after_a_verb_of_finding_is_a_quantity_not_a_ranking(app):
    top = understand(app, "which paper found most heads in gpt2 small are polysemantic").readings[0]
    assert top.path == "paper search" or dict(top.options).get("order") != "most", top
    assert "Interpreting Attention Layer Outputs" in first_line("which paper found most heads in gpt2 small are "
                                                                "polysemantic", app)
    assert dict(understand(app, "most cited paper").readings[0].options).get("order") == "most"


@pytest.mark.parametrize(("question", "title"), [
    ("best paper on interpretability", "Latent Adversarial"),  # not a stream whose name says interpretability
    ("whats the best sae paper", "Transcoders"),  # the acronym, as the topic search reads it
])
def test_the_best_paper_on_a_topic_is_its_most_cited(app, question, title):
    top = understand(app, question).readings[0]
    assert top.path == "paper top" and dict(top.options).get("order") == "most", top
    assert title in first_line(question, app)


@pytest.mark.parametrize("question", ["how many mentors does mats have", "what's the total number of mentors at mats"])
def test_how_many_mentors_says_no_count_is_given(app, question):
    assert first_line(question, app).startswith("The pages do not say how many mentors"), first_line(question, app)
    assert not first_line("who mentors the megastream", app).startswith("The pages do not say how many")


def test_a_lay_word_finds_the_abstracts_sentence_and_is_not_said_missing(app):
    line = first_line("how far ahead does the sokoban network plan", app)
    assert line.startswith("From the abstract") and "50 steps in advance" in line, line
    assert "do not say" not in first_line("does the sokoban rnn plan ahead", app)


@pytest.mark.parametrize("question", ["can i apply to more than one track?", "is it possible to go for two tracks at once"])
def test_applying_to_several_tracks_is_the_application(app, question):
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options).get("topic")) == ("program", "application"), top
    assert dict(understand(app, "how many tracks can you apply to").readings[0].options).get("topic") == "tracks"


def test_who_may_apply_to_a_named_track_is_that_track(app):
    top = understand(app, "can undergrads apply to the empirical track or is it only senior people").readings[0]
    assert (top.path, dict(top.options).get("name")) == ("track", "empirical"), top


def test_what_happens_after_the_program_is_not_the_application(app):
    top = understand(app, "what happens after the program ends").readings[0]
    assert dict(top.options).get("topic") != "application", top


def test_a_named_streams_own_sentence_answers_a_question_read_as_about_the_program(app):
    line = first_line("do anthropic stream fellows get funding after mats?", app)
    assert "funding and continued mentorship" in line, line


def test_one_nickname_word_without_stream_said_is_a_topic(app):
    question = "wasnt there one about reward hacking when the reward error is heavy tailed even with a kl penalty"
    assert not understand(app, question).links.of("stream")
    assert "Catastrophic Goodhart" in first_line(question, app)
    assert understand(app, "who mentors the hacking stream").links.of("stream")


def test_a_paper_described_in_words_that_pull_elsewhere_is_still_found(app):
    line = first_line("something on reward hacking that a kl penalty doesn't stop when errors are heavy tailed?", app)
    assert "Catastrophic Goodhart" in line, line


@pytest.mark.parametrize(("question", "answer"), [
    ("how many authors on the LAT paper", "11 authors"),
    ("when was the rnn paper published", "22 July 2024"),
])
def test_a_paper_named_by_an_acronym_its_abstract_defines(app, question, answer):
    top = understand(app, question).readings[0]
    assert top.path == "paper show" and dict(top.options).get("field"), top
    assert answer in first_line(question, app)


@pytest.mark.parametrize("question", ["whats the application process for the empirical track step by step",
                                      "steps to apply for the systems security track"])
def test_how_applying_to_a_track_goes_is_the_programs_application(app, question):
    top = understand(app, question).readings[0]
    assert (top.path, dict(top.options).get("topic")) == ("program", "application"), top


@pytest.mark.parametrize(("question", "line"), [
    ("asymmetric security, 1:1 or group meetings?", "The page does not say whether **Asymmetric Security** meets"),
    ("does arthur conmy do group calls or 1-1s", "**group meetings**"),
])
def test_one_to_one_or_group_is_answered_or_said_missing(app, question, line):
    top = understand(app, question).readings[0]
    assert dict(top.options).get("field") == "format", top
    assert line in first_line(question, app)


@pytest.mark.parametrize(("question", "line"), [
    ("what did chughtai et al 2023 find, is it on the page", "No papers** in the catalog of Bilal Chughtai from 2023"),
    ("jason gross's papers from october 2024", "of Jason Gross from October 2024"),
])
def test_a_persons_papers_of_a_year_or_month_are_filtered(app, question, line):
    top = understand(app, question).readings[0]
    assert top.path == "paper top" and dict(top.options).get("author"), top
    assert line in first_line(question, app)


def test_released_alone_does_not_ask_when_a_paper_came_out(app):
    top = understand(app, "names of the 18 vlms they released in the jailbreak paper?").readings[0]
    assert dict(top.options).get("field") != "date", top
    assert dict(understand(app, "when was the sokoban paper released").readings[0].options).get("field") == "date"


def test_a_title_word_in_another_form_names_its_paper(app):
    top = understand(app, "when was the jailbreak paper released").readings[0]  # the title says 'Jailbreaks'
    assert (top.path, dict(top.options).get("field")) == ("paper show", "date"), top
    assert dict(top.options)["title"].startswith("failures-to-find-transferable-image-jailbreaks")


@pytest.mark.parametrize("question", ["the ethan in the megastream examples, is that ethan perez from the papers?",
                                      "megastream lists an ethan as a mentor - same person as ethan perez?"])
def test_a_first_name_only_mentor_is_never_said_to_be_an_author_of_that_name(app, question):
    line = first_line(question, app)
    assert line.startswith("The pages do not say whether mentor **Ethan**") and "Ethan Perez" in line, line


@pytest.mark.parametrize(("question", "order"), [("whats thomas kwa's oldest paper", "least"),
                                                 ("what is the newest paper of thomas kwa", "most")])
def test_a_ranking_of_one_persons_papers_is_the_ranked_list_not_their_card(app, question, order):
    top = understand(app, question).readings[0]
    options = dict(top.options)
    assert (top.path, options.get("sort"), options.get("order"), options.get("author")) == (
        "paper top", "date", order, "thomas-kwa"), top


@pytest.mark.parametrize(("question", "said"), [
    ("where was the refusal paper published", "where a paper was published"),
    ("where did the transcoders paper appear", "where a paper was published"),
    ("which stream was andy arditi in", "which stream or mentor anyone had"),
    ("who supervised andy arditi", "which stream or mentor anyone had"),
])
def test_a_detail_the_catalog_never_holds_is_said_missing_first(app, question, said):
    line = first_line(question, app)
    assert line.startswith(f"The pages do not say {said}"), line


@pytest.mark.parametrize("question", ["papers about RLHF", "rlhf", "papers on sparse autoencoders",
                                      "any publications about steering vectors"])
def test_papers_asked_for_about_words_the_papers_hold_are_the_list_of_them(app, question):
    top = understand(app, question).readings[0]
    assert top.path in ("paper search", "paper top") and dict(top.options).get("query"), top
    assert not first_line(question, app).startswith("The program's pages do not say")


def test_a_mentor_named_in_a_stream_is_that_mentor(app):
    top = understand(app, "who is ethan in the megastream").readings[0]
    assert (top.path, dict(top.options)) == ("mentor", {"name": "ethan"}), top


@pytest.mark.parametrize("question", ["how many papers does the catalog have", "whens the next deadline"])
def test_words_about_the_bot_and_glued_question_words_name_nothing(app, question):
    line = first_line(question, app)
    assert "catalog”" not in line and "“whens”" not in line, line


@pytest.mark.parametrize("question", ["papers about claims", "papers that argue"])
def test_a_claim_verb_that_is_all_the_topic_is_the_topic_not_every_paper(app, question):
    line = first_line(question, app)
    assert not line.startswith("**20 papers**"), line
