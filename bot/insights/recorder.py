"""Running a member's command and recording it: the one path the Discord front ends answer through.

Every command gets one INFO log line with its outcome and latency (and counts in the metrics); the
questions and searches (`/ask`, @mentions and every command that takes words a member typed) are also
recorded in `bot.insights.store`, and their answers get a 👍/👎 row. The console is not recorded: it
is the operator's own shell.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot.commands.registry import Command
from bot.insights.store import Asked, Outcome, Via
from bot.reply import Reply
from bot.text import clean

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

QUESTION_CHARS = 300
_MARKUP = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:-?\d+(?::\w)?>|@(?:everyone|here)\b|[*_~`|>\\]+",
                     re.IGNORECASE)
_OUTCOMES: dict[str, Outcome] = {"answer": "answered", "asked-back": "asked-back", "no-match": "no-match",
                                 "error": "error"}

Timer = Callable[[], float]


def plain_question(text: str) -> str:
    """What the member asked, without mentions, custom emoji, timestamps or markdown."""
    return clean(_MARKUP.sub(" ", text or ""), QUESTION_CHARS)


def is_question(cmd: Command | None, options: Mapping[str, Any]) -> bool:
    """/ask, and any member command given free words (a query, a name, a title) — not staff ones, not
    a plain listing such as /alumni without a name.
    """
    if cmd is None or cmd.staff:
        return False
    return cmd.path == "ask" or bool(asked_text(cmd, options))


def outcome_of(reply: Reply) -> Outcome:
    if reply.understood is not None and reply.understood.asked_back:
        return "asked-back"
    return _OUTCOMES.get(reply.kind, "answered")


def asked_text(cmd: Command, options: Mapping[str, Any]) -> str:
    """The words the member typed: the free-text options, in declaration order."""
    parts = [str(options[o.name]) for o in cmd.options
             if o.type == "string" and not o.choices and options.get(o.name) not in (None, "")]
    return plain_question(" ".join(parts))


def run(app: App, path: str, options: Mapping[str, Any], *, via: Via, member_id: int | None,
        timer: Timer = time.perf_counter) -> Reply:
    """Answer *path* for a member, log it, count it, and record it when it is a question.

    An exception still propagates (to the one error handler) after being logged and recorded as
    an error. A recorded answer carries the record's id, for its 👍/👎 buttons.
    """
    cmd = app.commands.get(path)
    started = timer()
    try:
        reply = app.commands.run(app, path, dict(options), member_id=member_id)
    except Exception:
        _done(app, cmd, path, options, None, (timer() - started) * 1000, via, member_id)
        raise
    _done(app, cmd, path, options, reply, (timer() - started) * 1000, via, member_id)
    return reply


def _done(app: App, cmd: Command | None, path: str, options: Mapping[str, Any], reply: Reply | None,
          latency_ms: float, via: Via, member_id: int | None) -> None:
    outcome: Outcome = outcome_of(reply) if reply is not None else "error"
    log.info("/%s via %s: %s in %.1f ms", path, via, outcome, latency_ms)
    app.metrics.command(path, outcome, latency_ms / 1000)
    if via == "button" or cmd is None or not is_question(cmd, options) or not app.insights.enabled:
        return
    understood = reply.understood if reply is not None else None
    try:
        record_id = app.insights.record(Asked(
            at=app.now(), command=path, via=via, question=asked_text(cmd, options),
            intent=understood.intent if understood else path,
            entities=understood.entities if understood else (),
            confidence=understood.confidence if understood else None,
            outcome=outcome, latency_ms=latency_ms, member_id=member_id))
    except Exception:  # a full disk must not cost the member their answer
        log.exception("could not record /%s in the insights", path)
        return
    if reply is not None and outcome == "answered" and not reply.ephemeral:
        reply.vote_id = record_id
