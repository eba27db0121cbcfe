"""Details the catalog never holds about an entry it does hold: asked for, they are said to be missing.

The catalog has no links or code, no venues, no affiliations, no reply times, no deadlines per stream,
no opinions and no acronym expansion. A question that asks for one of these about a paper, a person
or a stream it knows must not get the entry's card as if the card answered it: the reply opens with
"The pages do not say …" and then shows what they do say nearby. The cues are word stems matched on
the whole question (a few set look-ups, whatever the catalog's size).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.questions.lexicon import stem


@dataclass(frozen=True)
class Gap:
    what: str  # said after "The pages do not say"
    cues: tuple[tuple[str, ...], ...]  # stems; one cue matches when all its stems are in the question
    answered_by: frozenset[str] = frozenset()  # command paths that do answer this detail
    nearby: tuple[str, str, tuple[tuple[str, str], ...]] | None = None  # (label, path, options) of what is
    # nearest on the pages, when that is one command whatever the question's reading ('when does stage 2 open':
    # the application dates, not the program's dates)


GAPS: tuple[Gap, ...] = (
    Gap("where to find a link, the code or the PDF (the catalog holds no links)",
        (("link",), ("github",), ("code", "for"), ("sourc", "code"), ("code", "avail"), ("code", "releas"), ("repo",),
         ("arxiv",), ("pdf",), ("url",), ("download",))),
    Gap("where a paper was published (no venues or conferences are listed)",
        (("venu",), ("confer",), ("journal",), ("neurip",), ("icml",), ("iclr",), ("peer", "review"),
         ("where", "publish"), ("where", "present"), ("where", "appear"))),
    Gap("which university or lab anyone is from (no affiliations are listed)",
        (("universiti",), ("affili",), ("institut",))),
    Gap("how fast mentors reply on Slack", (("slack",), ("repli", "fast"), ("respond", "fast"), ("respons", "time"))),
    Gap("what MATS stands for", (("stand", "for"), ("acronym",), ("abbrevi",))),
    Gap("which is better: they hold no rankings or opinions", (("better", "than"), ("wors", "than"))),
    Gap("anything about a stream's own deadlines", (("deadlin",),),
        frozenset({"deadline list", "program"})),
    Gap("the research managers' names", (("research", "manag", "name"),)),
    Gap("where alumni went on to work (no one's later jobs are listed)",
        (("went", "on"), ("work", "at"), ("now", "work"), ("end", "up", "at"))),
    Gap("who runs MATS itself (no staff or leaders of the program are named)",
        (("execut",), ("director",), ("ceo",), ("run", "mats"), ("founder",), ("leadership",))),
    Gap("how many fellows are accepted (no cohort sizes or acceptance rates are given)",
        (("cohort", "mani"), ("cohort", "size"), ("accept", "rate"), ("accept", "mani"),
         ("mani", "fellow", "get"), ("mani", "peopl", "get")), frozenset({"mentor", "stream show"})),
    Gap("how many mentors the program has (no count is given; the Empirical track page names some per stream)",
        (("mani", "mentor"), ("number", "mentor"), ("count", "mentor")), frozenset({"stream show", "mentor", "cadence"}),
        nearby=("the program: mentors", "program", (("topic", "mentors"),))),
    Gap("which stream or mentor anyone had as a fellow (the papers list authors and alumni, not their streams)",
        (("stream", "was", "in"), ("stream", "were", "in"), ("supervis",), ("mentor", "was"), ("mentor", "had"),
         ("who", "mentor", "did")),
        frozenset({"stream show", "stream list", "mentor", "cadence", "track", "program"})),
    Gap("the podcast's name or link (the page only mentions it)", (("podcast",),)),
    Gap("how many hours a week it takes or whether it is full time", (("hour", "week"), ("full", "time"),
        ("part", "time"), ("hour", "day")), frozenset({"stream show", "cadence", "mentor"})),
    Gap("whether it can be done remotely", (("remot",), ("in", "person")), frozenset({"program"})),
    Gap("when an application stage opens or closes (no application dates are given)",
        (("stage", "open"), ("stage", "deadlin"), ("stage", "due"), ("stage", "close"), ("stage", "when")),
        nearby=("the program: application dates", "program", (("topic", "application-dates"),))),
    Gap("how long the evaluations, interviews or application stages take (no durations are given for them)",
        (("long", "evalu"), ("long", "interview"), ("long", "stage"), ("time", "evalu"), ("time", "interview"),
         ("durat", "evalu"), ("durat", "interview"), ("durat", "stage"), ("deadlin", "evalu"), ("day", "evalu"),
         ("week", "evalu"), ("day", "interview"), ("minut", "interview"), ("hour", "interview")),
        nearby=("the program: application", "program", (("topic", "application"),))),
    Gap("what the evaluations or interviews involve (they are only named)",
        (("code", "test"), ("interview", "like"), ("evalu", "like"), ("interview", "involv"),
         ("evalu", "involv"))),
)


def nearby(tokens: tuple[str, ...] | list[str], path: str) -> tuple[str, str, tuple[tuple[str, str], ...]] | None:
    """The one command that says what the pages hold nearest a missing detail the question asks, if any."""
    stems = {stem(t) for t in tokens}
    for g in GAPS:
        if g.nearby and path not in g.answered_by and any(all(c in stems for c in cue) for cue in g.cues):
            return g.nearby
    return None


def missing(tokens: tuple[str, ...] | list[str], path: str) -> list[str]:
    """What the question asks that the catalog does not hold (none when the command answers it)."""
    stems = {stem(t) for t in tokens}
    return [g.what for g in GAPS if path not in g.answered_by and any(all(c in stems for c in cue) for cue in g.cues)]
