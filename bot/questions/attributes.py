"""What a question asks about: a small naive Bayes classifier, trained when a catalog is loaded.

The training examples are generated: phrasings of each attribute (below) crossed with openers and
chatter people add, with the slots filled from the catalog itself (paper title words, topics from
abstracts). Names found by `linking` are replaced by their kind before classifying, so 'what has
{person} written' is learned once for every person. Deterministic: the same catalog always trains
the same model, and classifying is a few dictionary look-ups per word.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Literal

from bot.questions.lexicon import stem
from bot.text import STOPWORDS

Attribute = Literal[
    "topic", "paper_about", "paper_date", "paper_citations", "paper_authors", "paper_alumni",
    "person_papers", "is_alumnus", "coauthors", "papers_list", "total_citations", "alumni_list",
    "stream_about", "stream_mentors", "stream_cadence", "stream_requirements", "stream_projects", "stream_list",
    "stream_application",
    "mentor_about", "program_about", "program_location", "program_length", "program_tracks", "track_about",
    "program_dates", "application_stages", "eligibility", "application_dates", "deadline_next",
    "mentor_fields", "program_outcomes", "help",
]

NEEDS: dict[str, str] = {
    "paper_about": "paper", "paper_date": "paper", "paper_citations": "paper", "paper_authors": "paper",
    "paper_alumni": "paper", "person_papers": "person", "is_alumnus": "person", "coauthors": "person",
    "stream_about": "stream", "stream_mentors": "stream", "stream_cadence": "stream",
    "stream_requirements": "stream", "stream_projects": "stream", "stream_application": "stream", "mentor_about": "mentor", "track_about": "track",
}
"""The entity an attribute is about; attributes not listed are about the program or the catalog."""

KEEP = frozenset("who whom what when where which how many much why is are was do does did can by with both and"
                 .split())
"""Question words kept as features although they are stop words: they carry the attribute."""
ALPHA = 0.2
"""Additive smoothing of the word counts."""
SHARPNESS = 1.0
"""Naive Bayes counts each word as independent evidence and so is far too sure of itself: the log
likelihoods are scaled by this over the square root of the number of features before normalising."""
BIGRAM_WEIGHT = 1.0
"""Weight of a two-word feature relative to a one-word feature."""

# Slots: {person} {mentor} {stream} {track} are replaced by their kind; {paper} and {topic} are filled
# from the catalog's titles and abstracts.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "topic": ("papers about {topic}", "is there a paper on {topic}", "any research on {topic}",
              "anything about {topic}", "research where {topic}", "the one where {topic}",
              "something about {topic}", "which paper {topic}", "paper about {topic}",
              "any work on {topic}", "find papers on {topic}", "what papers cover {topic}",
              "is there research showing {topic}", "the paper where {topic}"),
    "paper_about": ("what is the {paper} paper about", "tell me about the {paper} paper", "is there code for {paper}",
                    "where can i find the {paper} dataset", "how many models did {paper} test",
                    "what did the {paper} paper find", "summary of {paper}", "link to the {paper} paper",
                    "is the {paper} stuff online", "what method does {paper} use", "show me {paper}",
                    "how big is the {paper} benchmark", "how many questions in {paper}"),
    "paper_date": ("when did the {paper} paper come out", "when was {paper} published", "date of the {paper} paper",
                   "whats the date on {paper}", "when was the {paper} one released", "what year is {paper} from",
                   "when did {paper} appear", "how old is the {paper} paper", "publication date of {paper}"),
    "paper_citations": ("how many citations does {paper} have", "citations of the {paper} paper",
                        "how many cites has {paper} got", "how often is {paper} cited", "{paper} citation count",
                        "how cited is the {paper} paper", "number of citations for {paper}"),
    "paper_authors": ("who wrote the {paper} paper", "authors of {paper}", "who are the authors of {paper}",
                      "who is behind the {paper} paper", "who worked on {paper}", "who wrote {paper}",
                      "how many authors does {paper} have", "{paper} authors", "who made the {paper} one"),
    "paper_alumni": ("which alumni are on the {paper} paper", "alumni on {paper}", "who are the alumni on {paper}",
                     "how many alumni are on the {paper} paper", "which mats fellows wrote {paper}",
                     "any alumni who worked on {paper}", "mats scholars on the {paper} paper"),
    "person_papers": ("what has {person} written", "papers by {person}", "{person} papers", "{person} publications",
                      "anything by {person}", "what did {person} publish", "papers with {person} on them",
                      "{person}'s paper", "show me {person}'s work", "list {person} papers",
                      "what has {person} published", "who is {person}", "tell me about {person}", "{person}",
                      "{person} pubs on here", "{person} work", "what did {person} write",
                      "how many papers did {person} write", "how many papers has {person} got",
                      "anything with {person} on it", "anything with {person} as an author",
                      "papers where {person} is an author"),
    "is_alumnus": ("is {person} an alumnus", "is {person} a mats alum", "was {person} a fellow",
                   "{person} alum", "did {person} do mats", "is {person} a mats scholar or mentor",
                   "is {person} an alumni", "was {person} a mats alumnus"),
    "coauthors": ("who has {person} written with", "who did {person} write with", "{person} coauthors",
                  "who has {person} co-authored with the most", "collaborators of {person}",
                  "have {person} and {person} written together", "{person} and {person} joint papers",
                  "did {person} write something with {person}", "have {person} and {person} collaborated",
                  "anything with both {person} and {person}", "has {person} worked with {person}",
                  "{person} + {person} worked together", "did {person} write anything with {person}",
                  "is there a paper by both {person} and {person}"),
    "papers_list": ("most cited papers", "which papers have the fewest citations", "whats the oldest paper",
                    "newest papers", "top 3 papers", "how many papers are there", "number of papers from june",
                    "papers from october sorted by citations", "how many papers were published in august",
                    "latest research", "most cited paper in 2024", "least cited papers", "top papers",
                    "which one has more citations", "how many papers in total", "papers published in july",
                    "{person}'s most cited paper", "the most recent paper", "oldest one", "best paper on {topic}",
                    "most cited paper about {topic}", "the best papers", "newest paper on {topic}"),
    "total_citations": ("total citation count of all papers", "how many citations in total",
                        "add up all the citations", "sum of citations across papers", "total citations"),
    "alumni_list": ("list the alumni", "how many alumni are there", "how many different alumni across papers",
                    "which alumni show up on more than one paper", "who are the mats alumni",
                    "alumni with the most papers", "all alumni"),
    "stream_about": ("what does {stream} do", "what is the {stream}", "tell me about {stream}",
                     "{stream} in a nutshell", "what's the {stream} stream about", "what does {stream} work on",
                     "{stream} vs {stream} difference", "what is {stream} in mats", "describe {stream}"),
    "stream_mentors": ("who mentors {stream}", "who runs the {stream} stream", "who is the mentor for {stream}",
                       "{stream} mentors any names", "who leads {stream}", "who supervises {stream}",
                       "in {stream} who makes the big calls", "who decides on projects in {stream}",
                       "who mentors the stream that {topic}", "mentor of {stream}", "who is the primary mentor",
                       "how many mentors are in {stream}", "how many mentors does {stream} have"),
    "stream_cadence": ("how often does {stream} meet", "how often do you meet mentors in {stream}",
                       "{stream} meeting cadence", "how long are {stream} meetings", "how fast do they reply on slack",
                       "1 on 1 or group calls in {stream}", "does {mentor} meet ad hoc", "{mentor}'s meeting setup",
                       "how often does {mentor} meet his scholars", "daily standups or weekly in {stream}",
                       "long calls or short ones", "how long till they answer on slack", "how much time does {mentor} meet",
                       "weekly meetings with {mentor}", "{stream} meetings frequency"),
    "stream_requirements": ("what does {stream} want from applicants", "requirements for {stream}",
                            "what is {mentor} looking for in scholars", "what kind of person is {stream} after",
                            "who is a good fit for {stream}", "what skills does {stream} need",
                            "what background does the {track} track want", "does my degree matter for {track}",
                            "who is not a good fit for {stream}", "what does {mentor} require", "essential skills {stream}",
                            "am i qualified for {stream}", "essential requirements of {stream}",
                            "what is on the {stream} preferred list", "nice to have skills for {stream}"),
    "stream_projects": ("how do projects get picked in {stream}", "how do you end up on a project in {stream}",
                        "how much control over my project in {stream}", "how are projects chosen in {stream}",
                        "do i pick my own project in {stream}", "who chooses the project {stream}",
                        "can i pitch my own idea to {stream}"),
    "stream_list": ("which stream works on {topic}", "i'm into {topic} which stream is that",
                    "which streams should i look at for {topic}", "is any stream doing {topic}",
                    "is there a stream on {topic}", "list the streams", "how many streams are there",
                    "what streams are there", "which stream checks {topic}", "streams about {topic}"),
    "mentor_about": ("has {mentor} mentored many people", "tell me about {mentor}", "is {mentor} a mentor",
                     "is {mentor} taking people from the sprint", "how many scholars has {mentor} had",
                     "who is {mentor}", "is {mentor} interviewing", "mentor {mentor}", "who is {mentor} in {stream}"),
    "program_about": ("what is mats", "what even is mats", "what is the program about", "tell me about mats",
                      "what do fellows get out of it", "what is this fellowship", "mats overview",
                      "what does mats offer", "what is the program"),
    "program_location": ("where is mats based", "where is the program located", "is it remote or in person",
                         "which city is mats in", "where does the program take place", "is it in berkeley"),
    "program_length": ("how long is mats", "how long is the program", "how many weeks is the program",
                       "how long does the fellowship last", "program length in weeks", "duration of mats"),
    "program_tracks": ("what tracks are there", "which track is the biggest", "list the tracks",
                       "what tracks does mats have", "which tracks can i apply to", "how many tracks"),
    "track_about": ("what is the {track} track", "{track} track in a nutshell", "tell me about {track}",
                    "what does the {track} track do", "what is {track} about"),
    "program_dates": ("when does mats start", "when does the program wrap up", "fall cohort dates",
                      "summer program dates", "when does it end", "when does the program begin",
                      "when does the extension start", "program schedule", "start date", "end date of the program",
                      "how long does the extension last", "when is the extension phase",
                      "what are the program dates", "what are the dates", "key dates",
                      "what year is the fall edition", "which year does the summer edition run",
                      "when does the 10 week edition run"),
    "application_stages": ("what are the stages of applying", "how do i apply", "is there an interview",
                           "can i apply to more than one stream at once",
                           "do i pick streams in the first form or later", "what happens after the review",
                           "application process", "what are the steps to apply", "when do i choose a stream",
                           "can i say which mentors i want when i apply"),
    "stream_application": ("if i apply to {stream} am i considered for every mentor", "how do i apply to {stream}",
                           "can i pick mentors when applying to {stream}", "does the {stream} application go to all mentors",
                           "{stream} application", "applying to {stream}", "can i say which {stream} mentors i want",
                           "is {mentor} taking applicants", "does {stream} have its own application"),
    "eligibility": ("who can apply", "can i apply with no experience", "am i eligible",
                    "can i apply if i work in public health", "i'm a founder can i apply", "main requirements to get in",
                    "do i need ai safety experience", "what background do you need", "can an undergrad apply",
                    "do you take people from other fields"),
    "application_dates": ("application deadline", "when do applications open", "when will offers go out",
                          "when is the application due", "when can i apply", "when do apps close",
                          "when do we hear back"),
    "deadline_next": ("what's the next deadline", "when is the final report due", "upcoming deadlines",
                      "when is the project proposal due", "deadlines this week", "what is due next",
                      "when is the {deadline} due", "next due date"),
    "help": ("help", "what can you do", "what kind of questions can i ask you", "how do i use this bot",
             "what commands are there", "what can i ask", "how does this bot work", "help me"),
    "mentor_fields": ("what fields do the mentors come from", "what kind of mentors are there",
                      "who are the mentors in general", "what expertise do mentors have", "mentor backgrounds"),
    "program_outcomes": ("what are you supposed to produce by the end", "what do fellows produce",
                         "what is the output of the program", "what should i have by program end",
                         "what artifacts do projects produce", "what do you make in the {track} track"),
}
TEMPLATE_STEMS = frozenset(stem(w) for phrasings in PHRASINGS.values() for p in phrasings
                           for w in p.replace("{", " ").replace("}", " ").replace("'", " ").replace("-", " ")
                           .replace("+", " ").lower().split())
"""Stems of the words of the question frames the classifier is trained on: never a topic or a name."""
OPENERS = ("", "hey bot", "quick q", "sorry if dumb q but", "does anyone know", "lol", "ok so")
"""Chatter put before a question: generated into the examples so that it is learned as noise."""


def features(tokens: list[str]) -> list[str]:
    kept = [t if t.isupper() else stem(t) for t in tokens
            if t in KEEP or t.isupper() or (len(t) > 1 and t not in STOPWORDS)]
    return kept + [f"{a}_{b}" for a, b in itertools.pairwise(kept)]


@dataclass
class Classifier:
    priors: dict[str, float]
    weights: dict[str, dict[str, float]]
    unseen: dict[str, float]
    vocab: frozenset[str]

    def scores(self, tokens: list[str]) -> list[tuple[str, float]]:
        """(attribute, posterior probability) best first."""
        feats = sorted({f for f in features(tokens) if f in self.vocab})
        logs = {}
        for attr, prior in self.priors.items():
            w = self.weights[attr]
            u = self.unseen[attr]
            logs[attr] = prior + sum(w.get(f, u) * (BIGRAM_WEIGHT if "_" in f else 1.0) for f in feats)
        scale = SHARPNESS / max(1.0, len(feats)) ** 0.5
        logs = {a: v * scale for a, v in logs.items()}
        top = max(logs.values())
        exp = {a: math.exp(v - top) for a, v in logs.items()}
        total = sum(exp.values())
        return sorted(((a, v / total) for a, v in exp.items()), key=lambda x: (-x[1], x[0]))


def slot_tokens(text: str, fills: dict[str, list[str]], n: int) -> list[str]:
    out = []
    for word in text.replace("'s", "").split():
        if word.startswith("{") and word.endswith("}"):
            kind = word[1:-1]
            if kind in ("paper", "topic", "deadline"):
                choices = fills.get(kind) or ["model"]
                out += choices[n % len(choices)].split()
            else:
                out.append(kind.upper())
        else:
            out += [w for w in word.lower().replace("-", " ").replace("?", "").split()]
    return out


def train(fills: dict[str, list[str]]) -> Classifier:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    docs: Counter[str] = Counter()
    vocab: set[str] = set()
    for attr, phrasings in PHRASINGS.items():
        for i, phrase in enumerate(phrasings):
            for j, opener in enumerate(OPENERS):
                tokens = opener.split() + slot_tokens(phrase, fills, i * len(OPENERS) + j)
                f = set(features(tokens))  # each feature once per example: 'PERSON and PERSON' is not twice the evidence
                counts[attr].update(f)
                vocab.update(f)
                docs[attr] += 1
    priors = {a: -math.log(len(counts)) for a in counts}  # every attribute as likely: template counts are arbitrary
    weights: dict[str, dict[str, float]] = {}
    unseen: dict[str, float] = {}
    for attr, c in counts.items():
        denom = sum(c.values()) + ALPHA * (len(vocab) + 1)
        weights[attr] = {f: math.log((n + ALPHA) / denom) for f, n in c.items()}
        unseen[attr] = math.log(ALPHA / denom)
    return Classifier(priors, weights, unseen, frozenset(vocab))
