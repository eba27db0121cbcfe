"""Questions in plain words: read into a command, then answered by exactly that command.

Deterministic and offline: an intent comes from cue words, entities from fuzzy recognition of the
catalog's own names (people, streams and their nicknames and mentors, tracks, paper titles) over the
question's word n-grams. The reply is the matching command's reply, headed by how we read the
question, so a member can check the reading and learn the command for next time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.search.ranking import Hit
from bot.text import STOPWORDS, words

if TYPE_CHECKING:
    from bot.app import App

CUES: dict[str, tuple[str, ...]] = {
    "cadence": ("how often", "meet", "meets", "meeting", "meetings", "cadence", "frequency", "frequently",
                "how much time", "1:1", "one on one", "check in", "office hours", "weekly"),
    "dates": ("when", "date", "dates", "start", "starts", "begin", "begins", "end", "ends", "finish", "deadline",
              "deadlines", "how long", "weeks", "schedule", "extension"),
    "application": ("apply", "application", "applications", "applying", "eligible", "eligibility", "requirements",
                    "who can", "accepted", "admission", "stage", "stages"),
    "tracks": ("track", "tracks"),
    "mentor": ("mentor", "mentors", "mentored", "supervises", "supervisor", "runs", "leads", "who is behind"),
    "stream": ("stream", "streams", "research area", "work on", "topic"),
    "person": ("written", "wrote", "write", "authored", "papers by", "publications", "who is", "author"),
    "alumni": ("alumni", "alumnus", "alumna", "fellows who", "former fellows", "scholars who"),
    "top": ("most cited", "top papers", "best papers", "newest", "latest", "recent", "most popular"),
    "papers": ("paper", "papers", "research on", "about", "on the topic", "publication", "work on"),
}
EDITION_WORDS = ("summer", "autumn", "fall", "12 week", "10 week", "june", "september", "december")
ENTITY_THRESHOLD = 88.0


@dataclass(frozen=True)
class Reading:
    """One way to read the question: the command it becomes and how we say it back."""

    label: str
    path: str
    options: tuple[tuple[str, str], ...]
    weight: float


def the_stream(name: str) -> str:
    if "'s stream" in name:
        return name
    return f"the {name}" if name.casefold().endswith("stream") else f"the {name} stream"


def cues(folded: str) -> set[str]:
    padded = f" {folded} "
    return {intent for intent, phrases in CUES.items()
            if any(f" {' '.join(words(p))} " in padded for p in phrases)}


def ngrams(tokens: list[str], longest: int = 4) -> list[str]:
    out = []
    for n in range(min(longest, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            gram = tokens[i : i + n]
            if gram[0] in STOPWORDS or gram[-1] in STOPWORDS:
                continue
            out.append(" ".join(gram))
    return out


def recognise(app: App, kind: str, grams: list[str]) -> list[Hit]:
    """Entities of *kind* named in the question, best first, one per id."""
    best: dict[str, Hit] = {}
    for gram in grams:
        if len(gram) < 3:
            continue
        for hit in app.search.find(kind, gram, 3):
            # A one-word n-gram must match a whole word of the name (not a fragment of a title).
            if hit.score >= ENTITY_THRESHOLD and (hit.id not in best or hit.score > best[hit.id].score):
                best[hit.id] = Hit(hit.entry, hit.score + len(gram.split()) * 0.5, "name")
    return sorted(best.values(), key=lambda h: -h.score)


def topic_of(folded: str) -> str:
    """The question minus its cue words: what a paper search should look for."""
    drop = {w for phrases in CUES.values() for p in phrases for w in words(p)}
    drop |= {"papers", "paper", "any", "there", "show", "find", "list", "tell", "give", "know", "please", "did",
             "has", "have", "anyone", "someone", "which", "worked", "working", "done"}
    return " ".join(w for w in folded.split() if w not in drop and w not in STOPWORDS)


def readings(app: App, question: str) -> list[Reading]:
    folded = " ".join(words(question))
    intents = cues(folded)
    tokens = folded.split()
    grams = ngrams(tokens)
    streams = recognise(app, "stream", grams)
    mentors = recognise(app, "mentor", grams)
    # A person is named by at least two words: a lone surname is too often an ordinary word ('price').
    people = recognise(app, "person", [g for g in grams if 1 <= g.count(" ") <= 2])
    out: list[Reading] = []

    def add(label: str, path: str, weight: float, **options: str) -> None:
        out.append(Reading(label, path, tuple(options.items()), weight))

    if "cadence" in intents:
        for h in mentors[:2]:
            add(f"meeting cadence of {h.label}", "cadence", 95 + h.score / 100, name=f"mentor:{h.id}")
        for h in streams[:2]:
            add(f"meeting cadence of {the_stream(h.label)}", "cadence", 94 + h.score / 100, name=f"stream:{h.id}")
    if "mentor" in intents:
        for h in mentors[:2]:
            add(f"mentor {h.label}", "mentor", 90 + h.score / 100, name=h.id)
        for h in streams[:2]:
            add(f"{the_stream(h.label)} (mentors)", "stream show", 89 + h.score / 100, name=h.id)
    for h in people[:2]:
        alumni = "alumni" in intents
        weight = 84 + h.score / 100 + (6 if intents & {"person", "alumni"} else 0)
        if alumni:
            add(f"papers of alumnus {h.label}", "alumni", weight, name=h.id)
        else:
            add(f"papers of {h.label}", "person", weight, name=h.id)
    for h in mentors[:2]:
        add(f"mentor {h.label}", "mentor", 85 + h.score / 100, name=h.id)
    for h in streams[:2]:
        add(the_stream(h.label), "stream show", 80 + h.score / 100 + (9 if "stream" in intents else 0), name=h.id)
    if "application" in intents:
        add("how to apply", "program", 80, topic="application")
    if "dates" in intents or any(w in folded for w in EDITION_WORDS):
        add("program dates (both editions)", "program", 79 + ("dates" in intents) * 3, topic="dates")
    if "tracks" in intents and not streams:
        add("the program's tracks", "program", 78, topic="tracks")
    if "top" in intents:
        newest = any(w in folded for w in ("newest", "latest", "recent"))
        add("newest papers" if newest else "most cited papers", "paper top", 84,
            sort="newest" if newest else "citations")
    topic = topic_of(folded)
    if topic and not (intents & {"cadence", "mentor", "application", "dates", "tracks", "top"}):
        if "stream" in intents and not streams:
            found = app.search.streams_matching(topic, 2)
            for h in found[:1]:
                if h.score >= 70:
                    add(f"a stream on “{topic}”: {h.label}", "stream show", 83, name=h.id)
        hits = app.search.papers_matching(topic, 5)
        if hits and hits[0].score >= 70 and not people:
            label = f"papers about “{topic}”" + (" (alumni marked ★)" if "alumni" in intents else "")
            add(label, "paper search", 82 + (2 if "papers" in intents else 0), query=topic)
    if "alumni" in intents and not people and not out:
        add("the list of alumni", "alumni", 70)
    best: dict[tuple[str, tuple[tuple[str, str], ...]], Reading] = {}
    for r in sorted(out, key=lambda r: -r.weight):
        best.setdefault((r.path, r.options), r)
    return list(best.values())
