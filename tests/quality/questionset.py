"""Scoring plain questions by the question sets' token rules (see tests/quality/data/README.md).

An item passes when every answer group has one alternative in the reply, no forbidden token is in
it, a `no_answer` item's reply says plainly, in its first line, that the pages do not say, and a
`no_ping` item's reply pings no one. A failing item is *confident wrong* when the reply presents itself as the answer: it
neither asks back nor says that it does not know.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.reply import Reply, render

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)

_FOLD = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "ß": "ss",
                       "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
PING = re.compile(r"@everyone|@here|<@[!&]?\d+>")
SAYS_NOT_ON_PAGES = re.compile(
    r"\b(?:do|does|did) not (?:say|name|give|list|mention|state|show|know)|not announced|not on the (?:program's )?pages"
    r"|no (?:paper|stream|mentor|person|one|alumn\w*)s?\** (?:in the catalog )?(?:of [\w .'-]{1,60}? )?(?:on|about|matching|named|is|from|has)\b"
    r"|is not in the catalog|I could not match|not (?:listed|named|given|stated)"
    r"|no (?:upcoming )?deadlines? (?:have|has) been posted", re.IGNORECASE)
"""How a reply says plainly that the pages are silent: the wordings the bot uses for it. Only the
reply's first line counts: a member reads the answer there, and a card further down may hold
'not announced' for some other field (the dates card does) without the reply saying it is silent."""
ASKS_BACK = re.compile(r"Which one did you mean|Did you mean|fits more than one", re.IGNORECASE)


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.translate(_FOLD))
    s = "".join(c for c in s if not unicodedata.combining(c))
    for ch in "\u200b\u200c\u200d\ufeff":
        s = s.replace(ch, "")
    return re.sub(r"\s+", " ", s).casefold().strip()


def has_token(text: str, token: str) -> bool:
    """Substring match; a token that begins or ends with a digit must not touch another digit there."""
    t = norm(token)
    left = r"(?<!\d)" if t[:1].isdigit() else ""
    right = r"(?!\d)" if t[-1:].isdigit() else ""
    return re.search(left + re.escape(t) + right, text) is not None


@dataclass(frozen=True)
class Outcome:
    id: str
    kind: str
    question: str
    passed: bool
    confident_wrong: bool
    reason: str


def load(name: str) -> list[dict[str, Any]]:
    items = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(items, list)
    return items


_ESCAPE = re.compile(r"\\([\\*_`~|\[\]>#-])")


def reply_text(reply: Reply) -> str:
    """What a member reads: every page as the console shows it, markdown escapes rendered away."""
    return _ESCAPE.sub(r"\1", render(reply, NOW))


def first_line(text: str) -> str:
    """The answer sentence: the reply's first non-empty line."""
    return next((line for line in text.splitlines() if line.strip()), "")


def score(item: dict[str, Any], reply: Reply) -> Outcome:
    expect = item.get("expect") or {}
    raw = reply_text(reply)
    text = norm(raw)
    reasons = []
    for group in expect.get("answer_tokens") or []:
        if not any(has_token(text, t) for t in group):
            reasons.append(f"missing {group}")
    for token in expect.get("forbidden_tokens") or []:
        if has_token(text, token):
            reasons.append(f"forbidden {token!r}")
    says_not = SAYS_NOT_ON_PAGES.search(first_line(raw)) is not None
    if expect.get("no_answer") and not says_not:
        reasons.append("does not say the pages are silent")
    body = json.dumps([reply.payload(i) for i in range(len(reply.pages))], ensure_ascii=False)
    if PING.search(body.replace("\\u200b", "\u200b")):
        reasons.append("pings")
    passed = not reasons
    hedged = ASKS_BACK.search(raw) is not None or (says_not and not expect.get("answer_tokens"))
    confident_wrong = not passed and not hedged and reply.kind == "answer"
    return Outcome(item["id"], item["kind"], item["question"], passed, confident_wrong, "; ".join(reasons))


def per_kind(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    table: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        ok, n = table.get(o.kind, (0, 0))
        table[o.kind] = (ok + o.passed, n + 1)
    return dict(sorted(table.items()))


def summary(name: str, outcomes: list[Outcome]) -> str:
    lines = [f"{name}: {sum(o.passed for o in outcomes)}/{len(outcomes)} "
             f"({sum(o.passed for o in outcomes) / max(1, len(outcomes)):.1%}), "
             f"confident wrong: {sum(o.confident_wrong for o in outcomes)}"]
    for kind, (ok, n) in per_kind(outcomes).items():
        lines.append(f"  {kind:<16} {ok:>3}/{n:<3} {ok / n:.2f}")
    return "\n".join(lines)
