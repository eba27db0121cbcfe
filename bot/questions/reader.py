"""Reading a question: its entities, the attribute asked, its filters and operation → one command.

1. `normalise` drops mentions and markup and finds the ask in a long message;
2. `linking` finds the catalog's names in it, collisions handled;
3. `attributes` classifies what is asked (a classifier trained on generated examples), once for each
   way of reading an ambiguous name ('neel': the mentor, the person or the stream);
4. each attribute is joined with the entity it needs (a named person, a paper by title or topic, a
   stream by name, mentor or topic) and scored: the attribute's probability times how sure the entity is;
5. `filters` adds years, months, ranges, top N, alumni, and the operation (count, most, oldest…).

The best reading becomes a command of the registry, so a question and its "Read as:" command give
the same reply. A reading not clearly ahead of the next is asked back; words the catalog never uses
('stipend', 'housing') make the answer "the pages do not say", never a guess.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from bot.questions.attributes import NEEDS, PHRASINGS, TEMPLATE_STEMS, Classifier, train
from bot.questions.facts import abstract_reading, asks_fact, named_by_rare_words
from bot.questions.filters import (
    CLAIM_VERBS,
    LIST_FRAME,
    MONTHS,
    MOST,
    NUMBER_WORDS,
    Filters,
    Operation,
    list_command,
    read_filters,
    read_operation,
    year_for,
)
from bot.questions.filters import (
    quantifies as quantified_most,
)
from bot.questions.lexicon import Lexicon, lexicon, stem
from bot.questions.linking import EXACT as EXACT_NAME
from bot.questions.linking import PAPER_NOUNS, PROGRAM_WORDS, Links, Mention, link, modifier
from bot.questions.normalise import Question, normalise
from bot.questions.spelling import mend
from bot.questions.thesaurus import RELATED, related
from bot.questions.topics import CHATTER, TopicHit, content_words, paper_topics, stream_topics
from bot.search.ranking import Hit
from bot.search.searcher import Searcher
from bot.text import STOPWORDS, fold, slug

if TYPE_CHECKING:
    from bot.app import App

PAPER_TITLE = 84.0
"""Lowest title-search score for a paper named by its title words ('the sokoban one')."""
PAPER_TOPIC = 0.5
"""Lowest topic coverage for a paper named by what it is about."""
TOPIC_LEAD = 0.08
"""A topic-found paper must lead the next by this much coverage to be *the* paper asked about."""
STREAM_LISTED = 70.0
"""Lowest stream search score for 'streams about X' to be a reading at all (else the pages are silent)."""
STREAM_TOPIC = 0.5
"""Lowest share of the question's topic words a stream must hold to be the stream asked about."""
FIELD_SURE = 0.35
"""A paper's single fact (date, citations, authors) is answered alone only when the attribute is this sure."""
QUANTITY = frozenset({"many", "much"})
"""Words of 'how many' / 'how much': the operation (a count), never what a stream is about."""
VARIANTS = 8
"""Ways of reading the ambiguous names of one question tried at most."""
ATTRIBUTES_TRIED = 5
"""Best attributes of the classifier that are joined with entities."""
ASK_BACK_MARGIN = 0.12
"""Two readings with different answers closer than this (in joint score) are asked back."""
SURE = 0.55
"""A reading this sure is answered even with a close second."""
SECOND_SHARE = 0.05
"""A second reading this share of the best's weight or less is no rival: a weak best is not asked back
against a reading the question barely supports ('which alumni worked on jailbreak attacks' vs the tracks)."""
TIE = 1e-9
"""Two readings of the same command this close in weight are a tie between entries: asked back."""
EITHER_WEIGHT = 0.5
"""How sure each of several entries of different kinds is when the question does not say which is meant."""
IGNORES_NAMED = 0.5
"""A reading that leaves out a person, stream or track the question names is this much less likely."""
UNKNOWN_TOPIC = 0.5
"""A topic question with this share of words the catalog never uses needs `STRONG_TOPIC` coverage."""
STRONG_TOPIC = 0.6
"""Topic coverage that answers even when half the question's words are unknown to the catalog."""
NEARBY_TOPIC = 0.3
"""Topic coverage at which a paper is offered as close ('Did you mean …?') when none is clearly meant."""
NEARBY_WORDS = 2
"""Words of the question a close paper must share to be offered at all."""
NEARBY_SHOWN = 3
"""Close papers offered at most."""
NEARBY_SURE = 0.5
"""How sure each close paper is: equal for all, so they are asked back, never one picked."""
LIST_OVER_NEARBY = 0.1
"""A list of papers about the words this strong relative to the close papers answers instead of asking back."""
TITLE_WORDS = 3
"""Question words a fuzzily found title must hold to name the paper (or `TITLE_SHARE` of them)."""
TITLE_SHARE = 0.67
"""Share of the question's topic words a fuzzily found title must hold to name the paper."""
HELP_TOPIC_WORDS = 2
"""A question with this many topic words that one paper covers well is about that paper, never /help."""
STRUCTURED = 0.9
"""How sure a paper list is whose grammar says so (counts, days, 'per month'): the classifier cannot weigh it."""
UNKNOWN_SHARE = 0.34
"""Content words the catalog never uses, at least this share of them: the pages do not say."""
FILL_PAPERS = 50
"""Papers whose titles and abstracts fill the classifier's {paper} and {topic} slots."""
PLURAL_PAPERS = frozenset({"papers", "publications", "pubs"})
"""Words asking for papers in the plural: a list, not one paper's card."""
IGNORES_PLURAL = 0.5
"""Weight kept by one paper's card when the question asks for papers about words that several hold."""
RANKINGS = frozenset({"most", "least", "newest", "oldest"})
"""Operations that rank papers: a person's card, which ranks none, does not answer them."""
IGNORES_RANKING = 0.5
"""Weight kept by a person's card when the question ranks that person's papers ('their oldest paper')."""

FILTER_WORDS = frozenset({*MONTHS, "since", "before", "after", "until", "between", "till", "through", "year",
                          "month", "first", "last", "half", "edition", "editions", *LIST_FRAME})
"""Words that filter a list by date, or name an edition of the program: never a topic."""
TEMPLATE_WORDS = frozenset(w for phrasings in PHRASINGS.values() for p in phrasings
                           for w in fold(p.replace("{", " ").replace("}", " ")).split())
