"""Everyday words for the field's terms: how members describe papers they half remember.

A member writes 'chatbot' for a language model, 'pictures' for images, 'fool' for mislead. This is
general English about machine learning, not about any one paper: each lay word stands also for the
technical words listed (which then count only when the catalog uses them, by stem).
"""

from __future__ import annotations

from bot.questions.lexicon import stem

_PAIRS = """
chatbot: chat assistant language llm llms model
chatbots: chat assistant language llm llms models
chat: language llm assistant
ai: model models llm
pictures: image images visual vision
picture: image images visual vision
photos: image images visual vision
doctored: adversarial perturbed optimized
multimodal: vision vlm vlms image
trick: jailbreak attack fool adversarial
tricks: jailbreak attack adversarial
fool: mislead deceive convince
fooled: mislead misled deceive convincing
fooling: mislead deceive convince
lie: deceive deception mislead
lying: deceive deception mislead
grading: evaluation evaluators judge rate
graders: evaluators judges humans
checking: evaluating evaluators verify
ratings: feedback rlhf preferences
rated: feedback rlhf
tuned: finetuned finetuning training trained rlhf
knob: direction feature vector
erase: ablate ablation remove erasing
remove: ablate ablation erase
worse: underperform underperformance sandbagging
underperform: sandbagging underperformance
deliberately: strategic strategically intentionally
purpose: deliberate deliberately intentional intentionally strategic strategically
cheat: hacking exploit
cheating: hacking exploit
guarantee: proof proofs bound verify verified
math: proof proofs formal
insides: internals mechanistic circuits interpretability
internals: mechanistic circuits interpretability
wiring: circuits circuit
chunks: modules modular modularity clusters
pieces: modules modular modularity clusters
separate: modular modularity clusters isolate
split: modular modularity partition
parts: subregions regions components modules
part: subregion region component module
cut: ablate ablation remove
nets: networks neural
network: networks neural
puzzle: sokoban game
game: games board chess othello
thinking: planning computation reasoning
plan: planning
scoring: reward
score: reward
penalty: kl regularization divergence
drifting: divergence kl
trigger: backdoor triggers
triggers: backdoor
cutoff: cut dates temporal
news: headlines events
future: events temporal
aware: awareness situational
know: awareness knowledge
harmful: harmful refusal
refuse: refusal
test: evaluation benchmark evaluations
tests: evaluations benchmark
dangerous: capability capabilities dangerous
testset: benchmark
benchmark: benchmark
grade: evaluate evaluating
econ: economics
biologist: biology
biologists: biology
physicist: physics
ops: operators operational
cs: computer science
grad: graduate academic undergraduates phd
ahead: advance future
moves: actions steps
bachelors: undergraduates undergraduate degree
bachelor: undergraduates undergraduate degree
ml: machine learning
begin: start starts
begins: start starts
"""

RELATED: dict[str, tuple[str, ...]] = {
    line.split(":")[0].strip(): tuple(line.split(":")[1].split()) for line in _PAIRS.strip().splitlines() if ":" in line
}
_BY_STEM: dict[str, tuple[str, ...]] = {}
for _word, _words in RELATED.items():
    _BY_STEM[stem(_word)] = tuple(dict.fromkeys((*_BY_STEM.get(stem(_word), ()), *_words)))


def related(word: str) -> tuple[str, ...]:
    """The technical words a lay word stands for, by the word or its stem ('net' as 'nets')."""
    return RELATED.get(word) or _BY_STEM.get(stem(word), ())
