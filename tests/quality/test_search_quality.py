"""Search quality on the real catalog: what members type, and where the right entry must land.

Each case names the search it goes through (the one its answer uses), the id that must come first
(or one of several equally right ids), and how far down it may be: rank 1 unless the query is
genuinely ambiguous, which the case says ('within=2/3' with a reason). Where the answer decides with
`decide`, the case also checks the decision: a confident answer, or — for ambiguous queries and
negatives — no single answer.

Every case is its own test. A case that fails either fails the run or is listed, with its reason, in
`search_known_failures.yaml`; that list is printed at the end of the run and may only shrink (a
listed case that passes fails the run until it is taken off). Recall@1 and MRR per kind are printed
too and must stay at the values in `BARS`, which are what the suite measures: any case that slips,
even within its allowance, lowers a number and fails the run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands import load
from bot.commands.papers import SHOWN_MIN
from bot.reply import render
from bot.search.fuzzy import entry_key, fold_fast, query_key
from bot.search.ranking import Hit, decide
from bot.text import STOPWORDS, fold
from tests.conftest import NOW
from tests.quality import known_failures
from tests.quality import report as search_report

commands = load()


@dataclass(frozen=True)
class Case:
    kind: str  # title | prefix | topic | person | stream | mentor | cadence | date | negative
    how: str  # papers | streams | <find kind> | complete:<kind>
    query: str
    expect: tuple[str, ...] | None  # acceptable ids for first place; None: must be 'no match'
    within: int = 1  # the expected id must be at this rank or better
    sure: bool | None = None  # decide() must (True) / must not (False) answer; None: rank only
    why: str = ""  # why a case is allowed below rank 1, or what it guards


def c(kind: str, how: str, query: str, expect: str | tuple[str, ...] | None, within: int = 1,
      sure: bool | None = None, why: str = "") -> Case:
    ids = (expect,) if isinstance(expect, str) else expect
    if sure is None and ids and within == 1 and not how.startswith("complete:") and how != "papers":
        sure = True  # a rank-1 name/title/stream lookup must also be answered directly
    return Case(kind, how, query, ids, within, sure, why)


GR = "gradient-routing-masking-gradients-to-localize"
REFUSAL = "refusal-in-language-models-is-mediated-by-a"
SAD = "me-myself-and-ai-the-situational-awareness"
SANDBAG = "ai-sandbagging-language-models-can-strategically"
TRANSCODERS = "transcoders-find-interpretable-llm-feature"
INTERPBENCH = "interpbench-semi-synthetic-transformers-for"
IOI = "investigating-the-indirect-object-identification"
SOKOBAN = "planning-in-a-recurrent-neural-network-that"
GOODHART = "catastrophic-goodhart-regularizing-rlhf-with-kl"
LAT = "latent-adversarial-training-improves-robustness"
ACE = "adversarial-circuit-evaluation"
PROOFS = "compact-proofs-of-model-performance-via"
GROUPS = "towards-a-unified-and-verified-understanding-of"
JAILBREAKS = "failures-to-find-transferable-image-jailbreaks"
MODULARITY = "training-neural-networks-for-modularity-aids"
MISLEAD = "language-models-learn-to-mislead-humans-via-rlhf"
BACKDOOR = "future-events-as-backdoor-triggers-investigating"
ATTN_SAE = "interpreting-attention-layer-outputs-with-sparse"
BOARD = "measuring-progress-in-dictionary-learning-for"
AGENTS = "analyzing-probabilistic-methods-for-evaluating"

CASES: list[Case] = [
    # -- titles: /paper show title:… (find 'paper'): typos, partials, paraphrases, word order -----
    c("title", "paper", "gradient routeing", GR),
    c("title", "paper", "Gradient Routing: Masking Gradients to Localize Computation in Neural Networks", GR),
    c("title", "paper", "localize computation with gradient routing", GR, why="word order"),
    c("title", "paper", "refusal in language models is mediated by a single direction", REFUSAL),
    c("title", "paper", "refusal direction", REFUSAL),
    c("title", "paper", "refusal mediated by a single directoin", REFUSAL),
    c("title", "paper", "situational awarness", SAD),
    c("title", "paper", "Me Myself and AI", SAD),
    c("title", "paper", "situational awareness dataset SAD", SAD),
    c("title", "paper", "AI sandbaging", SANDBAG),
    c("title", "paper", "language models strategically underperform on evaluations", SANDBAG),
    c("title", "paper", "transcoders", TRANSCODERS),
    c("title", "paper", "transcoders find interpretable LLM feature circuits", TRANSCODERS),
    c("title", "paper", "interp bench", INTERPBENCH, why="a name typed as two words"),
    c("title", "paper", "semi-synthetic transformers", INTERPBENCH),
    c("title", "paper", "indirect object identification mamba", IOI),
    c("title", "paper", "IOI circuit in mamba", IOI),
    c("title", "paper", "recurrent network that plays sokoban", SOKOBAN),
    c("title", "paper", "catastrophic goodheart", GOODHART),
    c("title", "paper", "regularizing RLHF with KL divergence", GOODHART),
    c("title", "paper", "latent adversarial training", LAT),
    c("title", "paper", "Adversarial Circuit Evaluation", ACE, why="exact short title beats longer ones with its words"),
    c("title", "paper", "compact proofs of model performance", PROOFS),
    c("title", "paper", "unified verified understanding group operation networks", GROUPS),
    c("title", "paper", "transferable image jailbreaks", JAILBREAKS),
    c("title", "paper", "modularity aids interpretability", MODULARITY),
    c("title", "paper", "language models learn to mislead humans", MISLEAD),
    c("title", "paper", "future events as backdoor triggers", BACKDOOR),
    c("title", "paper", "interpreting attention layer outputs", ATTN_SAE),
    c("title", "paper", "dictionary learning board game models", BOARD),
    c("title", "paper", "analyzing probabilistc methods for evaluating agent capabilities", AGENTS),
    c("title", "paper", "Analysing Probabilistic Methods", AGENTS, why="British spelling"),
    c("title", "paper", "refusal is mediated by one direction", REFUSAL),
    c("title", "paper", "sandbagging paper", SANDBAG, why="'paper' is filler here"),
    c("title", "paper", "image jailbreaks between VLMs", JAILBREAKS),
    c("title", "paper", "LAT robustness", LAT, why="initials of words in the title"),
    c("title", "paper", "sparse autoencoders attention", ATTN_SAE),
    c("title", "paper", "mamba", IOI),
    c("title", "paper", "goodhart", GOODHART),
    c("title", "paper", "transcoder circuits", TRANSCODERS),
    c("title", "paper", "unified understanding of group operations", GROUPS),
    # -- prefixes: what autocomplete receives while a member types ------------------------------
    c("prefix", "complete:paper", "refu", REFUSAL),
    c("prefix", "complete:paper", "grad rout", GR),
    c("prefix", "complete:paper", "sit aware", SAD),
    c("prefix", "complete:paper", "transco", TRANSCODERS),
    c("prefix", "complete:paper", "interpb", INTERPBENCH),
    c("prefix", "complete:paper", "failures to find tr", JAILBREAKS),
    c("prefix", "complete:paper", "catastrophic g", GOODHART),
    c("prefix", "complete:paper", "refsu", REFUSAL, why="a misspelt start"),
    c("prefix", "complete:person", "marius h", "marius-hobbhahn"),
    c("prefix", "complete:person", "jerem", "jeremy-scheurer"),
    c("prefix", "complete:person", "adri", "adria-garriga-alonso"),
    c("prefix", "complete:person", "nina pan", "nina-panickssery"),
    c("prefix", "complete:alumnus", "axel", "axel-hojmark"),
    c("prefix", "complete:stream", "anthro", "anthropic-stream"),
    c("prefix", "complete:stream", "asym", "asymmetric-security"),
    c("prefix", "complete:mentor", "arth", "arthur-conmy"),
    c("prefix", "complete:track", "emp", "empirical"),
    c("prefix", "complete:cadence", "megas", "stream:megastream"),
    # -- topics: /paper search query:… (abstracts included) ------------------------------------
    c("topic", "papers", "reward hacking", GOODHART),
    c("topic", "papers", "sparse autoencoders", ATTN_SAE, within=3,
      why="three papers train SAEs; the one with it in the title first, the others right after"),
    c("topic", "papers", "chess othello", BOARD),
    c("topic", "papers", "backdoor", BACKDOOR, why="in the title; two other abstracts mention backdoors"),
    c("topic", "papers", "jailbreak vision", JAILBREAKS),
    c("topic", "papers", "monte carlo estimators", AGENTS),
    c("topic", "papers", "password locked models", SANDBAG),
    c("topic", "papers", "heavy-tailed reward misspecification", GOODHART),
    c("topic", "papers", "symmetric group S5", GROUPS),
    c("topic", "papers", "enmeshment loss clusterability", MODULARITY),
    c("topic", "papers", "sophistry", MISLEAD),
    c("topic", "papers", "temporal vulnerabilities", BACKDOOR),
    c("topic", "papers", "persistent harmful behaviours", LAT, why="British spelling of a title word"),
    c("topic", "papers", "robust unlearning", GR),
    c("topic", "papers", "mechanistic interpretability benchmark", INTERPBENCH, within=3,
      why="several papers are about mechanistic interpretability"),
    c("topic", "papers", "evaluating circuit discovery", ACE, within=3, why="InterpBench evaluates circuits too"),
    c("topic", "papers", "planning sokoban", SOKOBAN),
    c("topic", "papers", "papers by Jeremy Scheurer", (AGENTS, SAD), within=2,
      why="the person's two papers, either first"),
    c("topic", "papers", "the SAD benchmark", SAD),
    c("topic", "papers", "steering vectors", BACKDOOR, why="'activation-steering vector' in its abstract"),
    c("topic", "papers", "RLHF", (MISLEAD, GOODHART), within=2, why="two titles say RLHF"),
    # -- people: /person name:… (accents, two spellings of one person, similar names) ------------
    c("person", "person", "Evzen Wybitul", "evzen-wybitul"),
    c("person", "person", "Adria Garriga Alonso", "adria-garriga-alonso"),
    c("person", "person", "Axel Hojmark", "axel-hojmark"),
    c("person", "person", "Jeremy Scheurer", "jeremy-scheurer"),
    c("person", "person", "Jérémy Scheurer", "jeremy-scheurer"),
    c("person", "person", "Nina Panickssery", "nina-panickssery"),
    c("person", "person", "Arjun Panickssery", "arjun-panickssery"),
    c("person", "person", "Panickssery", ("nina-panickssery", "arjun-panickssery"), within=2, sure=False,
      why="two people: both offered, neither picked"),
    c("person", "person", "Samuel F. Brown", "samuel-f-brown"),
    c("person", "person", "Samuel R. Bowman", "samuel-r-bowman"),
    c("person", "person", "Sam Bowman", "samuel-r-bowman", why="an alias in the YAML"),
    c("person", "person", "samuel bowman", "samuel-r-bowman"),
    c("person", "person", "Mohammad Taufique", "mohammad-taufeeque"),
    c("person", "person", "marius hobbhan", "marius-hobbhahn"),
    c("person", "person", "Felix Hofstatter", "felix-hofstatter"),
    c("person", "person", "Ivan Arcuschin", "ivan-arcuschin"),
    c("person", "person", "cristobal eyzaguirre", "cristobal-eyzaguirre"),
    c("person", "person", "Teun van der Weij", "teun-van-der-weij"),
    c("person", "person", "goldman wetzler", "jacob-goldman-wetzler"),
    c("person", "person", "Alex Turner", "alexander-matt-turner", why="the short first name members use"),
    c("person", "person", "Dylan Hadfield Menell", "dylan-hadfield-menell"),
    c("person", "person", "neel nanda", "neel-nanda"),
    c("person", "person", "hobbhahn", "marius-hobbhahn"),
    c("person", "person", "Scheurer", "jeremy-scheurer"),
    c("person", "person", "Garriga-Alonso", "adria-garriga-alonso"),
    c("person", "person", "Hofstätter", "felix-hofstatter"),
    c("person", "person", "Bowman", "samuel-r-bowman"),
    c("person", "person", "Sam Brown", "samuel-f-brown", why="not Sam Bowman"),
    c("person", "person", "jeremy schuerer", "jeremy-scheurer"),
    c("person", "person", "adria garriga alonzo", "adria-garriga-alonso"),
    c("person", "alumnus", "Jiaxin Wen", "jiaxin-wen"),
    c("person", "alumnus", "Axel Højmark", "axel-hojmark"),
    # -- streams: /stream show name:… (names, nicknames, mentors, topics) ------------------------
    c("stream", "streams", "Neel Nanda", "neel-nanda"),
    c("stream", "streams", "pragmatic interpretability", "neel-nanda"),
    c("stream", "streams", "Arthur Conmy", "arthur-conmy"),
    c("stream", "streams", "arthur", "arthur-conmy"),
    c("stream", "streams", "anthropic", "anthropic-stream"),
    c("stream", "streams", "megastream", "megastream"),
    c("stream", "streams", "mega stream", "megastream"),
    c("stream", "streams", "Buck", "megastream", why="a mentor named only by first name"),
    c("stream", "streams", "cybersecurity", "asymmetric-security"),
    c("stream", "streams", "cyber security benchmarks", "asymmetric-security"),
    c("stream", "streams", "asymetric security", "asymmetric-security"),
    c("stream", "streams", "AI control", "ai-control"),
    c("stream", "streams", "data poisoning", "ai-control"),
    c("stream", "streams", "chain of thought monitorability", "ai-control"),
    c("stream", "streams", "hacking AI deployments", "security-and-benchmarks"),
    c("stream", "streams", "evaluating interpretability techniques", "arthur-conmy"),
    c("stream", "streams", "neel's stream", "neel-nanda"),
    c("stream", "streams", "ControlArena", "ai-control"),
    c("stream", "streams", "Ethan", "megastream", why="a mentor named by first name (not Ethan Perez the author)"),
    c("stream", "streams", "interpretability", ("neel-nanda", "arthur-conmy"), within=2, sure=False,
      why="two streams are about interpretability"),
    c("stream", "streams", "redwood", ("anthropic-stream", "megastream"), within=2, sure=False,
      why="both coalitions name Redwood"),
    c("stream", "streams", "model welfare", ("anthropic-stream", "megastream"), within=2, sure=False,
      why="both coalitions describe the same areas, word for word"),
    # -- mentors and cadence targets: /mentor name:…, /cadence name:… -----------------------------
    c("mentor", "mentor", "Neel Nanda", "neel-nanda"),
    c("mentor", "mentor", "arthur conmy", "arthur-conmy"),
    c("mentor", "mentor", "buck", "buck-s"),
    c("mentor", "mentor", "Evan", "evan"),
    c("cadence", "cadence", "Arthur Conmy", ("stream:arthur-conmy", "mentor:arthur-conmy"), within=2,
      sure=False, why="the stream and its mentor: both answer the same"),
    c("cadence", "cadence", "anthropic stream", "stream:anthropic-stream"),
    c("cadence", "cadence", "asymmetric security", "stream:asymmetric-security"),
    c("cadence", "cadence", "megastream", "stream:megastream"),
    c("cadence", "cadence", "ai control", "stream:ai-control"),
    c("cadence", "cadence", "security and benchmarks", "stream:security-and-benchmarks"),
    # -- dates: the key dates /program topic:dates shows ----------------------------------------
    c("date", "date", "when does the 10-week edition start", "autumn-program-start"),
    c("date", "date", "september 28", "autumn-program-start"),
    c("date", "date", "december 4", "autumn-program-end"),
    c("date", "date", "early june", "summer-program-start"),
    c("date", "date", "12 week program end", "summer-program-end"),
    c("date", "date", "summer extension", "summer-extension-start"),
    c("date", "date", "autumn start", "autumn-program-start"),
    c("date", "date", "when does the program end", ("summer-program-end", "autumn-program-end"), within=2,
      sure=False, why="two editions"),
    c("date", "date", "program starts", ("summer-program-start", "autumn-program-start"), within=2, sure=False,
      why="two editions, two start dates: both shown"),
    c("date", "date", "application deadline", ("summer-application", "autumn-application"), within=2, sure=False,
      why="two editions; neither page gives the date"),
    # -- negatives: must be 'no match' (with suggestions at most) --------------------------------
    c("negative", "person", "Yoshua Bengio", None),
    c("negative", "person", "Geoffrey Hinton", None),
    c("negative", "mentor", "Yoshua Bengio", None),
    c("negative", "papers", "what is the office wifi password?", None),
    c("negative", "papers", "the", None),
    c("negative", "papers", "by", None),
    c("negative", "paper", "of the", None),
    c("negative", "person", "by", None),
    c("negative", "papers", "pizza recipe", None),
    c("negative", "streams", "pizza recipe", None),
    c("negative", "papers", "asdkjh qwpoeiru", None),
    c("negative", "paper", "xqzvbnm", None),
    c("negative", "streams", "quantum chemistry", None),
    c("negative", "paper", "deep learning for protein folding", None),
    c("negative", "person", "Paul Christiano", None),
    c("negative", "streams", "biology", None),
    c("negative", "papers", "lorem ipsum", None),
    c("negative", "papers", "hello", None),
    c("negative", "papers", "???", None),
    c("negative", "papers", "deception", None, why="no paper says it; 'direction' is not a misspelling of it"),
]

BARS = {"title": (1.0, 1.0), "prefix": (1.0, 1.0), "topic": (0.952, 0.968), "person": (1.0, 1.0),
        "stream": (1.0, 1.0), "mentor": (1.0, 1.0), "cadence": (1.0, 1.0), "date": (1.0, 1.0),
        "negative": (1.0, 1.0)}
"""(Recall@1, MRR) per kind as measured, to three decimals: Recall@1 is the share of cases whose
expected entry comes first (for negatives, the share answered 'no match'); MRR also counts the
ambiguous cases allowed below rank 1, so one of them slipping a place shows. Topic is below 1.0 by
design: 'papers by Jeremy Scheurer' has his two papers, either first, and the one the case names
second is at rank 2. Raise a bar when the suite gets better; never lower one to make a change pass."""

KNOWN_FAILURES = Path(__file__).with_name("search_known_failures.yaml")


def case_id(case: Case) -> str:
    return f"{case.kind}:{case.how}:{case.query}"


KNOWN = known_failures.load(KNOWN_FAILURES)


def hits_for(app, case: Case) -> list[Hit]:
    search = app.search
    if case.how == "papers":
        return [h for h in search.papers_matching(case.query, 50) if h.score >= SHOWN_MIN]
    if case.how == "streams":
        return search.streams_matching(case.query, 10)
    if case.how.startswith("complete:"):
        return search.complete(case.how.partition(":")[2], case.query, 25)
    return search.find(case.how, case.query, 10)


def rank_of(case: Case, hits: list[Hit]) -> int | None:
    ids = [h.id for h in hits]
    found = [ids.index(e) + 1 for e in case.expect or () if e in ids]
    return min(found) if found else None


def answered(case: Case, hits: list[Hit]) -> Hit | None:
    """The entry the answer would show as *the* answer, as the answer modules decide."""
    if case.how == "papers":
        return hits[0] if hits else None  # /paper search lists what scores ≥ SHOWN_MIN
    return decide(hits)[0]


def evaluate(app, case: Case) -> float:
    """Reciprocal rank (negatives: 1 when 'no match', else 0)."""
    hits = hits_for(app, case)
    if case.expect is None:
        return 1.0 if answered(case, hits) is None else 0.0
    rank = rank_of(case, hits)
    return 1 / rank if rank else 0.0


def check(app, case: Case) -> None:
    hits = hits_for(app, case)
    shown = [(h.id, round(h.score, 1)) for h in hits[:5]]
    if case.expect is None:
        assert answered(case, hits) is None, f"{case.query!r} must be 'no match', got {shown}"
        return
    rank = rank_of(case, hits)
    assert rank is not None and rank <= case.within, f"{case.query!r}: {case.expect} at rank {rank}; got {shown}"
    if case.sure is True:
        best = answered(case, hits)
        assert best is not None and best.id in case.expect, f"{case.query!r} not answered confidently: {shown}"
    elif case.sure is False:
        assert answered(case, hits) is None, f"{case.query!r} is ambiguous and must not pick one: {shown}"
        assert all(e in [h.id for h in hits[:5]] for e in case.expect), shown


@pytest.mark.parametrize("case", CASES, ids=[case_id(x) for x in CASES])
def test_case(app, request, case: Case):
    known_failures.register(request.config, "search", KNOWN_FAILURES, KNOWN)
    known_failures.judge(case_id(case), KNOWN, KNOWN_FAILURES, lambda: check(app, case))


def test_every_known_failure_names_a_case_and_says_why():
    ids = [case_id(x) for x in CASES]
    assert len(ids) == len(set(ids)), "two cases with one id"
    assert set(KNOWN) <= set(ids), f"not a case (any more): {sorted(set(KNOWN) - set(ids))}"
    assert all(reason.strip() for reason in KNOWN.values()), "each known failure says why"


def test_recall_and_mrr_per_kind_are_at_the_measured_bars(app, request):
    """Recall@1 and MRR per kind: printed at the end of the run, and each kind at its bar."""
    search_report.ensure_registered(request.config)
    rows = []
    for kind, (bar, mrr_bar) in BARS.items():
        rr = [evaluate(app, case) for case in CASES if case.kind == kind]
        assert rr, kind
        recall = sum(r == 1.0 for r in rr) / len(rr)
        rows.append((kind, len(rr), recall, sum(rr) / len(rr), bar, mrr_bar))
    search_report.ROWS[:] = [row[:5] for row in rows]
    low = [f"{kind}: Recall@1 {r1:.3f} < {bar} or MRR {mrr:.3f} < {mrr_bar}"
           for kind, _, r1, mrr, bar, mrr_bar in rows if round(r1, 3) < bar or round(mrr, 3) < mrr_bar]
    assert not low, low


def test_the_suite_covers_every_kind_with_enough_cases():
    assert len(CASES) >= 80
    assert {c.kind for c in CASES} == set(BARS)


# -- the same person under two spellings; different people never merged ---------------------------

def test_one_person_two_spellings_has_both_papers(app):
    for spelling in ("Jeremy Scheurer", "Jérémy Scheurer", "JEREMY SCHEURER"):
        best, _ = decide(app.search.find("person", spelling, 6))
        assert best is not None and best.id == "jeremy-scheurer"
        assert set(app.catalog.people[best.id].papers) == {AGENTS, SAD}


@pytest.mark.parametrize("a,b", [("nina-panickssery", "arjun-panickssery"), ("samuel-f-brown", "samuel-r-bowman")])
def test_similar_names_stay_apart(app, a, b):
    for query, wanted in ((app.catalog.people[a].name, a), (app.catalog.people[b].name, b)):
        best, _ = decide(app.search.find("person", query, 6))
        assert best is not None and best.id == wanted, query


# -- FTS syntax typed by a member is just words ---------------------------------------------------

@pytest.mark.parametrize("text,finds", [
    ('"', None), ('""', None), ("NEAR(", None), ("NEAR(refusal direction", REFUSAL), ("*", None),
    ("refusal*", REFUSAL), ("AND", None), ("sparse AND autoencoders", ATTN_SAE), ("OR", None), ("NOT", None),
    ("title:x", None), ("title:sokoban", SOKOBAN), ("gpt-2", None), ("gradient-routing", GR),
    ("\x00", None), ("refusal\x00direction", REFUSAL), ("^refusal", REFUSAL), ("{abstract}: chess", BOARD),
    ("'; DROP TABLE papers; --", None), ("papers_fts MATCH 'x'", None),
])
def test_fts_syntax_is_just_words(app, text, finds):
    search = app.search
    papers = search.papers_matching(text, 50)
    for call in (lambda: search.streams_matching(text, 10), lambda: search.find("paper", text, 10),
                 lambda: search.complete("paper", text, 25), lambda: search.fulltext(text, 50)):
        call()  # no exception is the point
    if finds is not None:
        assert papers and papers[0].id == finds, [(h.id, h.score) for h in papers[:3]]


# -- the documented tie rule ------------------------------------------------------------------

def documented_order(app, hit: Hit) -> tuple:
    """The tie rule as the ranking module's docstring states it, from the catalog (not from `ranked`)."""
    if hit.entry.kind == "paper":
        paper = app.catalog.papers[hit.id]
        rank: tuple = (-paper.citations, -paper.date.toordinal())
    elif hit.entry.kind in ("person", "alumnus"):
        rank = (-len(app.catalog.people[hit.id].papers),)
    else:
        rank = ()
    return (-round(hit.score, 1), rank, hit.label.casefold(), hit.id)