"""The words of the question frames the classifier was trained on: never a topic in themselves."""
ENTITY_KINDS = ("person", "mentor", "stream", "track")
ALUMNI_WORDS = ("alum", "fellow", "scholar", "mats")
"""Words that make a 'most papers' question about the alumni, not every author."""
AUTHOR_WORDS = frozenset({"who", "author", "authors", "person", "people", "wrote", "written", "writer", "researcher"})
"""Words that make a 'most papers' question ask for a person ('which month had the most papers' does not)."""
FACT_STEMS = frozenset(stem(w) for w in """many much number count counts cite cites cited citation citations total
    sum date dated when year published released author authors wrote alum alumni alumnus fellow fellows""".split())
"""Words that name the fact asked of a paper: never what the paper is about."""
EDITION_WORDS = frozenset({"edition", "editions", "cohort", "cohorts"})
"""Words that say the question is about an edition of the program, not a paper."""
DEADLINE_FRAME = frozenset({"deadline", "deadlines", "due", "next", "upcoming", "whats", "date", "dates", "week",
                            "submit", "submitted", "hand", "when"})
"""Words of a deadline question that do not name the deadline."""


@dataclass(frozen=True)
class Reading:
    """One way to read the question: the command it becomes and how we say it back."""

    label: str
    path: str
    options: tuple[tuple[str, str], ...]
    weight: float
    attribute: str = ""
    nearby: bool = False  # one of the papers closest to a description that fits none clearly


@dataclass
class Understanding:
    question: Question
    links: Links
    readings: list[Reading] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # content words the catalog never uses
    off_pages: list[str] = field(default_factory=list)  # content words the program's pages never use
    topic: list[str] = field(default_factory=list)
    either: bool = False  # the question names entries of several kinds and none is clearly the one asked

    @property
    def close(self) -> bool:
        """The best reading is not clearly ahead of a second with a different answer."""
        if len(self.readings) < 2:
            return False
        if self.either:
            return True
        a, b = self.readings[0], self.readings[1]
        same = {v for _, v in a.options} & {v for _, v in b.options} - {"most", "citations", "date", "least"}
        if a.path == b.path and abs(a.weight - b.weight) < TIE and dict(a.options) != dict(b.options):
            return True  # the same question of two entries that fit exactly as well ('panickssery papers')
        return (a.weight < SURE and a.weight - b.weight < ASK_BACK_MARGIN and b.weight >= SECOND_SHARE * a.weight
                and not same and a.path != b.path)


_MODELS: weakref.WeakKeyDictionary[Searcher, Classifier] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def classifier(app: App) -> Classifier:
    model = _MODELS.get(app.search)
    if model is None:
        with _LOCK:
            model = _MODELS.get(app.search)
            if model is None:
                model = _MODELS[app.search] = train(_fills(app))
    return model


def _fills(app: App) -> dict[str, list[str]]:
    """Slot fillers from the catalog: title fragments for {paper}, abstract phrases for {topic}."""
    # The 50 first ids, as a sort would give them, without sorting 100k ids at every start (0.1 s).
    first = heapq.nsmallest(FILL_PAPERS, app.catalog.columns.paper_ids)
    papers = [app.catalog.papers[pid] for pid in first if pid in app.catalog.papers]
    titles, topics = [], []
    for p in papers:
        words = [w for w in fold(p.title).split() if w not in STOPWORDS]
        titles += [" ".join(words[:2]), " ".join(words[-1:])]
        abstract = [w for w in fold(p.abstract).split() if w not in STOPWORDS][:40]
        topics += [" ".join(abstract[i : i + 4]) for i in range(0, len(abstract), 13)]
    return {"paper": titles or ["model"], "topic": topics or ["models"], "deadline": ["final report", "proposal"]}


def _variants(links: Links) -> list[dict[tuple[int, int], Mention]]:
    """Slotted token lists, one per way to read each ambiguous span, with the mention chosen per kind."""
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in links.mentions:
        if m.kind in ENTITY_KINDS:
            by_span.setdefault(m.span, []).append(m)
    combos: list[dict[tuple[int, int], Mention]] = [{}]
    for span, ms in sorted(by_span.items()):
        combos = [{**c, span: m} for c in combos for m in ms][:VARIANTS]
    return combos


def _slotted(tokens: tuple[str, ...], choice: dict[tuple[int, int], Mention]) -> list[str]:
    out: list[str] = []
    i = 0
    starts = {span[0]: (span, m) for span, m in choice.items()}
    while i < len(tokens):
        if i in starts:
            span, m = starts[i]
            out.append(m.kind.upper())
            i = span[1]
        else:
            if not modifier(tokens, i):  # 'the newest mats paper' asks for a paper, not about MATS
                out.append(tokens[i])
            i += 1
    return out


