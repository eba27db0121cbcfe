"""The one error handler: every slash command and every button answers a failure the same way.

discord.py gives the command tree an `on_error`, but only logs what a button (a `DynamicItem`) raises,
and the member's click then spins until Discord gives up. So the tree's handler and every button's
callback (`guarded`) end here: one registry of the errors a member can be told about (`KNOWN`), each
with its reply; anything else is unexpected: the member gets a polite line, the staff log channel the
error (through the client's `report_error`, once per 10 minutes for a repeat), the log everything.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

import discord
from discord import app_commands

from bot.reminders.state import StateError
from bot.text import quote

log = logging.getLogger(__name__)
NOT_ALLOWED = "You are not allowed to use this command."
UNEXPECTED = "Sorry, something went wrong answering that. Staff have been told."


@dataclass(frozen=True)
class Known:
    """An error members are told about in words of its own; `report`: staff must hear of it too."""

    kind: type[BaseException]
    reply: Callable[[BaseException], str]
    report: bool


KNOWN: tuple[Known, ...] = (
    Known(app_commands.CheckFailure, lambda e: str(e) or NOT_ALLOWED, report=False),
    # a change the state database could not keep (disk full, read-only): never reported as kept
    Known(StateError, lambda e: f"⚠️ Your change was NOT saved: {e}", report=True),
)
"""Every error with its own member reply, first match wins; anything else is UNEXPECTED."""


@runtime_checkable
class Reporting(Protocol):
    """The client (FellowshipBot) as this module needs it, without importing it (it imports us)."""

    async def report_error(self, where: str, exc: BaseException,
                           options: Mapping[str, object] | None = None) -> None: ...


def member_reply(error: BaseException) -> tuple[str, bool]:
    """What the member is told, and whether staff must hear of it."""
    known = next((k for k in KNOWN if isinstance(error, k.kind)), None)
    return (known.reply(error), known.report) if known else (UNEXPECTED, True)


async def handle(interaction: discord.Interaction[Any], error: BaseException, where: str,
                 options: Mapping[str, object]) -> None:
    """Answer the member first (Discord's 3 s for a first response must not wait on the staff post),
    then tell staff when the registry says so.
    """
    original = getattr(error, "original", error)  # the tree wraps a command's error in CommandInvokeError
    if not isinstance(original, BaseException):
        original = error
    text, report = member_reply(original)
    if report:
        log.error("%s %s failed: %r", where, dict(options), original, exc_info=original)
    else:
        log.warning("refused %s for user %s: %s", where, interaction.user.id, text)
    await tell_member(interaction, text)
    if report and isinstance(interaction.client, Reporting):
        await interaction.client.report_error(where, original, options)


async def tell_member(interaction: discord.Interaction[Any], text: str) -> None:
    none = discord.AllowedMentions.none()
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=none)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=none)
    except discord.HTTPException as exc:
        log.error("could not report the error to the user: %s", exc)


ItemT = TypeVar("ItemT", bound=discord.ui.Item[Any])
Callback = Callable[[ItemT, discord.Interaction[Any]], Coroutine[Any, Any, None]]


def guarded(where: str) -> Callable[[Callback[ItemT]], Callback[ItemT]]:
    """A button's callback behind the one handler; *where* names the button in the staff alert."""

    def wrap(fn: Callback[ItemT]) -> Callback[ItemT]:
        @functools.wraps(fn)
        async def callback(self: ItemT, interaction: discord.Interaction[Any]) -> None:
            try:
                await fn(self, interaction)
            except Exception as exc:
                custom_id = getattr(self, "custom_id", None)
                await handle(interaction, exc, where, {"button": quote(str(custom_id), 60)})

        return callback

    return wrap
