"""/ask: a question in plain words, read into a command and answered by exactly that command.

The reply opens with the command's one-sentence answer, then its card, and says how the question
was read ("Read as: … `/command option:value`") so a member can check the reading and learn the
command. Two readings too close to call are asked back with a button for each; words the catalog
never uses are answered with what the pages do not say, never with the nearest thing found.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from bot.commands.common import no_match
from bot.commands.registry import Area, Option
from bot.questions import passages
from bot.questions.gaps import missing, nearby
from bot.questions.linking import EXACT as EXACT_NAME
from bot.questions.reader import (
    STRONG_TOPIC,
    UNKNOWN_PERSON,
    UNKNOWN_SHARE,
    Reading,
    Understanding,
    understand,
)
from bot.questions.topics import content_words, paper_topics
from bot.reply import Page, Reply, Suggestion, Understood, render
from bot.text import fold, neutral, shorten, slug

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("ask")

MAX_QUESTION = 6000
"""Longest question read (Discord's limit for a string option); a long one is read by its last ask."""
NO_MATCH = ("I could not match that to anything the program's pages or papers cover. "
            "Try `/paper search`, `/stream list`, `/program topic:dates` or `/help`.")
ENTITY_ANSWERS = frozenset({"paper show", "paper search", "person", "alumni", "coauthors", "stream show", "mentor", "track"})
"""Readings that found a catalog entry to answer with: unknown words beside it do not make it silent."""
PROGRAM_ANSWERS = frozenset({"program", "deadline list", "help"})
"""Readings about the program itself, answered from the pages' own words."""
PROGRAM_DROP_RATIO = 0.15
"""A reading about the program is set aside for an entity reading only if that one is at least this strong
relative to it: a weak entity reading never replaces a strong program reading."""
NEARBY_FROM_PAGES = frozenset({"help", "paper top", "alumni", "authors", "stream list"})
"""Generic readings: when the question asks a detail the catalog never holds, the pages' nearest sentence
is what is said nearby, not the list or the help text."""
QUOTE_OVER = frozenset({"program", "deadline list", "help", "stream show", "stream list", "track", "mentor",
                        "cadence"})
"""Readings about the program that a sentence of the pages may answer better (paper and people readings
are about the papers: the program pages' sentences never answer them)."""
PAPER_WORDS = frozenset({"paper", "papers", "publication", "publications", "citation", "citations", "cited",
                         "abstract", "arxiv", "authors", "coauthors"})
"""Words of a question about the papers (the program pages' sentences never answer those)."""
OVERVIEW = "program_about"
"""The attribute of the program's overview: the reading a question about the program falls back to."""
SURE_DESPITE_UNKNOWN = 0.6
"""A reading this sure is answered despite one word the catalog does not use."""
HINT_PAPERS = 2
"""Papers named beside a person in an ask-back: enough to tell two people (or a person and a stream) apart."""
HINT_CHARS = 90
"""Characters of a stream's description shown beside it in an ask-back."""
COVERED = "The pages cover the program's editions, dates, tracks, application, streams, mentors and alumni papers."


def command_text(r: Reading) -> str:
    return f"`/{r.path}" + "".join(f" {k}:{neutral(shorten(v, 40))}" for k, v in r.options) + "`"


def read_as(r: Reading) -> str:
    return shorten(f"Read as: {neutral(r.label)} — {command_text(r)}", 300)


def _silent(u: Understanding) -> Reply:
    words = u.off_pages if u.readings and u.readings[0].path == "program" else u.unknown
    shown = ", ".join(f"“{neutral(w)}”" for w in words[:2] if not any(ch.isdigit() for ch in w))
    about = f" about {shown}" if shown else " about that"
    return Reply.text(f"The program's pages do not say anything{about}. {COVERED}", kind="no-match",
                      ephemeral=True)


@AREA.command("ask", "Ask in plain words: papers, people, streams, mentors, cadence, dates, deadlines",
         "/ask question:how often does Arthur Conmy meet fellows?",
         Option("question", "Your question, in plain words", required=True))
def ask(app: App, question: str) -> Reply:
    text = question[:MAX_QUESTION] if question else ""
    if not re.search(r"\w", text):
        return Reply.text("Ask me anything about the program, for example “how often does the Anthropic "
                          "stream meet?” or “papers about sparse autoencoders”.", ephemeral=True, kind="error")
    u = understand(app, text)
    others = [r for r in u.readings if r.path not in PROGRAM_ANSWERS]
    if (len(others) < len(u.readings) and others and len(u.off_pages) / max(1, len(u.topic)) >= UNKNOWN_SHARE
            and others[0].weight >= u.readings[0].weight * PROGRAM_DROP_RATIO and _stands(app, others[0])):
        # The question's words are not the pages' words: readings about the program are unsupported;
        # a reading that found a paper, person or stream may still stand.
        u.readings = others
    silent = not u.readings or _is_silent(u)
    if (silent or u.close) and not _about_papers(u, listed=not silent):
        quoted = _quoted(app, u, None, sure=bool(u.readings) and silent,
                         gap=bool(missing(u.question.tokens, "program query")))
        if quoted is not None:
            return quoted
    if not u.readings or _is_silent(u):
        reply = _silent(u) if u.unknown or u.off_pages else Reply.text(NO_MATCH, ephemeral=True, kind="no-match")
        reply.understood = Understood(intent="none", confidence=0.0)
        return reply
    same = _same_person_asked(app, u)
    if same is not None:
        return same
    first = u.readings[0]
    if u.close:
        reply = _ask_back(app, u)
        reply.understood = Understood(intent="ask-back", entities=tuple(r.path for r in u.readings[:3]),
                                      confidence=round(first.weight, 3), asked_back=True)
        return reply
    if first.attribute == UNKNOWN_PERSON:
        # A person asked for by a name no one has: never the fuzzily closest person as the answer.
        name = dict(first.options)["name"]
        reply = no_match("person", name, app.search.find("person", name, 3), "person", "name")
        reply.understood = Understood(intent="none", entities=(name,), confidence=0.0)
        return reply
    named_streams = [m.id for m in u.links.of("stream") if m.score >= EXACT_NAME]
    if first.path == "program" and named_streams:
        # 'do anthropic stream fellows get funding after mats?': the question names a stream, the reading is
        # about the program; a sentence of that stream's own block that holds the question's words answers.
        quoted = _quoted(app, u, None, owner=named_streams[0])
        if quoted is not None:
            return quoted
    near = nearby(u.question.tokens, first.path)
    if near is not None and (near[1], near[2]) != (first.path, first.options):
        first = Reading(near[0], near[1], near[2], first.weight, first.attribute)
    reply = app.commands.run(app, first.path, dict(first.options))
    if first.path in QUOTE_OVER or not _about_papers(u, listed=False):
        quoted = _quoted(app, u, reply)
        if quoted is not None:
            return quoted
    page = reply.pages[0]
    answer, _, rest = page.content.partition("\n")
    asked = [w for w in u.unknown if not any(ch.isdigit() for ch in w)]
    lacking = missing(u.question.tokens, first.path) if reply.kind == "answer" else []
    if lacking and first.path in NEARBY_FROM_PAGES and not _about_papers(u, listed=False):
        # The reading is a generic one (a list, /help): the pages' sentences say what is nearby better.
        return _quoted(app, u, None, gap=True) or reply
    if not lacking and reply.kind == "answer" and _asks_count(u) and not re.search(r"\d", answer):
        lacking = ["how many (no number is given)"]
    if lacking:
        # A detail the catalog never holds ('venue', 'github', 'reply on slack'): say so first, then
        # what the pages say nearby, never the entry's card as if it answered.
        answer = f"The pages do not say {lacking[0]}. What they say nearby: " + answer
    elif asked and _found_entry(first) and reply.kind == "answer" and not dict(first.options).get("find"):
        # (An abstract's sentence found for the fact asked holds it, whatever word the member used.)
        # The question asks about something the catalog never mentions ('venue', 'gpus'): say so first,
        # then what the pages do say about the entity, never the nearest fact as if it were the answer.
        shown = ", ".join(f"“{neutral(w)}”" for w in asked[:2])
        answer = f"The pages do not say anything about {shown}. What they say nearby: " + answer
    lines = [x for x in (answer, rest, read_as(first)) if x]
    reply.pages[0] = Page("\n".join(lines), page.embeds)
    others = [o for o in u.readings[1:3] if o.weight >= first.weight / 3]
    buttons = [Suggestion(shorten(f"Or: {o.label}", 80), o.path, o.options) for o in others]
    reply.suggestions = [*buttons, *reply.suggestions][:5]
    reply.understood = understood(first)
    return reply


def _about_papers(u: Understanding, *, listed: bool = True) -> bool:
    """The question is about the papers, or (*listed*) is read so: the program pages' sentences do not
    answer it.
    """
    tried = [r.path for r in u.readings[: 3 if u.close else 1]]
    return bool(PAPER_WORDS & set(u.question.tokens)) or (listed and bool(tried) and not QUOTE_OVER & set(tried))


def _quoted(app: App, u: Understanding, instead_of: Reply | None, *, sure: bool = False,
            gap: bool = False, owner: str = "") -> Reply | None:
    """The pages' own sentence as the answer (bot/questions/passages.py), via `/program query:`.

    Where no reading answers (silent, asked back) and a sentence matches well; where the chosen reply
    does not hold a sentence that matches the question clearly (*instead_of*); *sure*: the question was
    found silent (words the pages never use), so only a clear match overrides that; *gap*: the question
    asks a detail the catalog never holds, which the command says first, with the nearest sentence; *owner*:
    a stream the question names while its reading is about the program: only that stream's own sentence.
    """
    named = frozenset(u.question.tokens[i] for m in u.links.mentions for i in range(m.start, m.end))
    hits = passages.index(app.search).search(u.question.tokens, named, 1)
    best = hits[0] if hits else None
    if owner:
        if best is None or best.passage.owner_id != owner or not passages.strong(best):
            return None  # only a sentence of that stream's own block, matching well
    elif not gap:
        if best is None:
            return None
        if instead_of is not None:
            if not passages.clear(best) or fold(best.passage.text) in fold(render(instead_of, app.now())):
                return None
        elif not (passages.clear(best, 1) if sure else passages.strong(best)):
            return None
    words = " ".join(passages.question_words(u.question.tokens))
    reading = Reading(f"what the pages say about “{words}”", "program", (("query", u.question.text),),
                      best.coverage if best else 0.0, "pages")
    reply = app.commands.run(app, "program", {"query": u.question.text})
    page = reply.pages[0]
    reply.pages[0] = Page("\n".join([page.content, read_as(reading)]), page.embeds)
    reply.understood = understood(reading)
    return reply


IDENTITY_PAIRS = (("is", "that"), ("is", "it"), ("is", "this"), ("same", "as"), ("the", "same"), ("is", "he"),
                  ("is", "she"))
"""Words asking whether two names are one person ('the ethan in the megastream, is that ethan perez?')."""


def _same_person_asked(app: App, u: Understanding) -> Reply | None:
    """Whether a mentor the page names by first name only is an author of that first name: the pages never
    say, whatever the reading; None when that is not what is asked.
    """
    tokens = u.question.tokens
    if "same" not in tokens and not any(pair in IDENTITY_PAIRS for pair in itertools.pairwise(tokens)):
        return None
    for mention in u.links.of("mentor"):
        streams = [s for s in app.catalog.streams.values() for m in s.mentors if slug(m.name) == mention.id]
        names = {m.name for s in streams for m in s.mentors if slug(m.name) == mention.id}
        if not names:
            continue
        name = next(iter(names))
        if len(name.split()) >= 2 and len(name.split()[-1]) >= 2:
            continue  # a full name: the catalog can tell
        first = fold(name.split()[0])
        people = [m for m in u.links.of("person") if m.span != mention.span
                  and fold(app.catalog.people[m.id].name).split()[0] == first]
        if not people:
            continue
        person = app.catalog.people[people[0].id].name
        where = ", ".join(f"**{neutral(s.name)}**" for s in streams)
        reply = Reply.text(f"The pages do not say whether mentor **{neutral(name)}** ({where}) is **{neutral(person)}**: "
                           "the page gives the mentor's first name only.\n"
                           + read_as(Reading(f"mentor {name} and {person}", "mentor", (("name", mention.id),), 1.0,
                                             "mentor_about")), kind="answer")
        reply.suggestions = [Suggestion(shorten(f"mentor {name}", 80), "mentor", (("name", mention.id),)),
                             Suggestion(shorten(f"papers of {person}", 80), "person", (("name", people[0].id),))]
        reply.understood = Understood(intent="mentor", entities=(mention.id, people[0].id), confidence=1.0)
        return reply
    return None


def understood(reading: Reading) -> Understood:
    """The reading as the insights record it (the seam between the reader and bot.insights)."""
    return Understood(intent=reading.path, entities=tuple(v for _, v in reading.options),
                      confidence=round(min(1.0, reading.weight), 3))


def _hint(app: App, r: Reading) -> str:
    """What tells two people apart in an ask-back: their most recent paper."""
    pid = dict(r.options).get("name", "")
    if r.path in ("person", "alumni", "coauthors") and pid in app.catalog.people:
        papers = app.catalog.people[pid].papers[:HINT_PAPERS]
        if papers:
            return " (" + "; ".join(f"*{neutral(shorten(app.catalog.papers[p].title, 70))}*" for p in papers) + ")"
    if r.path == "stream show" and pid in app.catalog.streams:
        about = app.catalog.streams[pid].description
        if about:
            return f" ({neutral(shorten(about, HINT_CHARS))})"
    return ""


def _asks_count(u: Understanding) -> bool:
    """'how many …': a reply whose answer line holds no number does not answer it."""
    t = u.question.tokens
    return any(a == "how" and b in ("many", "much") for a, b in itertools.pairwise(t))


def _found_entry(r: Reading) -> bool:
    """The reading names one catalog entry (a paper, person, stream, mentor, track) or searches a topic."""
    return r.path in ENTITY_ANSWERS and any(k in ("name", "title", "query") for k, _ in r.options)


def _stands(app: App, r: Reading) -> bool:
    """A reading that found its entry by name, or a topic search whose best paper covers the topic well."""
    if not _found_entry(r):
        return False
    if r.path != "paper search":
        return True
    hits = paper_topics(app, content_words(dict(r.options).get("query", "").split()), 1)
    return bool(hits) and hits[0].coverage >= STRONG_TOPIC


def _is_silent(u: Understanding) -> bool:
    """The question is about something the catalog never mentions, and no entity of it is named."""
    named = [m for m in u.links.mentions if m.kind not in ("program", "edition")]
    top = u.readings[0] if u.readings else None
    if named or (top is not None and _found_entry(top)):
        return False
    about_program = top is not None and top.path in ("program", "deadline list")
    # Ordinary framing words ('exact', 'version', 'once') are not what the pages lack.
    unknown = [w for w in (u.off_pages if about_program else u.unknown) if w not in passages.FRAME]
    # A sure reading stands despite one odd word, unless it is the program's overview and that word is all
    # the question is about: the overview is where any question about 'fellows' or 'MATS' falls, so its
    # sureness came from those words alone ('do fellows get paid?' is not answered by the overview).
    catch_all = top is not None and top.attribute == OVERVIEW and len(unknown) >= len(u.topic)
    if not unknown or (top is not None and top.weight >= SURE_DESPITE_UNKNOWN and len(unknown) < 2
                       and not catch_all):
        return False
    return len(unknown) / max(1, len(u.topic)) >= UNKNOWN_SHARE


def _ask_back(app: App, u: Understanding) -> Reply:
    options = u.readings[:3]
    names = " or ".join(f"**{neutral(r.label)}**{_hint(app, r)}" for r in options)
    buttons = [Suggestion(shorten(r.label, 80), r.path, r.options) for r in options]
    papers = all(r.path == "paper show" and dict(r.options).get("title") for r in options)
    lead = "No paper is clearly the one you describe; these come closest. " if papers else ""
    return Reply.text(f"{lead}Did you mean {names}? Which one did you mean?", kind="no-match", ephemeral=True,
                      suggestions=buttons)