def understand(app: App, text: str) -> Understanding:
    lex = lexicon(app.search)
    q = mend(app.search, lex, normalise(text))
    links = link(app, q)
    tokens = list(q.tokens)
    model = classifier(app)
    filters = read_filters(tokens, q.text, year_for(app.catalog.columns.dates))
    operation = read_operation(q.folded, tokens)
    free = [t for i, t in enumerate(tokens) if i not in links.used]
    topic = [w for w in content_words(free) if stem(w) not in TEMPLATE_STEMS]
    loose = content_words(free)  # frame words kept: a title may contain 'dataset' or 'benchmark'
    years_months = {str(filters.year)} if filters.year else set()
    if operation == "most" and not quantified_most(tokens):
        topic = [t for t in topic if t not in MOST]  # 'best paper on interpretability': a ranking, not a topic
    # 'which paper found …': how a finding is asked, no topic; but 'papers about claims' is about claims.
    topic = [t for t in topic if t not in CLAIM_VERBS] or topic
    seasons = {tokens[m.start] for m in links.of("edition")}  # 'the autumn cohort' names an edition, no topic
    topic = [t for t in topic if t not in years_months and not t.isdigit() and t not in FILTER_WORDS
             and t not in NUMBER_WORDS and t not in seasons]
    unknown = [w for w in topic if not lex.knows(w) and not any(lex.knows(r) for r in related(w))
               and not _misspelt_title_word(app, w)]
    off_pages = [w for w in topic if stem(w) not in lex.page_stems
                 and not any(stem(r) in lex.page_stems for r in RELATED.get(w, ()))]
    u = Understanding(q, links, topic=topic, unknown=unknown, off_pages=off_pages)
    if not tokens or (not links.mentions and not filters.any_date
                      and not [w for w in content_words(tokens) if not w.isdigit()]
                      and not _plainly_about_the_bot(model, tokens)):
        return u
    combos = _variants(links)
    scored: dict[tuple[str, tuple[object, ...]], Reading] = {}
    context = _Context(app, links, filters, operation, topic, loose, tokens)
    named = {m.id for m in links.mentions if m.kind in ("person", "stream", "track")}
    named |= {sid for m in links.of("mentor") for sid in context.streams_of_mentor(m.id)} | set(links.ids("mentor"))
    quantified = quantified_most(tokens)
    for choice in combos:
        slotted = _slotted(q.tokens, choice)
        if quantified:  # 'found most heads … are polysemantic': a quantity stated, no ranking asked
            slotted = [t for t in slotted if t not in MOST]
        chosen: dict[str, Mention] = {}
        for m in sorted(choice.values(), key=lambda m: (m.score, -m.start)):
            chosen[m.kind] = m  # the surest mention of each kind
        ranked_attrs = model.scores(slotted)
        for attr, p in ranked_attrs[:ATTRIBUTES_TRIED]:
            for reading in context.readings(attr, p, chosen):
                tracks_only = bool(named) and named <= set(links.ids("track"))
                if tracks_only and reading.path == "program" and dict(reading.options).get("topic") == "application":
                    pass  # 'the application process for the empirical track': tracks are applied to in it
                elif named and not any(n in v.split(",") for _, v in reading.options for n in named):
                    reading = Reading(reading.label, reading.path, reading.options, reading.weight * IGNORES_NAMED,
                                      reading.attribute)
                key = (reading.path, tuple(sorted(reading.options)) if reading.path != "coauthors"
                       else tuple(sorted(v for _, v in reading.options)))  # 'A with B' is 'B with A'
                if key not in scored or scored[key].weight < reading.weight:
                    scored[key] = reading
    if (topic and not links.mentions and not unknown and _one_paper_covers(context.topics(topic))
            and not any(r.path.startswith("paper") for r in scored.values())):
        # A description of one paper that the frame words pulled elsewhere ('… when errors are heavy tailed'):
        # the topic reading is weighed too, with its own (small) probability.
        p_topic = next(p for a, p in model.scores(_slotted(q.tokens, {})) if a == "topic")
        for reading in context.readings("topic", p_topic, {}):
            scored[(reading.path, tuple(sorted(reading.options)))] = reading
    elif (topic and not links.mentions and not unknown and (PLURAL_PAPERS & set(tokens) or not scored)
          and operation in ("show", "list")
          and not any(r.path in ("paper search", "paper top") for r in scored.values())
          and (hits := context.topics(topic)) and hits[0].coverage >= STRONG_TOPIC):
        # 'papers about RLHF', 'papers on sparse autoencoders', or the words alone ('rlhf'): papers asked for
        # in the plural, or nothing else read, about words the papers hold, are the list of them (an acronym
        # the classifier never saw gave it no topic reading; one title holding the words gave one paper).
        single = max((r.weight for r in scored.values() if r.path == "paper show"), default=0.0)
        p_topic = next(p for a, p in model.scores(_slotted(q.tokens, {})) if a == "topic")
        for reading in context.readings("topic", max(p_topic, single, SURE), {}):
            scored[(reading.path, tuple(sorted(reading.options)))] = reading
        scored = {k: Reading(r.label, r.path, r.options, r.weight * IGNORES_PLURAL, r.attribute)
                  if r.path == "paper show" else r for k, r in scored.items()}
    people = links.of("person")
    made = list_command(filters, operation, tokens, people[0].id if people else "",
                        app.catalog.people[people[0].id].name if people else "")
    titled = context.titles(topic) if topic else []
    if made and not (titled and titled[0].score >= PAPER_TITLE):  # a list by its grammar (bot.questions.filters)
        label, path, options = made
        weight = STRUCTURED * (IGNORES_NAMED if named and "author" not in options else 1.0)
        scored[(path, tuple(sorted(options.items())))] = Reading(label, path, tuple(options.items()), weight, "papers_list")
    if _applies_to_several(tokens):
        # 'can i apply to more than one track', 'go for two streams at once': the application's stages say how.
        scored[("program", (("topic", "application"),))] = Reading(
            "the program: application", "program", (("topic", "application"),), STRUCTURED, "application_stages")
    if loose and not links.mentions and asks_fact(tokens):  # a fact of a paper's abstract (bot.questions.facts)
        found = context.paper()
        fact = abstract_reading(app, [found] if found else named_by_rare_words(app, loose), context.described,
                                loose, tokens)
        if fact:
            label, path, options, weight = fact
            scored[(path, tuple(sorted(options.items())))] = Reading(label, path, tuple(options.items()), weight,
                                                                     "paper_about")
    if operation in RANKINGS and PAPER_NOUNS & set(tokens) and any(
            r.path == "paper top" and dict(r.options).get("author") for r in scored.values()):
        # "thomas kwa's oldest paper": the person's card lists their papers but ranks none of them; the
        # ranked list of that person's papers answers what was asked, as surely as the card was read.
        card = max((r.weight for r in scored.values() if r.path == "person"), default=0.0)
        scored = {k: Reading(r.label, r.path, r.options, r.weight * IGNORES_RANKING, r.attribute) if r.path == "person"
                  else Reading(r.label, r.path, r.options, max(r.weight, card), r.attribute)
                  if r.path == "paper top" and dict(r.options).get("author") else r
                  for k, r in scored.items()}
    ranked = sorted(scored.values(), key=lambda r: (-r.weight, r.label))
    listed = max((r.weight for r in ranked if r.path in ("paper search", "paper top") and dict(r.options).get("query")),
                 default=0.0)
    if listed and listed >= LIST_OVER_NEARBY * max((r.weight for r in ranked if r.nearby), default=0.0):
        # A list of the papers about the words already shows the closest ones, each with its facts: the
        # asked-back close papers would only hide it ('which alumni worked on jailbreak attacks').
        ranked = [r for r in ranked if not r.nearby]
    u.readings = ranked
    stranger = _unlinked_name(lex, links, tokens)
    if stranger and NEEDS.get(model.scores(tokens)[0][0]) == "person":
        # 'papers by someone called long': a person is asked for by a name the catalog does not hold.
        p = max((sc for a, sc in model.scores(tokens) if NEEDS.get(a) == "person"), default=0.0)
        u.readings = [Reading(f"a person named “{stranger}”", "person", (("name", stranger),), max(p, SURE),
                              UNKNOWN_PERSON), *u.readings]
    choices = _either(app, links, tokens, free)
    if len(choices) > 1:
        u.readings, u.either = choices, True
    return u