@pytest.mark.parametrize("how,query,ties", [
    ("papers", "interpretability", False), ("complete:paper", "lang", True), ("complete:person", "a", True),
    ("person", "Panickssery", False), ("papers", "language models", False), ("complete:paper", "", True)])
def test_rankings_follow_the_documented_tie_rule(app, how, query, ties):
    """Higher score first (to one decimal); ties: papers by citations then newer, people by papers,
    then label A→Z, then id. The queries marked `ties` have equal scores, so the tie-break is exercised."""
    hits = hits_for(app, Case("x", how, query, None))
    assert len(hits) >= 2
    keys = [documented_order(app, h) for h in hits]
    assert keys == sorted(keys), [(h.id, round(h.score, 1)) for h in hits[:10]]
    assert ties == any(a[0] == b[0] for a, b in itertools.pairwise(keys)), "the query's ties changed"


def test_an_empty_box_lists_the_most_cited_first(app):
    ids = [h.id for h in app.search.complete("paper", "", 25)]
    by_citations = sorted(app.catalog.papers.values(), key=lambda p: (-p.citations, -p.date.toordinal()))
    assert ids == [p.id for p in by_citations][:25]


# -- the date cases are what /program topic:dates shows ------------------------------------------

@pytest.mark.parametrize("key_date", ["autumn-program-start", "autumn-program-end", "summer-program-start",
                                      "summer-program-end", "summer-application"])
def test_found_dates_are_in_the_dates_answer(app, key_date):
    kd = app.catalog.key_dates[key_date]
    text = render(commands.run(app, "program", {"topic": "dates"}), NOW)
    assert kd.name in text
    assert (kd.date_text or "not announced") in text


# -- the fast folding paths are the same folding ------------------------------------------------

@given(st.text(max_size=60))
def test_fold_fast_is_fold(text):
    assert fold_fast(text) == fold(text)


@given(st.text(max_size=60))
def test_entry_keys_fold_like_queries(text):
    expected = " ".join(w for w in fold(text).split() if w not in STOPWORDS)
    assert entry_key(text) == entry_key(text, {}) == expected
    if text.isascii() and text.isprintable():
        assert query_key(text) == expected
