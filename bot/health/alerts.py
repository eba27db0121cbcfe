"""Unexpected errors, worded for the staff log channel: once per 10 minutes each, then a summary.

Discord-free and driven by an injected clock (no sleeps here): `report()` says what to post now,
`due()` which summaries of repeats are ready, `next_due()` when the next one will be. The same error
(same place, same exception type, same line) posted every time would bury the channel during an
outage, so repeats inside the window are only counted. Text that could hold a secret (the token, an
Authorization header, anything shaped like a Discord token) is redacted before it leaves.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

WINDOW = dt.timedelta(minutes=10)
"""The same error is posted at most once per this window; repeats inside it come as one summary."""
TRACEBACK_FRAMES = 4
"""The innermost frames are what staff need; the whole stack is in the log."""
ALERT_CHARS = 1900
"""Under Discord's 2000-character message limit, with room for the code fence."""
OPTION_CHARS = 300
MIN_SECRET_CHARS = 8

REDACTED = "[redacted]"
_TOKEN_SHAPE = re.compile(r"[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}")
_NAMED_SECRET = re.compile(r"(?i)\b(authorization|token|password|secret|api[_-]?key)(\W{1,3})(bot\s+)?([^\s'\",}]+)")
_BOT_HEADER = re.compile(r"(?i)\bBot\s+[\w.-]{20,}")
_ROOT = str(Path(__file__).resolve().parents[2]) + "/"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """*text* without any secret we know of or anything shaped like one."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_CHARS:
            text = text.replace(secret, REDACTED)
    text = _TOKEN_SHAPE.sub(REDACTED, text)
    text = _BOT_HEADER.sub("Bot " + REDACTED, text)
    return _NAMED_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


def short_traceback(exc: BaseException) -> str:
    """The innermost frames and the exception line, with paths relative to the project."""
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-TRACEBACK_FRAMES)
    text = "".join(lines).replace(_ROOT, "")
    return re.sub(r'File "[^"]*/site-packages/', 'File "', text).strip()


def _fingerprint(where: str, exc: BaseException) -> tuple[str, str, str]:
    """Same place, same exception type, same innermost line = the same error (not the message:
    it often holds an id that differs every time).
    """
    frames = traceback.extract_tb(exc.__traceback__)
    line = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return where, type(exc).__qualname__, line


def _code(text: str, limit: int) -> str:
    text = text.replace("```", "'''")
    if len(text) > limit:
        text = "…" + text[-(limit - 1):]
    return f"```py\n{text}\n```"


def _hhmm(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%H:%M UTC")


@dataclass
class _Seen:
    posted_at: dt.datetime
    headline: str
    repeats: int = 0
    first_repeat: dt.datetime | None = None
    last_repeat: dt.datetime | None = None


class Alerts:
    def __init__(self, clock: Callable[[], dt.datetime], *, window: dt.timedelta = WINDOW,
                 secrets: Callable[[], Iterable[str]] = tuple):
        self.clock, self.window, self.secrets = clock, window, secrets
        self._seen: dict[tuple[str, str, str], _Seen] = {}

    def report(self, where: str, exc: BaseException, options: Mapping[str, object] | None = None) -> list[str]:
        """What to post now for this error: the full alert, or nothing when it is a repeat."""
        now = self.clock()
        key = _fingerprint(where, exc)
        secrets = list(self.secrets())
        headline = scrub(f"{type(exc).__qualname__}: {exc}", secrets)[:200]
        seen = self._seen.get(key)
        if seen is not None and now - seen.posted_at < self.window:
            seen.repeats += 1
            seen.first_repeat = seen.first_repeat or now
            seen.last_repeat = now
            return []
        out = self._summaries(now, only=key) if seen is not None else []
        self._seen[key] = _Seen(now, headline)
        shown = " ".join(f"{k}:{str(v)[:OPTION_CHARS]!r}" for k, v in (options or {}).items() if v is not None)
        head = scrub(f"⚠️ **Unexpected error** in `{where}`" + (f" {shown}" if shown else ""), secrets)
        foot = (f"At {_hhmm(now)}. The same error is posted at most once per {int(self.window.total_seconds() // 60)}"
                " minutes; repeats follow as a summary.")
        room = ALERT_CHARS - len(head) - len(foot) - 20
        out.append(f"{head}\n{_code(scrub(short_traceback(exc), secrets), room)}\n{foot}")
        return out

    def due(self) -> list[str]:
        """Summaries of repeats whose window has closed (each resets that error's window)."""
        return self._summaries(self.clock())

    def next_due(self) -> dt.datetime | None:
        """When the next summary will be ready (None when no repeat is waiting)."""
        times = [s.posted_at + self.window for s in self._seen.values() if s.repeats]
        return min(times, default=None)

    def _summaries(self, now: dt.datetime, only: tuple[str, str, str] | None = None) -> list[str]:
        out = []
        for key, seen in self._seen.items():
            if (only is not None and key != only) or not seen.repeats or now - seen.posted_at < self.window:
                continue
            assert seen.first_repeat is not None and seen.last_repeat is not None
            times = "time" if seen.repeats == 1 else "times"
            out.append(f"🔁 The error in `{key[0]}` (`{seen.headline[:150]}`) happened **{seen.repeats} more"
                       f" {times}** between {_hhmm(seen.first_repeat)} and {_hhmm(seen.last_repeat)}.")
            self._seen[key] = _Seen(now, seen.headline)
        return out