UNKNOWN_PERSON = "unknown_person"
"""The attribute of a reading for a person asked for by a name no one in the catalog has."""
NAME_SIGNS = frozenset({"called", "named", "by"})
"""Words after which a name is given ('someone called long', 'papers by smithers')."""
NAMED_THINGS = frozenset({"stream", "streams", "track", "tracks", "paper", "papers", "one", "thing", "project",
                          "program", "dataset", "benchmark", "method", "model", "edition"})
"""Words before 'called'/'named' that say the name is not a person's."""
SOMEONE = frozenset({"someone", "somebody", "a", "an", "the", "person", "guy", "author", "researcher", "fellow",
                     "alum", "mentor"})
"""Words between a name sign and the name ('by someone called …')."""


def _unlinked_name(lex: Lexicon, links: Links, tokens: list[str]) -> str:
    """The name a question gives for a person when no person of the catalog is linked: after 'called' or
    'named' any word; after 'by' only a word the catalog never uses ('papers by year' is not a name).
    """
    if any(m.kind in ("person", "mentor") for m in links.mentions):
        return ""
    for i, w in enumerate(tokens):
        if w not in NAME_SIGNS or (w != "by" and i and tokens[i - 1] in NAMED_THINGS):
            continue  # 'a stream called …', 'the paper named …' name no person
        j = i + 1
        while j < len(tokens) and tokens[j] in SOMEONE:
            j += 1
        name = tokens[j:j + 2] if w != "by" else tokens[j:j + 1]
        name = [t for t in name if t not in STOPWORDS and not t.isdigit() and t not in CHATTER]
        if not name or j in links.used:
            continue
        if w == "by" and (lex.knows(name[0]) or name[0] in PROGRAM_WORDS or stem(name[0]) in TEMPLATE_STEMS
                          or name[0] in FILTER_WORDS or name[0].endswith("ing")):
            continue  # 'papers by year', 'by hunting for inputs': no name
        return " ".join(name)
    return ""


KIND_WORDS = {"track": "track", "tracks": "track", "stream": "stream", "streams": "stream", "paper": "person",
              "papers": "person", "pubs": "person", "publications": "person", "mentor": "mentor"}
"""Words that name a kind of entry: 'is that a track or a stream?' asks which kind a name is."""
VAGUE = frozenset({"stuff", "thing", "things", "info", "anything", "everything", "something", "etc", "pls",
                   "please", "hey", "hi", "hello", "lol", "so", "ok", "okay"})
"""Words beside a name that ask nothing of it ('neel nanda stuff'): the name alone is what was said."""
EITHER_WORDS = frozenset({"or", "both", "same", "vs", "versus", "difference", "different"})
"""Words that put two entries or kinds side by side: each is shown, none picked silently."""


def _either(app: App, links: Links, tokens: list[str], free: list[str]) -> list[Reading]:
    """One reading per entry when the question names one name of several kinds with nothing else asked
    ('neel nanda stuff': his papers or his stream), sets two kinds side by side ('arthur conmy - paper or
    stream?'), or compares two entries of different kinds ('is the security track the same as asymmetric
    security'). Empty when one reading is plainly meant.
    """
    catalog = app.catalog
    entries = [m for m in links.mentions if m.kind in ("person", "stream", "track", "mentor")]
    if not entries:
        return []
    kinds = {m.kind for m in entries}
    if "mentor" in kinds and "stream" in kinds:
        entries = [m for m in entries if m.kind != "mentor"]  # a mentor's stream says who the mentor is
        kinds.discard("mentor")
    asked = {KIND_WORDS[w] for w in tokens if w in KIND_WORDS}
    side_by_side = bool(EITHER_WORDS & set(tokens))
    bare = (not asked and not [w for w in free if w not in STOPWORDS and w not in VAGUE and not w.isdigit()]
            and len({m.span for m in entries}) == 1)  # 'neel nanda stuff'; 'neel's papers', 'tell me about' say which
    if len(kinds) < 2 or not ((side_by_side and (len(asked) > 1 or len({m.span for m in entries}) > 1)) or bare):
        return []
    if side_by_side and len(asked) > 1:
        entries = [m for m in entries if m.kind in asked] or entries
    out: dict[tuple[str, str], Reading] = {}
    for m in entries:
        sure = min(1.0, m.score / 100) * EITHER_WEIGHT
        if m.kind == "person":
            r = Reading(f"papers of {catalog.people[m.id].name}", "person", (("name", m.id),), sure, "person_papers")
        elif m.kind == "stream":
            r = Reading(the_stream(catalog.streams[m.id].name), "stream show", (("name", m.id),), sure, "stream_about")
        elif m.kind == "track":
            r = Reading(f"the {catalog.tracks[m.id].name} track", "track", (("name", m.id),), sure, "track_about")
        else:
            r = Reading(f"mentor {m.id.replace('-', ' ').title()}", "mentor", (("name", m.id),), sure, "mentor_about")
        out.setdefault((r.path, m.id), r)
    return sorted(out.values(), key=lambda r: (-r.weight, r.label)) if len(out) > 1 else []


def _plainly_about_the_bot(model: Classifier, tokens: list[str]) -> bool:
    """'what can you do', 'how does this bot work': no content word, yet surely a question for /help."""
    best = model.scores(tokens)[:1]
    return bool(best) and best[0][0] == "help" and best[0][1] >= SURE


def readings(app: App, question: str) -> list[Reading]:
    return understand(app, question).readings


def _misspelt_title_word(app: App, word: str) -> bool:
    hits = app.search.find("paper", word, 1) if len(word) >= 5 else []
    return bool(hits) and hits[0].score >= PAPER_TITLE


def the_stream(name: str) -> str:
    if "'s stream" in name:
        return name
    return f"the {name}" if name.casefold().endswith("stream") else f"the {name} stream"


class Add(Protocol):
    def __call__(self, label: str, path: str, sure: float, **options: str) -> None: ...


