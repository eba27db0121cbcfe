"""Synthetic catalogs for the benchmark: realistic-looking papers, abstracts and people, deterministic.

Everything comes from a seeded `random.Random` and the word lists below (no downloads), so a size
always produces byte-identical YAML. Titles follow the shapes real ML-safety titles take (a coined
name and a colon, 'Towards …', '… Is …', questions), abstracts are five to eight sentences mixing the
title's words with topic vocabulary, and names mix many languages with their accents (Jérémy, Zoë,
Søren, Łukasz, Nguyễn, Çelik, Dvořák). Every title and every person's folded name is unique, as the
real build requires.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import string
from dataclasses import dataclass
from pathlib import Path

from bot.text import fold

FIRST = """Aaron Abhay Ada Adam Adrià Agnès Ahmed Aiko Aisha Akbir Alejandro Aleksander Alessandro Alex Alexander
Alice Amara Amélie Ana Anaïs Andrea Andrés Andy Ángel Anja Anna Antoine Arjun Arthur Asa Astrid Ayşe Beatriz
Benjamin Bilal Björn Bruno Camille Can Carlos Caroline Chen Chiara Chloé Chris Clément Cristóbal Daniel Daniela
Dávid David Diego Dmitri Dylan Élodie Elena Elif Emil Emma Enzo Erik Ethan Eva Evžen Fatima Felix Fernanda
Florian François Gabriel Gabriela Govind Grzegorz Hana Hannah Hélène Henrik Hiroshi Hugo Ines Ingrid Isabel
Iván Jacob Jakub Jan Javier Jérémy Jiaxin Joana João Johan Jonas Jorge José Joseph Julia Julián Jürgen Kai
Kamila Karim Katarzyna Kenji Klára Lars Laura Léa Lena Leon Liam Lucía Luis Łukasz Maja Malte Manon Marcus
María Marie Marius Marta Mateo Matías Mei Mikita Milan Mohammad Nadia Naoki Neel Niamh Nicolás Nikolai Nina
Noah Noémie Oğuz Olga Oliver Omar Óscar Pablo Paula Pedro Petra Philipp Pierre Piotr Priya Rafael Rajesh
Raphaël René Ricardo Rohan Rosa Ruiqi Sakura Samuel Sara Sebastián Selin Siddharth Simone Søren Sofía Stefan
Sven Tamás Theo Thomas Timo Tomáš Valentina Victor Vivek Wei Wilson Xavier Yasmin Yusuf Zane Zoë Zoltán""".split()

LAST = """Abe Ahmadi Alonso Álvarez Andersen Arcuschin Bailey Balesni Becker Bělohlávek Benton Bergström Betley
Bianchi Bloom Bowman Brandt Brinkmann Brown Caron Castillo Çelik Chan Chen Chlenski Chua Cloud Conmy Cope
Costa Cundy Dąbrowski Demir Dias Drori Dubois Dunefsky Durante Dvořák Eriksson Ewart Eyzaguirre Fernández
Ferrari Fischer Fontaine Forsberg Fujita García Garriga Gleave Golechha Gómez Gonçalves Gross Guo Gupta
Gurnee Hadfield Hansen Hebbar Hernández Hobbhahn Hofstätter Højmark Huang Hughes Ivanov Jaburi Jaffe Jansen
Jiménez Johansson Karvonen Kaya Khan Kim Kissane Koch Koyejo Kowalczyk Kozlov Krzyżanowski Kwa Laine Lambert
Larsen Laurent Lefèvre Lewandowski López Lynch Marks Martínez Meinke Mendes Miller Miranda Moreau Müller
Nakamura Nanda Navarro Ng Nguyễn Nielsen Novák Nowak Obeso Okafor Oliveira Ong Østergaard Özdemir Paleka
Panickssery Park Pereira Perez Petrov Pimpale Price Quirke Rager Ramírez Ríos Rossi Rousseau Sánchez Santos
Schaeffer Scheurer Schmidt Schneider Schoots Sharma Sheshadri Silva Šimek Sleight Smith Sokolov Stickland
Suzuki Svoboda Syed Takahashi Tanaka Taufeeque Thomas Torres Tucker Turner Valentine Varga Verdun Volkov
Wagner Wang Ward Weber Wen Wiśniewski Wright Wu Wybitul Yamamoto Yılmaz Yip Zhang Zhong Zieliński Żukowski""".split()

ADJ = """adversarial aligned automated robust sparse scalable latent causal deceptive emergent faithful honest
interpretable mechanistic multimodal persistent probabilistic recurrent safe steerable strategic structured
synthetic temporal transferable unsupervised verified compositional contrastive counterfactual distributional
hierarchical implicit linear low-rank modular neural nonlinear open-ended reward-free situational
sycophantic targeted uncertain zero-shot few-shot long-horizon agentic hidden superficial brittle""".split()

NOUN = """alignment abstraction activations agents attention autoencoders backdoors benchmarks behaviours capabilities
circuits concepts control deception dictionaries directions distillation editing evaluations features
fine-tuning generalization goals gradients hallucinations heads honesty jailbreaks knowledge misalignment
monitors neurons oversight planning poisoning preferences probes refusal representations reward rewards
robustness sandbagging saliency scheming shortcuts steering subnetworks superposition tampering transcoders
trojans uncertainty unlearning values watermarks world-models manipulation specifications sleeper-agents
situational-awareness reasoning chain-of-thought debate critiques influence memorization""".split()
NOUN_PHRASES = """sparse autoencoders|reward hacking|reward models|language models|vision-language models|
chain-of-thought monitoring|sleeper agents|situational awareness|activation steering|refusal directions|
feature circuits|attention heads|induction heads|linear probes|model organisms|scalable oversight|
AI control|red teaming|latent adversarial training|gradient routing|dictionary learning|data poisoning|
goal misgeneralization|deceptive alignment|specification gaming|preference learning|constitutional training|
weak-to-strong generalization|model welfare|capability evaluations|dangerous capabilities|honesty probes|
persona vectors|emergent misalignment|alignment faking|unlearning methods|backdoor triggers|jailbreak attacks|
prompt injection|tool-using agents|sandbagging detection|sycophancy|reasoning traces|world models|
board game models|group operations|compact proofs|circuit discovery|transcoders|crosscoders|
safety fine-tuning|RLHF|direct preference optimization|reinforcement learning from AI feedback|
in-context learning|out-of-context reasoning|superposition|polysemantic neurons|residual stream features""".replace(
    "\n", "").split("|")
MODELS = """Transformers|Language Models|Large Language Models|LLMs|Vision-Language Models|Reinforcement Learners|
Chess Engines|Sokoban Agents|Mamba|Small Transformers|Frontier Models|Code Models|Reward Models|
Diffusion Models|Multimodal Agents|Chat Assistants|Othello-GPT|GPT-2|Llama Models|Open-Weight Models""".replace(
    "\n", "").split("|")
GERUND = """Measuring Detecting Understanding Evaluating Interpreting Steering Localizing Mitigating Probing Training
Auditing Benchmarking Characterizing Discovering Eliciting Explaining Finding Forecasting Improving
Investigating Monitoring Quantifying Removing Scaling Stress-Testing Unlearning Verifying Attributing""".split()
VERB = """reveal mediate predict improve hide amplify suppress generalize transfer fail explain underperform
encode localize mislead resist emerge persist""".split()
PREFIX = "Lu Vo Sa Ke Mi Ra To Ze Pa Do Fi Na Qu Be Co Ga Ha Ju Li Mo Nu Ri Si Ta Vi Xa Yo Zu Ar El On Ix Ul".split()
SUFFIX = "Bench Lens Probe Scope Guard Trace Map Net Eval Gym Set Kit Bot Forge Scan Atlas Graph Mark".split()
DATASETS = """QuALITY|APPS|MMLU|GSM8K|HumanEval|TruthfulQA|BeaverTails|HarmBench|WMDP|SWE-bench|
TinyStories|OpenWebText|the Pile|Othello transcripts|chess games|CIFAR-10|ImageNet""".replace("\n", "").split("|")
METRICS = "accuracy|AUROC|attack success rate|faithfulness|recall|calibration error|win rate|F1".split("|")
CLAIMS = """are linearly represented|transfer across model families|persist through safety training|
emerge early in training|can be removed with little capability loss|generalize out of distribution|
are hard to detect with black-box methods|depend on a small set of attention heads|
degrade under distribution shift|scale predictably with model size|are mediated by a single direction""".replace(
    "\n", "").split("|")
FILLER = [
    "Prior work on {np} has focused on {np2}, leaving open whether {np3} {claim}.",
    "We study {np} in {model} and ask when {np2} {claim}.",
    "We introduce {coined}, {a_adj} method for {gerund_l} {np2} that requires no labelled data.",
    "Using {np3}, we show that {np} {claim}.",
    "On {dataset}, our approach improves {metric} by {pct}% over the strongest baseline.",
    "Our analysis of {n} {model_l} reveals that {np2} {claim}.",
    "We release {coined} together with code to reproduce every experiment.",
    "These results suggest that {np} is a promising tool for {np3}, though {adj} {noun} remain a challenge.",
    "Finally, we find that {adj} {noun} {verb} {np2} in {pct}% of cases.",
    "Experiments across {n} tasks show that {np} can {verb} {np3} without degrading {metric}.",
    "We argue that {np} matters for safety because {np2} {claim}.",
]


@dataclass(frozen=True)
class Synthetic:
    papers: list[dict]
    people: list[dict]


def _coined(rng: random.Random) -> str:
    name = rng.choice(PREFIX) + rng.choice(PREFIX).lower() + rng.choice(SUFFIX)
    return name if rng.random() < 0.8 else name + "-" + str(rng.randint(2, 9))


SMALL = frozenset("a an and as at by for in of on or the to with from via".split())


def _tc(text: str) -> str:
    """Title case that leaves acronyms and coined names alone: 'RLHF', 'GPT-2', 'Othello-GPT'."""
    out = []
    for i, word in enumerate(text.split()):
        if any(ch.isupper() for ch in word) or (i and word in SMALL):
            out.append(word)
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(out)


def _title(rng: random.Random) -> str:
    return _tc(_raw_title(rng))


def _raw_title(rng: random.Random) -> str:
    np1, np2 = rng.sample(NOUN_PHRASES, 2)
    cap = np1
    shape = rng.random()
    if shape < 0.25:
        return f"{_coined(rng)}: {rng.choice(GERUND)} {rng.choice(ADJ)} {np2} in {rng.choice(MODELS)}"
    if shape < 0.40:
        return f"Towards {rng.choice(ADJ)} {np1} for {np2}"
    if shape < 0.55:
        return f"{cap} {rng.choice(VERB)} {rng.choice(ADJ)} {rng.choice(NOUN)} in {rng.choice(MODELS)}"
    if shape < 0.65:
        return f"When Do {rng.choice(MODELS)} {rng.choice(VERB)} {np1}?"
    if shape < 0.75:
        return f"On the {rng.choice(ADJ)} {rng.choice(NOUN)} of {np1}"
    if shape < 0.87:
        return f"{rng.choice(GERUND)} {np1} with {rng.choice(ADJ)} {np2}"
    return f"{cap} Is {rng.choice(ADJ)}: {rng.choice(GERUND)} {np2} in {rng.choice(MODELS)}"


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


_FIELDS = {t: [f for _, f, _, _ in string.Formatter().parse(t) if f] for t in FILLER}


def _abstract(rng: random.Random, title: str) -> str:
    head = title.split(":")[0]
    coined = head if ":" in title and " " not in head else _coined(rng)
    fill = {
        "np": lambda: rng.choice(NOUN_PHRASES), "claim": lambda: rng.choice(CLAIMS),
        "model": lambda: rng.choice(MODELS), "model_l": lambda: rng.choice(MODELS).lower(),
        "coined": lambda: coined, "adj": lambda: rng.choice(ADJ), "a_adj": lambda: _a(rng.choice(ADJ)), "noun": lambda: rng.choice(NOUN),
        "verb": lambda: rng.choice(VERB), "gerund_l": lambda: rng.choice(GERUND).lower(),
        "dataset": lambda: rng.choice(DATASETS), "metric": lambda: rng.choice(METRICS),
        "pct": lambda: rng.randint(3, 60), "n": lambda: rng.randint(3, 40),
    }
    fill["np2"] = fill["np3"] = fill["np"]
    out = []
    for template in rng.sample(FILLER, rng.randint(5, 8)):
        out.append(template.format(**{f: fill[f]() for f in _FIELDS[template]}))
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def _people(rng: random.Random, count: int) -> list[dict]:
    people: list[dict] = []
    seen: set[str] = set()
    while len(people) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        roll = rng.random()
        if roll < 0.12:
            name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        elif roll < 0.18:
            name = f"{first} {last}-{rng.choice(LAST)}"
        elif roll < 0.22:
            name = f"{first} {rng.choice(FIRST)} {last}"
        else:
            name = f"{first} {last}"
        key = fold(name)
        if key in seen:
            continue
        seen.add(key)
        person: dict = {"id": "-".join(key.split()), "name": name}
        short = {"Alexander": "Alex", "Samuel": "Sam", "Benjamin": "Ben", "Daniel": "Dan", "Joseph": "Joe"}
        if first in short and rng.random() < 0.3:
            alias = name.replace(first, short[first], 1)
            if fold(alias) not in seen:
                seen.add(fold(alias))
                person["aliases"] = [alias]
        people.append(person)
    return people


def generate(n_papers: int, seed: int = 20241006) -> Synthetic:
    """*n_papers* papers and about 0.6 × as many people, identical for the same (n, seed)."""
    rng = random.Random(f"{seed}:{n_papers}")
    people = _people(rng, max(20, int(n_papers * 0.6)))
    # A few prolific authors and a long tail, like a real field.
    cum, total = [], 0.0
    for i in range(len(people)):
        total += 1.0 / (1 + i) ** 0.6
        cum.append(total)
    papers: list[dict] = []
    titles: set[str] = set()
    start = dt.date(2019, 1, 1).toordinal()
    span = dt.date(2025, 12, 31).toordinal() - start
    while len(papers) < n_papers:
        title = _title(rng)
        key = fold(title)
        if key in titles:
            continue
        titles.add(key)
        authors = []
        for person in rng.choices(people, cum_weights=cum, k=rng.randint(1, 7)):
            if person not in authors:
                authors.append(person)
        credited = [p["aliases"][0] if "aliases" in p and rng.random() < 0.3 else p["name"] for p in authors]
        alumni = [c for c in credited if rng.random() < 0.4]
        slug = "-".join(key.split()[:7])[:60].strip("-")
        papers.append({
            "id": f"{slug}-{len(papers)}",
            "title": title,
            "abstract": _abstract(rng, title),
            "authors": credited,
            "alumni": alumni,
            "date": dt.date.fromordinal(start + rng.randrange(span)).isoformat(),
            "citations": int(rng.paretovariate(1.3)) - 1 if rng.random() < 0.8 else 0,
        })
    return Synthetic(papers, people)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def write_sources(synthetic: Synthetic, data_dir: Path) -> None:
    """papers.yaml, streams.yaml and program.yaml that `bot.build.build` accepts as they are."""
    data_dir.mkdir(parents=True, exist_ok=True)
    out = ["# Synthetic catalog written by bench.synth — not real papers.", "papers:"]
    for p in synthetic.papers:
        out.append(f"- id: {p['id']}\n  title: {_q(p['title'])}\n  abstract: {_q(p['abstract'])}\n  authors:")
        out.extend(f"  - {_q(a)}" for a in p["authors"])
        if p["alumni"]:
            out.append("  alumni:")
            out.extend(f"  - {_q(a)}" for a in p["alumni"])
        out.append(f"  date: {p['date']}\n  citations: {p['citations']}")
    out.append("people:")
    for person in synthetic.people:
        out.append(f"- id: {person['id']}\n  name: {_q(person['name'])}")
        if person.get("aliases"):
            out.append("  aliases:")
            out.extend(f"  - {_q(a)}" for a in person["aliases"])
    (data_dir / "papers.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    (data_dir / "streams.yaml").write_text(STREAMS_YAML, encoding="utf-8")
    (data_dir / "program.yaml").write_text(PROGRAM_YAML, encoding="utf-8")


STREAMS_YAML = """\
tracks:
- id: empirical
  name: Empirical
  editions: [synthetic]
  description: ML experiments on real models.
streams:
- id: synthetic-interpretability
  name: Synthetic Interpretability Stream
  nicknames: [synth interp]
  track: empirical
  mentors:
  - {name: Zoë Østergaard, role: mentor}
  description: Interpretability of small transformers with sparse autoencoders.
  cadence: {text: 1 hour weekly, frequency: weekly, duration_minutes: 60, format: one-on-one,
            ad_hoc: false, async_channel: Slack, reply_time: within a day}
  requirements: {essential: [Python]}
"""

PROGRAM_YAML = """\
editions:
- id: synthetic
  label: Synthetic edition
  source: bench.synth
  weeks: 10
  description: A synthetic edition for the benchmark.
  tracks: [empirical]
  application_stages: [General application]
key_dates:
- id: synthetic-start
  edition: synthetic
  name: Program starts
  date: 2025-09-28
  date_text: null
"""
