"""A reply, built once without Discord, then sent to Discord or printed on the console.

Discord's limits are enforced here, where replies are made, so no caller can produce a message that
Discord would reject: embed title 256, description 4096, 25 fields, field name 256 / value 1024,
footer 2048, 6000 characters per message, content 2000, 5 buttons per row, custom_id 100.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.text import shorten

TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, EMBED_TOTAL, CONTENT = (
    256, 4096, 25, 256, 1024, 2048, 6000, 2000)
MAX_EMBEDS = 10
DESCRIPTION_ROOM = 100
"""Fields are dropped (last first) until at least this much is left for the description."""
EMBED_MIN = 200
"""An embed that would get fewer characters than this is left out of the message."""
CUSTOM_ID, BUTTON_LABEL = 100, 80
ReplyKind = Literal["answer", "asked-back", "no-match", "error"]
"""What a reply is, so callers can log and test it without parsing its text."""
EPHEMERAL = 1 << 6
COLOR = 0x5865F2
NO_MENTIONS: dict[str, Any] = {"parse": []}


@dataclass
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass
class Embed:
    title: str = ""
    description: str = ""
    url: str | None = None
    fields: list[Field] = field(default_factory=list)
    footer: str = ""

    def add(self, name: str, value: str | None, inline: bool = False) -> Embed:
        if value:
            self.fields.append(Field(name, value, inline))
        return self

    def fitted(self, budget: int = EMBED_TOTAL) -> Embed:
        """A copy within every embed limit and within *budget* characters (what the message's earlier
        embeds left of Discord's 6000 per message); cuts are marked with '…' at a word boundary.
        """
        budget = min(budget, EMBED_TOTAL)
        title = shorten(self.title, min(TITLE, budget))
        fields = [Field(shorten(f.name, FIELD_NAME), shorten(f.value, FIELD_VALUE), f.inline)
                  for f in self.fields[:FIELDS]]
        footer = shorten(self.footer, FOOTER)
        fixed = len(title) + len(footer) + sum(len(f.name) + len(f.value) for f in fields)
        while fixed > budget - DESCRIPTION_ROOM and fields:
            dropped = fields.pop()
            fixed -= len(dropped.name) + len(dropped.value)
        if fixed > budget:  # even without fields: the footer goes, then the title is cut
            footer, fixed = "", len(title)
            title = shorten(title, budget)
            fixed = len(title)
        description = shorten(self.description, max(0, min(DESCRIPTION, budget - fixed)))
        return Embed(title, description, self.url, fields, footer)

    def size(self) -> int:
        """Characters Discord counts towards the 6000 of a message."""
        return len(self.title) + len(self.description) + len(self.footer) + sum(
            len(f.name) + len(f.value) for f in self.fields)

    def to_dict(self, budget: int = EMBED_TOTAL) -> dict[str, Any]:
        e = self.fitted(budget)
        out: dict[str, Any] = {"type": "rich", "color": COLOR}
        if e.title:
            out["title"] = e.title
        if e.description:
            out["description"] = e.description
        if e.url:
            out["url"] = e.url
        if e.fields:
            out["fields"] = [{"name": f.name, "value": f.value, "inline": f.inline} for f in e.fields]
        if e.footer:
            out["footer"] = {"text": e.footer}
        return out


def fitted_embeds(embeds: list[Embed]) -> list[dict[str, Any]]:
    """At most 10 embeds sharing one 6000-character budget: each takes what the earlier ones left;
    one that would get less than `EMBED_MIN` is left out rather than shown as a stub.
    """
    out: list[dict[str, Any]] = []
    left = EMBED_TOTAL
    for embed in embeds[:MAX_EMBEDS]:
        if left < EMBED_MIN:
            break
        fitted = embed.fitted(left)
        left -= fitted.size()
        out.append(fitted.to_dict())
    return out


@dataclass
class Page:
    content: str = ""
    embeds: list[Embed] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    """A 'did you mean' button: runs *command* with *options* for whoever clicks it."""

    label: str
    command: str
    options: tuple[tuple[str, str], ...]

    @property
    def custom_id(self) -> str:
        return encode_action(self.command, dict(self.options))


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    description: str = ""


@dataclass(frozen=True)
class Understood:
    """How a question was read (intent, entities, confidence 0–1): the one seam through which the
    question reader tells `bot.insights` what it made of a question, whatever the reader's shape.
    """

    intent: str
    entities: tuple[str, ...] = ()
    confidence: float | None = None
    asked_back: bool = False  # the reader asked the member which reading they meant


@dataclass(frozen=True)
class Control:
    """A button that works on its own, after any restart: its custom_id carries what a click needs and
    a persistent handler registered at start-up answers it (e.g. 'follow:<deadline>').
    """

    label: str
    custom_id: str


CONTROLS_PER_ROW, CONTROL_ROWS = 5, 2


VOTE_PREFIX = "vote:"
"""custom_id of a 👍/👎 button: 'vote:<record id>:up|down' (the record lives in bot.insights)."""


@dataclass
class Reply:
    pages: list[Page]
    ephemeral: bool = False
    suggestions: list[Suggestion] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    kind: ReplyKind = "answer"
    understood: Understood | None = None  # set by /ask: how the question was read
    vote_id: int | None = None  # the insights record a 👍/👎 row votes on (only on recorded answers)
    controls: list[Control] = field(default_factory=list)  # e.g. 🔔 Remind me per deadline (≤ 2 rows)

    def __post_init__(self) -> None:
        if not self.pages:  # a reply always has a first page to send and to head with 'Read as:'
            self.pages = [Page()]

    @classmethod
    def text(cls, content: str, *, ephemeral: bool = False, kind: ReplyKind = "answer",
             suggestions: list[Suggestion] | None = None) -> Reply:
        return cls([Page(content=content)], ephemeral=ephemeral, kind=kind, suggestions=suggestions or [])

    @classmethod
    def embed(cls, embed: Embed, content: str = "", **kw: Any) -> Reply:
        return cls([Page(content, [embed])], **kw)

    def payload(self, page: int = 0) -> dict[str, Any]:
        """The message body Discord receives for *page* (interaction response data / message create)."""
        page = max(0, min(page, len(self.pages) - 1))
        current = self.pages[page]
        body: dict[str, Any] = {
            "content": shorten(current.content, CONTENT),
            "embeds": fitted_embeds(current.embeds),
            "components": self.components(page),
            "allowed_mentions": dict(NO_MENTIONS),
        }
        if self.ephemeral:
            body["flags"] = EPHEMERAL
        if self.attachments:
            body["attachments"] = [{"id": i, "filename": a.filename, "description": a.description[:1024]}
                                   for i, a in enumerate(self.attachments)]
        return body

    def components(self, page: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        total = len(self.pages)
        if total > 1:
            rows.append({"type": 1, "components": [
                _button("◀ Previous", f"page:{page - 1}", disabled=page == 0),
                _button(f"{page + 1}/{total}", "page:noop", disabled=True, style=2),
                _button("Next ▶", f"page:{page + 1}", disabled=page >= total - 1),
            ]})
        buttons = [_button(s.label, s.custom_id, style=2) for s in self.suggestions
                   if len(s.custom_id) <= CUSTOM_ID][:5]
        if buttons:
            rows.append({"type": 1, "components": buttons})
        controls = [c for c in self.controls if len(c.custom_id) <= CUSTOM_ID][:CONTROLS_PER_ROW * CONTROL_ROWS]
        for i in range(0, len(controls), CONTROLS_PER_ROW):
            rows.append({"type": 1, "components": [_button(c.label, c.custom_id, style=2)
                                                   for c in controls[i : i + CONTROLS_PER_ROW]]})
        if self.vote_id is not None:
            rows.append({"type": 1, "components": [
                _button("👍", f"{VOTE_PREFIX}{self.vote_id}:up", style=2),
                _button("👎", f"{VOTE_PREFIX}{self.vote_id}:down", style=2),
            ]})
        return rows


def _button(label: str, custom_id: str, *, disabled: bool = False, style: int = 1) -> dict[str, Any]:
    return {"type": 2, "style": style, "label": shorten(label, BUTTON_LABEL), "custom_id": custom_id,
            "disabled": disabled}


def encode_action(command: str, options: dict[str, str]) -> str:
    """custom_id for a button that runs a command: 'run:person|name=arjun-panickssery'."""
    return "run:" + command + "|" + "&".join(f"{k}={v}" for k, v in options.items())


def decode_action(custom_id: str) -> tuple[str, dict[str, str]] | None:
    if not custom_id.startswith("run:") or "|" not in custom_id:
        return None
    command, _, raw = custom_id[4:].partition("|")
    options = dict(part.split("=", 1) for part in raw.split("&") if "=" in part)
    return command, options


def paginate(embeds: list[Embed], per_page: int = 1, content: str = "") -> list[Page]:
    pages = [Page(content, embeds[i : i + per_page]) for i in range(0, len(embeds), per_page)]
    return pages or [Page(content)]


# -- time ----------------------------------------------------------------------------------------
def stamp(when: dt.datetime) -> str:
    """Discord timestamps: each reader sees their own local time and a live countdown."""
    unix = int(when.timestamp())
    return f"<t:{unix}:F> (<t:{unix}:R>)"


_STAMP = re.compile(r"<t:(-?\d+):([tTdDfFR])>")


RELATIVE_UNITS = (("second", 1, 45), ("minute", 60, 45 * 60), ("hour", 3600, 22 * 3600),
                  ("day", 86400, 26 * 86400), ("month", 30 * 86400, 320 * 86400), ("year", 365 * 86400, None))
"""(unit, seconds, used below this many seconds): rounded to the nearest unit, as Discord's own relative
timestamps read, so a deadline 'in 3 days' typed a moment ago is not 'in 2 days' (2 days 23:59:59)."""


def relative(delta: dt.timedelta) -> str:
    seconds = delta.total_seconds()
    future = seconds >= 0
    seconds = abs(seconds)
    for unit, size, below in RELATIVE_UNITS:
        if below is None or seconds < below:
            n = round(seconds / size) if unit == "second" else max(1, round(seconds / size))
            text = f"{n} {unit}{'s' if n != 1 else ''}"
            return f"in {text}" if future else f"{text} ago"
    return "now"


def plain_time(text: str, now: dt.datetime) -> str:
    """Console form of Discord timestamps: UTC plus relative time."""

    def sub(m: re.Match[str]) -> str:
        when = dt.datetime.fromtimestamp(int(m.group(1)), dt.UTC)
        if m.group(2) == "R":
            return relative(when - now)
        return when.strftime("%a %d %b %Y %H:%M UTC")

    return _STAMP.sub(sub, text)


def render(reply: Reply, now: dt.datetime, page: int | None = None) -> str:
    """The reply as readable console text (all pages unless one is asked for)."""
    out: list[str] = []
    indexes = range(len(reply.pages)) if page is None else [max(0, min(page, len(reply.pages) - 1))]
    body = reply.payload(0)
    for i in indexes:
        body = reply.payload(i)
        # the first page opens with its answer, as in Discord; one page asked for says which it is
        if len(reply.pages) > 1 and (i or page is not None):
            out.append(f"── page {i + 1}/{len(reply.pages)} ──")
        if body["content"]:
            out.append(body["content"])
        for e in body["embeds"]:
            if "title" in e:
                out.append(f"## {e['title']}")
            if "description" in e:
                out.append(e["description"])
            for f in e.get("fields", []):
                out.append(f"**{f['name']}**: {f['value']}" if f["inline"] else f"**{f['name']}**\n{f['value']}")
            if "footer" in e:
                out.append(f"_{e['footer']['text']}_")
            out.append("")
    buttons = [b["label"] for row in body["components"] for b in row["components"] if b["custom_id"].startswith("run:")]
    if buttons:
        out.append("[buttons] " + " · ".join(buttons))
    for a in reply.attachments:
        out.append(f"[attachment] {a.filename} ({len(a.data)} bytes)")
    if reply.ephemeral:
        out.append("(only you can see this)")
    return plain_time("\n".join(out).rstrip(), now)