@dataclass
class _Context:
    app: App
    links: Links
    filters: Filters
    operation: Operation
    topic: list[str]
    loose: list[str]
    tokens: list[str]
    _paper: tuple[str, float] | bool | None = False
    described: bool = False  # the paper was found by what it is about, not named by its title
    nearby: list[str] = field(default_factory=list)  # papers close to the words when none is clearly meant

    def _names_edition(self, m: Mention) -> bool:
        """'the 10 week one', 'the fall cohort', 'the sep 28 - dec 4 edition' name an edition; a month
        alone does not ('does the program go into december' asks about both).
        """
        t = self.tokens
        return (t[m.start] not in MONTHS or bool(EDITION_WORDS & set(t))
                or (m.end < len(t) and t[m.end].isdigit()))

    @property
    def named(self) -> bool:
        """The question names a person, stream, mentor or track: close papers are not what it is about."""
        return any(m.kind in ENTITY_KINDS for m in self.links.mentions)
    _stream: tuple[str, float] | bool | None = False
    _titles: dict[str, list[Hit]] = field(default_factory=dict)
    _topics: dict[str, list[TopicHit]] = field(default_factory=dict)

    # -- entities an attribute may need ---------------------------------------------------------
    def titles(self, words: list[str]) -> list[Hit]:
        """Papers whose titles hold these words (the fuzzy title index: no full-text query); none when
        no title could score `PAPER_TITLE`, all that every caller looks for in the first one.
        """
        key = " ".join(words)
        if key not in self._titles:
            found = key and self.app.search.papers.can_reach(key, PAPER_TITLE)
            self._titles[key] = self.app.search.find("paper", key, 3) if found else []
        return self._titles[key]

    def topics(self, words: list[str]) -> list[TopicHit]:
        """Papers about these words (stemmed, one full-text query), remembered for the question."""
        key = " ".join(words)
        if key not in self._topics:
            self._topics[key] = paper_topics(self.app, words, 5) if words else []
        return self._topics[key]

    def paper(self) -> tuple[str, float] | None:
        """The one paper named by its title words or described by its topic, with how sure (0–1)."""
        if self._paper is not False:
            return self._paper  # type: ignore[return-value]
        found: tuple[str, float] | None = None
        words = self.loose or self.topic
        if words:
            known = [w for w in words if w in self.app.search.papers.postings]  # words some title holds
            lex = lexicon(self.app.search)
            postings = self.app.search.papers.postings
            spelt = _acronyms_spelt(lex, self.topic or words, postings)
            # Each word as a title spells it ('jailbreak' → 'jailbreaks'): the same stem, the title's form.
            titled = [next((f for f in sorted(lex.paper_words_of(w)) if f in postings), w) for w in self.topic]
            tries: list[tuple[list[str], float]] = []
            for tried, sure in ((self.topic, 1.0), (words, 1.0), (known, 0.9), (spelt, 0.9), (titled, 0.9)):
                if tried and all(tried != t for t, _ in tries):
                    tries.append((tried, sure))
            for tried, sure in tries:
                if found is not None:
                    break
                hits = self.titles(tried)
                if hits and hits[0].score >= PAPER_TITLE and self._names(hits[0].id, words,
                                                                         tried if tried is spelt else None):
                    second = hits[1].score if len(hits) > 1 else 0.0
                    if hits[0].score - second >= 3 or hits[0].score >= 99:
                        found = (hits[0].id, min(1.0, hits[0].score / 100) * sure)
            # A described paper: by what it is about, never by the fact asked ('how many … cites') or a number.
            about = [w for w in self.loose if not w.isdigit() and w not in NUMBER_WORDS and stem(w) not in FACT_STEMS]
            if found is None and about:
                topical = self.topics(about)
                if topical and topical[0].coverage >= PAPER_TOPIC:
                    lead = topical[0].coverage - (topical[1].coverage if len(topical) > 1 else 0.0)
                    if lead >= TOPIC_LEAD:
                        found = (topical[0].id, min(1.0, 0.4 + topical[0].coverage / 2))
                        self.described = True
                if found is None and not self.named:
                    # No one paper is clearly meant: the closest few are offered, never one picked.
                    self.nearby = _nearby(topical)
        self._paper = found
        return found

    def _names(self, pid: str, words: list[str], asked_words: list[str] | None = None) -> bool:
        """A title found by fuzzy search names the paper only if it holds enough of the question's words:
        two of them, or half ('the sokoban one'); one common word of seven ('game') is not its name.
        """
        if self._holds(pid, words, asked_words):
            return True
        # One title word among many others ('sandbagging', 'game'): it names the paper unless what the
        # question describes fits another paper better ('an rnn that plans ahead in a puzzle game').
        about = [w for w in self.loose if not w.isdigit() and w not in NUMBER_WORDS and stem(w) not in FACT_STEMS]
        topical = self.topics(about) if about else []
        mine = next((h.coverage for h in topical if h.id == pid), 0.0)
        return not topical or topical[0].id == pid or topical[0].coverage <= mine

    def _holds(self, pid: str, words: list[str], asked_words: list[str] | None = None) -> bool:
        """The title holds enough of the question's words to name the paper by them alone (see `_names`)."""
        asked = {stem(w) for w in (asked_words or self.topic or words)}  # *asked_words*: acronyms spelt out
        held = {stem(w) for w in fold(self.app.catalog.papers[pid].title).split()}
        shared = len(asked & held)
        return shared >= TITLE_WORDS or shared >= TITLE_SHARE * len(asked)

    def stream_by_topic(self) -> tuple[str, float] | None:
        if self._stream is not False:
            return self._stream  # type: ignore[return-value]
        found = None
        # 'how many' asks for a count: its 'many' says nothing of which stream ('how many mentors are there').
        words = [w for w in self.loose if not (w in QUANTITY and "how" in self.tokens)]
        hits = stream_topics(self.app, words) if words else []
        if hits and hits[0].coverage >= STREAM_TOPIC:
            lead = hits[0].coverage - (hits[1].coverage if len(hits) > 1 else 0.0)
            if lead > 0:
                found = (hits[0].id, min(1.0, 0.5 + hits[0].coverage / 2))
        self._stream = found
        return found

    def _streams_sharing(self, linked: Mention) -> list[str]:
        """The words of a stream found by a partial or fuzzy match ('chain of thought'), when other streams
        hold them as well as it does; empty when the stream was named (or only it holds them).
        """
        if linked.score >= EXACT_NAME:
            return []
        words = content_words(self.tokens[linked.start:linked.end])
        words = [w for w in words if w not in ("stream", "streams")]
        hits = stream_topics(self.app, words) if words else []
        if len(hits) < 2 or hits[1].coverage < hits[0].coverage or hits[0].id != linked.id:
            return []
        return words

    def streams_of_mentor(self, mentor_id: str) -> list[str]:
        return [s.id for s in self.app.catalog.streams.values() if any(slug(m.name) == mentor_id for m in s.mentors)]

    # -- readings -----------------------------------------------------------------------------
    def readings(self, attr: str, p: float, chosen: dict[str, Mention]) -> list[Reading]:
        need = NEEDS.get(attr)
        catalog = self.app.catalog
        f = self.filters
        out: list[Reading] = []

        def add(label: str, path: str, sure: float, **options: str) -> None:
            out.append(Reading(label, path, tuple((k, v) for k, v in options.items() if v), p * sure, attr,
                               nearby=sure == NEARBY_SURE and path == "paper show"))

        if need == "paper" and EDITION_WORDS & set(self.tokens):
            # 'which year is the sep 28 - dec 4 edition': an edition of the program is no paper; its 'when'
            # and 'which year' are the program's dates.
            if attr == "paper_date":
                edition = self.links.ids("edition")
                add("the program: dates", "program", 0.85, topic="dates",
                    edition=edition[0] if len(edition) == 1 else "")
            return out
        if need == "paper":
            found = self.paper()
            if found is None:
                # Equally weak: asked back (unless a list of papers about the words is a reading: see understand).
                for pid in self.nearby:
                    add(f"the paper “{catalog.papers[pid].title}”", "paper show", NEARBY_SURE, title=pid)
                return out
            pid, sure = found
            title = catalog.papers[pid].title
            if self.described:
                # A paper described, not named: the closest matches are shown with their dates, citations
                # and authors (alumni marked), so the member sees the fact and can tell if it is the paper.
                words = " ".join(self.topic or self.loose)
                add(f"papers about “{words}”", "paper search", sure, query=words)
                return out
            field = {"paper_date": "date", "paper_citations": "citations", "paper_authors": "authors",
                     "paper_alumni": "alumni", "paper_about": ""}[attr]
            if field == "date" and not DATE_CUES & set(self.tokens):
                field = ""  # 'the 18 vlms they released': a release in the paper, not when it came out
            if attr == "paper_authors" and self.operation == "count":
                field = "authors"
            if attr == "paper_alumni" or (attr == "paper_authors" and f.alumni):
                field = "alumni"
            counted = attr == "paper_authors" and self.operation == "count"  # 'number of authors on …'
            if field and p < FIELD_SURE and not (field == "alumni" and f.alumni) and not counted:
                field = ""  # not sure which fact is asked: the whole card holds them all
            add(f"{field or 'the paper'} of “{title}”" if field else f"the paper “{title}”", "paper show", sure,
                title=pid, field=field)
            return out
        if need == "person":
            people = [m for m in self.links.of("person")]
            if not people:
                return out
            first = chosen.get("person") or people[0]
            sure = min(1.0, first.score / 100)
            name = catalog.people[first.id].name
            if attr == "coauthors":
                others = [m for m in people if m.id != first.id and m.span != first.span]  # a second name
                if others:
                    other = catalog.people[others[0].id].name
                    add(f"papers of {name} with {other}", "coauthors", sure, name=first.id, other=others[0].id)
                elif _asks_for_people(self.tokens):
                    add(f"co-authors of {name}", "coauthors", sure, name=first.id)
                else:
                    # 'anything with X on it', 'what has X done': the papers; co-authors are asked with whom.
                    add(f"papers of {name}", "person", sure, name=first.id)
            elif attr == "is_alumnus" or (attr == "person_papers" and f.alumni):
                add(f"{name} as a MATS alumnus", "alumni", sure, name=first.id)
            elif f.any_date:
                # 'what did chughtai et al 2023 find': their papers of that year (none, said so), never all of them.
                add(f"papers of {name}{_when_label(f)}",
                    "paper top", sure, sort="date", order="most", author=first.id, **f.options())
            else:
                add(f"papers of {name}", "person", sure, name=first.id)
            return out
        if need == "stream":
            field = {"stream_about": "", "stream_mentors": "mentors", "stream_cadence": "cadence",
                     "stream_requirements": "requirements", "stream_projects": "projects",
                     "stream_application": "application"}[attr]
            section = requirements_section(self.tokens)
            if field == "cadence" and _asks_format(self.tokens):
                field = "format"  # 'asymmetric security, 1:1 or group meetings?'
            asks_skills = bool(section or REQUIREMENT_STEMS & {stem(t) for t in self.tokens})
            if asks_skills and (attr in ("stream_about", "stream_requirements")
                                or (attr == "stream_mentors" and "who" not in self.tokens)):
                field = "requirements"  # 'what does the control stream's essential list say', 'skills for …'
            candidates: list[tuple[str, float]] = []
            several = self.links.ids("stream")
            if attr == "stream_about" and len(several) > 1:
                top = [m for m in self.links.of("stream") if m.score >= self.links.of("stream")[0].score - 1]
                if len(top) > 1:
                    ids = ",".join(dict.fromkeys(m.id for m in top))
                    names = " and ".join(the_stream(catalog.streams[m.id].name) for m in top)
                    add(names, "stream list", min(1.0, top[0].score / 100), names=ids)
                    return out
            if "stream" in chosen:
                candidates.append((chosen["stream"].id, min(1.0, chosen["stream"].score / 100)))
            elif "mentor" in chosen:
                candidates += [(sid, min(1.0, chosen["mentor"].score / 100))
                               for sid in self.streams_of_mentor(chosen["mentor"].id)]
            elif "track" in chosen and attr in ("stream_requirements", "stream_projects", "stream_about",
                                                "stream_mentors"):
                t = chosen["track"]
                add(f"the {catalog.tracks[t.id].name} track", "track", min(1.0, t.score / 100), name=t.id)
                return out
            else:
                by_topic = self.stream_by_topic()
                if by_topic:
                    candidates.append(by_topic)
            for sid, sure in candidates[:2]:
                stream = catalog.streams[sid]
                what = f"{field} of {the_stream(stream.name)}" if field else the_stream(stream.name)
                part = section if field == "requirements" else ""
                heading = {"essential": "Essential", "preferred": "Preferred", "not_a_good_fit": "Not a good fit"}
                add(f"the “{heading[part]}” list of {the_stream(stream.name)}" if part else what, "stream show",
                    sure, name=sid, field=field, section=part)
            return out
        if need == "mentor":
            mentor = chosen.get("mentor")
            if mentor is None:
                return out
            add(f"mentor {mentor.id.replace('-', ' ').title()}", "mentor", min(1.0, mentor.score / 100),
                name=mentor.id)
            return out
        if need == "track":
            track = chosen.get("track")
            if track is None:
                return out
            if APPLY_WORDS & set(self.tokens) and PROCESS_WORDS & set(self.tokens):
                # 'the application process for the empirical track': a track is applied to in the program's one
                # application (its stages name the tracks); no track has an application of its own.
                add("the program: application", "program", min(1.0, track.score / 100), topic="application")
                return out
            add(f"the {catalog.tracks[track.id].name} track", "track", min(1.0, track.score / 100), name=track.id)
            return out
        return self._catalog_readings(attr, p, chosen, add, out)

    def _catalog_readings(self, attr: str, p: float, chosen: dict[str, Mention], add: Add, out: list[Reading]
                          ) -> list[Reading]:
        f = self.filters
        op = self.operation
        catalog = self.app.catalog
        if attr == "topic":
            words = self.topic or self.loose
            titled = self.titles(words)
            if titled and titled[0].score >= PAPER_TITLE and self._holds(titled[0].id, words):
                # A title names the paper by the words alone: the topic search could only agree.
                add(f"papers about “{' '.join(words)}”", "paper search", 0.9, query=" ".join(words))
                return out
            hits = self.topics(words)
            unknown = sum(1 for w in words if not lexicon(self.app.search).knows(w)) / len(words) if words else 1.0
            strong = hits and hits[0].coverage >= (PAPER_TOPIC if unknown < UNKNOWN_TOPIC else STRONG_TOPIC)
            if strong or (titled and titled[0].score >= PAPER_TITLE and self._names(titled[0].id, words)):
                add(f"papers about “{' '.join(words)}”", "paper search", 0.9, query=" ".join(words))
            elif not self.named:
                for pid in _nearby(hits):  # none is clearly about it: the closest, asked back
                    add(f"the paper “{catalog.papers[pid].title}”", "paper show", NEARBY_SURE, title=pid)
        elif attr in ("papers_list", "total_citations"):
            sort, order = "citations", "most"
            if op in ("newest", "oldest"):
                sort, order = "date", "most" if op == "newest" else "least"
            elif op == "least":
                order = "least"
            person: Mention | None = chosen.get("person")
            limit = f.limit or (1 if op in ("most", "least", "newest", "oldest") and _singular(self.tokens) else None)
            options = {"sort": sort, "order": order, "limit": str(limit) if limit else "", **f.options(),
                       "author": person.id if person else "", "alumni": "true" if f.alumni and not person else ""}
            topic = [w for w in self.topic if w not in ("cited", "citations", "citation")]
            if topic and not person:
                hits = self.topics(topic)
                if hits and hits[0].coverage >= PAPER_TOPIC:
                    options["query"] = " ".join(topic)
            if (op == "list" and options.get("query") and not f.options() and not person and not f.alumni
                    and attr == "papers_list" and _singular(self.tokens) and FINDING & set(self.tokens)):
                # 'which paper found most heads … are polysemantic': no ranking and no filter asked, one paper
                # described: the papers about the words, best match first.
                add(f"papers about “{options['query']}”", "paper search", 0.9, query=options["query"])
                return out
            who = catalog.people[person.id].name if person else None
            label = _list_label(sort, order, limit, f, who, options.get("query"))
            add(label, "paper top", 0.9 if attr == "papers_list" or op == "sum" else 0.7, **options)
        elif attr == "alumni_list":
            topic = [w for w in self.topic if not w.startswith("alum")]
            one = self.paper() if topic else None
            if one is not None and not self.described:
                # 'how many alumni are on the image jailbreak paper': the alumni of that one paper.
                pid, sure = one
                add(f"alumni of “{catalog.papers[pid].title}”", "paper show", 0.9 * sure, title=pid, field="alumni")
            elif topic and (any(h.score >= PAPER_TITLE for h in self.titles(topic)) or self.topics(topic)):
                add(f"papers about “{' '.join(topic)}” with alumni", "paper search", 0.8, query=" ".join(topic))
            elif (op == "most" and not any(w.startswith(ALUMNI_WORDS) for w in self.tokens)
                  and any(w in AUTHOR_WORDS for w in self.tokens)):
                # 'who has written the most papers' ranks every author, not only the alumni.
                add("the authors with the most papers", "authors", 0.9, limit=str(f.limit) if f.limit else "")
            else:
                add("the list of alumni", "alumni", 0.9, min_papers="2" if "more" in self.loose else "")
        elif attr == "stream_list":
            words = [w for w in self.topic if w not in ("stream", "streams")]
            linked = chosen.get("stream")
            shared = self._streams_sharing(linked) if linked is not None and self.operation != "count" else []
            if shared:
                # 'is any stream working on chain of thought': the words that found one stream fuzzily are a
                # topic several streams share; all of them are listed, none picked.
                query = " ".join(shared)
                add(f"streams about “{query}”", "stream list", min(1.0, linked.score / 100) if linked else 0.9,
                    query=query)
            elif linked is not None and self.operation != "count":
                stream = catalog.streams[linked.id]
                add(the_stream(stream.name), "stream show", min(1.0, linked.score / 100), name=linked.id)
            elif chosen.get("track") is not None:
                track = chosen["track"]
                add(f"the streams of the {catalog.tracks[track.id].name} track", "stream list",
                    min(1.0, track.score / 100), track=track.id)
            elif words:
                found = self.app.search.streams_matching(" ".join(words), 3)
                if found and found[0].score >= STREAM_LISTED:
                    add(f"streams about “{' '.join(words)}”", "stream list", 0.9, query=" ".join(words))
            else:
                add("the research streams", "stream list", 0.9)
        elif attr.startswith("program_") or attr in ("application_stages", "eligibility", "application_dates",
                                                    "mentor_fields"):
            part = {"program_about": "overview", "program_location": "location", "program_length": "length",
                     "program_tracks": "tracks", "program_dates": "dates", "application_stages": "application",
                     "eligibility": "eligibility", "application_dates": "application-dates",
                     "mentor_fields": "mentors", "program_outcomes": "outcomes"}[attr]
            named_stream = chosen.get("stream")
            if attr == "eligibility" and named_stream is not None:
                # 'do i need hacking experience for the security stream': who may apply to that stream is
                # what the stream asks for, not the program's eligibility.
                name = self.app.catalog.streams[named_stream.id].name
                add(f"requirements of {the_stream(name)}", "stream show", min(1.0, named_stream.score / 100),
                    name=named_stream.id, field="requirements")
                return out
            named_track = chosen.get("track")
            if attr == "eligibility" and named_track is not None:
                # 'can undergrads apply to the empirical track': what that track asks of fellows.
                add(f"the {self.app.catalog.tracks[named_track.id].name} track", "track",
                    min(1.0, named_track.score / 100), name=named_track.id)
                return out
            edition = list(dict.fromkeys(m.id for m in self.links.of("edition") if self._names_edition(m)))
            add(f"the program: {part.replace('-', ' ')}", "program", 0.85, topic=part,
                edition=edition[0] if len(edition) == 1 and part == "dates" else "")
        elif attr == "help":
            hits = self.topics(self.topic) if len(self.topic) >= HELP_TOPIC_WORDS else []
            if hits and hits[0].coverage >= STRONG_TOPIC:
                return out  # 'models that hide what they can do': a paper's topic, not a question about the bot
            add("what I can answer", "help", 0.85)
        elif attr == "deadline_next":
            # The deadline's own words ('final report'), frame words included: they are what names it.
            named = " ".join(w for w in self.loose if w not in DEADLINE_FRAME)
            add("the staff deadlines", "deadline list", 0.85, name=named)
        return out


