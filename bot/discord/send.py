"""Sending a core `Reply` to Discord: message kwargs, page buttons, 'did you mean' buttons.

The payload itself (content, embeds, limits, custom_ids) is made by `Reply.payload`, the same body the
console prints with `--json`; this module only turns it into discord.py calls and keeps the buttons
alive for a while.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.discord.reminders import control_button
from bot.discord.votes import vote_button
from bot.insights import recorder
from bot.reply import Reply, decode_action
from bot.text import shorten

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
VIEW_TIMEOUT = 180.0
NONE = discord.AllowedMentions.none()


def app_of(interaction: discord.Interaction) -> App:
    """The App behind the client that received *interaction* (always our FellowshipBot)."""
    from bot.discord.client import FellowshipBot

    client = interaction.client
    assert isinstance(client, FellowshipBot), type(client)
    return client.app


def message_kwargs(reply: Reply, page: int = 0) -> dict[str, Any]:
    body = reply.payload(page)
    return {"content": body["content"] or None,
            "embeds": [discord.Embed.from_dict(e) for e in body["embeds"]],
            "allowed_mentions": NONE}


def files(reply: Reply) -> list[discord.File]:
    return [discord.File(io.BytesIO(a.data), filename=a.filename, description=a.description or None)
            for a in reply.attachments]


class ReplyView(discord.ui.View):
    """Buttons of one reply: page turns for the invoker only, suggestions for whoever sees them."""

    def __init__(self, reply: Reply, owner_id: int, page: int = 0, *, client: discord.Client | None = None):
        super().__init__(timeout=VIEW_TIMEOUT)
        self.reply, self.owner_id, self.page, self.client = reply, owner_id, page, client
        self.message: discord.Message | discord.InteractionMessage | None = None
        self._build()

    def _build(self) -> None:
        self.clear_items()
        for row_index, row in enumerate(self.reply.payload(self.page)["components"]):
            for spec in row["components"]:
                lasting = vote_button(spec["custom_id"], row=row_index) or \
                    control_button(spec["custom_id"], spec["label"], row=row_index)
                if lasting is not None:  # a DynamicItem: it keeps working after the view times out
                    self.add_item(lasting)
                    continue
                button: discord.ui.Button[ReplyView] = discord.ui.Button(
                    label=spec["label"], custom_id=spec["custom_id"], disabled=spec["disabled"],
                    style=discord.ButtonStyle(spec["style"]), row=row_index)
                button.callback = self._callback_for(spec["custom_id"])  # type: ignore[method-assign,assignment]
                self.add_item(button)

    def _callback_for(self, custom_id: str) -> Callable[[discord.Interaction], Awaitable[None]]:
        async def callback(interaction: discord.Interaction) -> None:
            if custom_id.startswith("page:"):
                await self.turn(interaction, custom_id)
            else:
                await self.suggest(interaction, custom_id)
        return callback

    async def turn(self, interaction: discord.Interaction, custom_id: str) -> None:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("Only the person who asked can turn these pages.",
                                                    ephemeral=True, allowed_mentions=NONE)
            return
        target = custom_id.split(":", 1)[1]
        if target.isdigit():
            self.page = min(int(target), len(self.reply.pages) - 1)
            self._build()
        await interaction.response.edit_message(**message_kwargs(self.reply, self.page), view=self)

    async def suggest(self, interaction: discord.Interaction, custom_id: str) -> None:
        action = decode_action(custom_id)
        if action is None:
            await interaction.response.send_message("That button no longer works.", ephemeral=True,
                                                    allowed_mentions=NONE)
            return
        path, options = action
        await respond(interaction, recorder.run(app_of(interaction), path, options, via="button",
                                                member_id=interaction.user.id))

    async def on_timeout(self) -> None:
        if self.client is not None:
            # discord.py forgets the dynamic item classes of a view it removes: keep them registered.
            from bot.discord.client import DYNAMIC_ITEMS

            self.client.add_dynamic_items(*DYNAMIC_ITEMS)
        for item in self.children:
            if isinstance(item, discord.ui.Button):  # not the 👍/👎 DynamicItems: those stay usable
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException as exc:  # message deleted, token expired: nothing to disable
                log.debug("could not disable buttons: %s", exc)


async def respond(interaction: discord.Interaction, reply: Reply) -> None:
    """Send *reply* as the interaction's response (or as a followup when already deferred)."""
    kwargs = message_kwargs(reply)
    view = ReplyView(reply, interaction.user.id, client=interaction.client) if reply.payload(0)["components"] else None
    extra: dict[str, Any] = {"ephemeral": reply.ephemeral}
    if view is not None:
        extra["view"] = view
    attached = files(reply)
    if attached:
        extra["files"] = attached
    message: discord.Message | discord.InteractionMessage | None
    if interaction.response.is_done():
        message = await interaction.followup.send(**{k: v for k, v in kwargs.items() if v is not None},
                                                  wait=True, **extra)
    else:
        await interaction.response.send_message(**kwargs, **extra)
        message = await interaction.original_response() if view is not None else None
    if view is not None:
        view.message = message


async def answer(interaction: discord.Interaction, path: str, **options: Any) -> None:
    """Run one registered command for *interaction* and send its reply (the cogs' one-liner).

    Commands declared `defer=True` (slow by nature: rebuilds, calendars) acknowledge first so
    Discord's 3-second deadline always holds; the rest answer from memory in milliseconds.
    """
    app = app_of(interaction)
    cmd = app.commands.get(path)
    member = interaction.user.id
    if cmd is not None and cmd.defer:
        await interaction.response.defer(thinking=True, ephemeral=cmd.staff)
        reply = await asyncio.to_thread(recorder.run, app, path, options, via="slash", member_id=member)
    else:
        reply = recorder.run(app, path, options, via="slash", member_id=member)
    await respond(interaction, reply)


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
