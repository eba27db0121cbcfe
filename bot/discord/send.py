"""Sending a core `Reply` to Discord: message kwargs and its buttons, every one persistent.

The payload itself (content, embeds, limits, custom_ids) is made by `Reply.payload`, the same body the
console prints with `--json`; this module only turns it into discord.py calls. Every button is a
discord.py `DynamicItem` whose custom_id carries what a click needs, so it works for as long as the
message exists, across restarts:
- page turns: 'page:<invocation>:<p|c|n>:<page>:<owner>' — the command behind the reply is kept in
  the state database (no member id there; the owner is in the id, as Discord already shows it);
- did you mean: 'run:<command>|<options>' runs the suggestion for whoever clicks;
- 👍/👎 (bot/discord/votes.py) and 🔔 Remind me / Stop (bot/discord/reminders.py).
They are registered at start-up in bot/discord/client.py (DYNAMIC_ITEMS).
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import discord
from discord import app_commands

from bot.discord.errors import guarded
from bot.discord.reminders import control_button
from bot.discord.votes import vote_button
from bot.insights import recorder
from bot.reminders.state import StateError
from bot.reply import Reply, decode_action
from bot.text import shorten

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
PAGE_PREFIX = "page:"
RUN_PREFIX = "run:"
Invocation = tuple[str, dict[str, Any]]
"""The command and options a reply answered (what a page turn runs again)."""


@runtime_checkable
class HasApp(Protocol):
    """The client (FellowshipBot) as this module needs it, without importing it (it imports us)."""

    app: App


def app_of(interaction: discord.Interaction) -> App:
    """The App behind the client that received *interaction* (always our FellowshipBot)."""
    client = interaction.client
    assert isinstance(client, HasApp), type(client)
    return client.app


def message_kwargs(reply: Reply, page: int = 0) -> dict[str, Any]:
    body = reply.payload(page)
    return {"content": body["content"] or None,
            "embeds": [discord.Embed.from_dict(e) for e in body["embeds"]],
            "allowed_mentions": NONE}


def files(reply: Reply) -> list[discord.File]:
    return [discord.File(io.BytesIO(a.data), filename=a.filename, description=a.description or None)
            for a in reply.attachments]


class PageButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=re.escape(PAGE_PREFIX) + r"(?P<inv>\d{1,18}):(?P<kind>[pcn]):(?P<page>\d{1,4}):(?P<owner>\d{1,20})"):
    """◀ Previous / n/N / Next ▶ of a paged reply; only the member who asked turns the pages."""

    def __init__(self, invocation_id: int, kind: str, page: int, owner_id: int, *, label: str = "",
                 disabled: bool = False, style: discord.ButtonStyle = discord.ButtonStyle.primary,
                 row: int | None = None):
        super().__init__(discord.ui.Button(
            label=label or {"p": "◀ Previous", "n": "Next ▶"}.get(kind, str(page + 1)), style=style,
            disabled=disabled, custom_id=f"{PAGE_PREFIX}{invocation_id}:{kind}:{page}:{owner_id}", row=row))
        self.invocation_id, self.kind, self.page, self.owner_id = invocation_id, kind, page, owner_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PageButton:
        return cls(int(match["inv"]), match["kind"], int(match["page"]), int(match["owner"]))

    @guarded("a page button")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("Only the person who asked can turn these pages.",
                                                    ephemeral=True, allowed_mentions=NONE)
            return
        app = app_of(interaction)
        kept = app.state.invocation(self.invocation_id)
        if kept is None:
            await interaction.response.send_message("These pages are too old to turn: ask again.", ephemeral=True,
                                                    allowed_mentions=NONE)
            return
        path, options, vote_id = kept
        reply = app.commands.run(app, path, options, member_id=interaction.user.id)
        reply.vote_id = vote_id
        page = max(0, min(self.page, len(reply.pages) - 1))
        view = reply_view(reply, self.owner_id, (path, options), app, page=page, invocation_id=self.invocation_id)
        await interaction.response.edit_message(**message_kwargs(reply, page), view=view)


class SuggestionButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=re.escape(RUN_PREFIX) + r"(?P<action>[^|]{1,60}\|.*)"):
    """A 'did you mean' button: runs the suggested command for whoever clicks it."""

    def __init__(self, custom_id: str, label: str = "…", *, row: int | None = None):
        super().__init__(discord.ui.Button(label=label[:80], style=discord.ButtonStyle.secondary,
                                           custom_id=custom_id, row=row))
        self.custom_id = custom_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str]) -> SuggestionButton:
        return cls(match.string)

    @guarded("a did-you-mean button")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        action = decode_action(self.custom_id)
        if action is None:
            await interaction.response.send_message("That button no longer works.", ephemeral=True,
                                                    allowed_mentions=NONE)
            return
        path, options = action
        await respond(interaction, recorder.run(app_of(interaction), path, options, via="button",
                                                member_id=interaction.user.id), invocation=(path, dict(options)))


def reply_view(reply: Reply, owner_id: int, invocation: Invocation | None, app: App, *, page: int = 0,
               invocation_id: int | None = None) -> discord.ui.View | None:
    """The persistent buttons of *reply* at *page* (None when it has none). A paged reply's command
    is remembered once (its id goes in the page buttons).
    """
    rows = reply.payload(page)["components"]
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for row_index, row in enumerate(rows):
        for spec in row["components"]:
            custom_id, label = spec["custom_id"], spec["label"]
            item: discord.ui.Item[Any] | None = vote_button(custom_id, row=row_index) or \
                control_button(custom_id, label, row=row_index)
            if item is None and custom_id.startswith(PAGE_PREFIX):
                if invocation is None:
                    continue  # no command to run again (should not happen): leave the page as it is
                if invocation_id is None:
                    try:
                        invocation_id = app.state.remember(invocation[0], invocation[1], reply.vote_id, app.now())
                    except StateError as exc:  # the answer still goes out, on one page without its turns
                        log.error("page buttons left out, the command could not be kept: %s", exc)
                        invocation = None
                        continue
                target = custom_id[len(PAGE_PREFIX):]
                number = int(target) if target.lstrip("-").isdigit() else None
                kind = "c" if number is None else ("p" if number < page else "n")
                item = PageButton(invocation_id, kind, max(0, page if number is None else number), owner_id, label=label,
                                  disabled=spec["disabled"], style=discord.ButtonStyle(spec["style"]), row=row_index)
            elif item is None and custom_id.startswith(RUN_PREFIX):
                item = SuggestionButton(custom_id, label, row=row_index)
            if item is not None:
                view.add_item(item)
    return view


async def respond(interaction: discord.Interaction, reply: Reply, invocation: Invocation | None = None) -> None:
    """Send *reply* as the interaction's response (or as a followup when already deferred);
    *invocation* is the command it answered, for its page buttons.
    """
    kwargs = message_kwargs(reply)
    view = reply_view(reply, interaction.user.id, invocation, app_of(interaction))
    extra: dict[str, Any] = {"ephemeral": reply.ephemeral}
    if view is not None:
        extra["view"] = view
    attached = files(reply)
    if attached:
        extra["files"] = attached
    if interaction.response.is_done():
        await interaction.followup.send(**{k: v for k, v in kwargs.items() if v is not None}, wait=True, **extra)
    else:
        await interaction.response.send_message(**kwargs, **extra)


async def answer(interaction: discord.Interaction, path: str, **options: Any) -> None:
    """Run one registered command for *interaction* and send its reply (the cogs' one-liner).

    Commands declared `defer=True` (slow by nature: rebuilds, calendars) acknowledge first so
    Discord's 3-second deadline always holds; the rest answer from memory in milliseconds.
    """
    app = app_of(interaction)
    cmd = app.commands.get(path)
    member = interaction.user.id
    if cmd is not None and cmd.defer:
        if not interaction.response.is_done():  # a cog may have acknowledged already
            await interaction.response.defer(thinking=True, ephemeral=cmd.staff)
        reply = await asyncio.to_thread(recorder.run, app, path, options, via="slash", member_id=member)
    else:
        reply = recorder.run(app, path, options, via="slash", member_id=member)
    await respond(interaction, reply, invocation=(path, dict(options)))


def autocomplete_choices(app: App, kind: str, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete from memory: ≤25 choices, names 1–100 characters, ids as values."""
    out = []
    for hit in app.search.complete(kind, current, 25):
        name = shorten(hit.label, 100) or hit.id[:100]
        if len(hit.id) <= 100:
            out.append(app_commands.Choice(name=name, value=hit.id))
    return out[:25]


def autocompleter(kind: str) -> Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    """An autocomplete callback for an option whose values are catalog ids of *kind*."""

    async def complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return autocomplete_choices(app_of(interaction), kind, current)

    return complete