ACRONYM_MAX = 5
"""Longest word read as an acronym of a title's words ('lat': latent adversarial training)."""


def _acronyms_spelt(lex: Lexicon, words: list[str], titles: Mapping[str, object]) -> list[str]:
    """The words with each acronym the abstracts define and no title holds spelt out ('the LAT paper'); empty
    when there is none.
    """
    out: list[str] = []
    spelt = False
    for w in words:
        expansion = lex.related.get(w, set())
        if (len(w) <= ACRONYM_MAX and w not in titles and expansion
                and all(len(r) > len(w) for r in expansion)):
            out += sorted(expansion)
            spelt = True
        else:
            out.append(w)
    return out if spelt else []


def _one_paper_covers(hits: list[TopicHit]) -> bool:
    """One paper holds the words strongly and clearly ahead of the next."""
    if not hits or hits[0].coverage < STRONG_TOPIC:
        return False
    return hits[0].coverage - (hits[1].coverage if len(hits) > 1 else 0.0) >= TOPIC_LEAD


def _nearby(hits: list[TopicHit]) -> list[str]:
    """Papers close enough to offer when none is clearly meant: each shares `NEARBY_WORDS` of the words
    and `NEARBY_TOPIC` of their weight (one shared word, 'agents' of 'sleeper agents', says too little).
    """
    return [h.id for h in hits[:NEARBY_SHOWN] if h.coverage >= NEARBY_TOPIC and h.found >= NEARBY_WORDS]


WHOM = frozenset({"who", "whom", "whos", "which", "coauthors", "collaborators", "collaborator", "partners",
                  "colleagues", "people", "anyone", "someone"})
"""Words that ask for people: one person's co-authors are asked so ('who has X written with', 'X coauthors');
'anything with X on it' asks for X's papers."""


def _asks_for_people(tokens: list[str]) -> bool:
    return bool(WHOM & set(tokens)) or any(a == "co" and b in ("authors", "author") for a, b in
                                           itertools.pairwise(tokens))


REQUIREMENT_STEMS = frozenset(stem(w) for w in ("experience", "skills", "skill", "background", "qualifications",
                                                "qualified", "prerequisites", "requirements", "required"))
"""Words that ask what a stream wants of applicants, not what it is about."""


DATE_CUES = frozenset({"when", "date", "dated", "dates", "year", "month", "day", "old", "published", "came",
                       "come", "out", "recent", "new", "newest", "latest", "age"})
"""Words that ask when a paper came out ('released' alone may be something the paper released)."""
APPLY_WORDS = frozenset({"apply", "applying", "application", "applications"})
PROCESS_WORDS = frozenset({"how", "process", "steps", "step", "stages", "stage", "procedure"})
"""With an apply word: how applying goes ('can undergrads apply to the empirical track' asks who may)."""
FINDING = CLAIM_VERBS - {"that", "where"}
"""Verbs that ask which paper found or showed something."""
SEVERAL = frozenset({"two", "three", "several", "multiple", "both", "2", "3"})
"""Words that put more than one track or stream in an application ('how many tracks can i apply to' asks a count)."""
APPLYING = APPLY_WORDS | {"go", "sign", "enter", "join", "pick", "choose", "select"}
"""Words for applying to, or picking, several tracks or streams at once."""


def _applies_to_several(tokens: list[str]) -> bool:
    """'can i apply to more than one track?', 'go for two tracks at once': applying to several of them."""
    t = set(tokens)
    several = bool(SEVERAL & t) or any(a == "more" and b == "than" for a, b in itertools.pairwise(tokens))
    plural = bool({"track", "tracks", "stream", "streams"} & t)
    return several and plural and bool(APPLYING & t)


def _asks_format(tokens: list[str]) -> bool:
    """'1:1 or group meetings?', 'one-on-one or in a group': how a stream's meetings are held."""
    pairs = list(itertools.pairwise(tokens))
    one_to_one = ("1", "1") in pairs or ("one", "on") in pairs or "individually" in tokens or "1on1" in tokens
    return one_to_one or ("group" in tokens and ("or" in tokens or "meetings" in tokens or "calls" in tokens))


def requirements_section(tokens: list[str]) -> str:
    """The heading of a stream's requirements a question names: 'essential', 'preferred' / 'nice to have',
    'not a good fit'; empty when it names none.
    """
    t = [stem(w) for w in tokens]
    if "essenti" in t or any(a == "must" and b == "have" for a, b in itertools.pairwise(t)):
        return "essential"
    if "fit" in t and ({"not", "bad", "poor", "isnt"} & set(t)):
        return "not_a_good_fit"
    if "prefer" in t or any(a == "nice" and b == "to" for a, b in itertools.pairwise(t)):
        return "preferred"
    return ""


def _singular(words: list[str]) -> bool:
    return not any(w.endswith("s") and w[:-1] in ("paper", "one", "publication") for w in words) and any(
        w in ("paper", "one", "publication") for w in words)


def _when_label(f: Filters) -> str:
    label = ""
    if f.year or f.month:
        label += f" ({f.month or '*'}/{f.year or 'any year'})" if f.month else f" ({f.year})"
    if f.after or f.before:
        label += f" ({f.after or '…'} to {f.before or '…'})"
    return label


def _list_label(sort: str, order: str, limit: int | None, f: Filters, person: str | None,
                query: str | None) -> str:
    what = {("citations", "most"): "most cited", ("citations", "least"): "least cited",
            ("date", "most"): "newest", ("date", "least"): "oldest"}[(sort, order)]
    label = f"{what} papers" if not limit else f"the {limit} {what} paper{'s' if limit != 1 else ''}"
    if person:
        label += f" of {person}"
    if query:
        label += f" about “{query}”"
    label += _when_label(f)
    if f.alumni:
        label += " (alumni only)"
    return label
