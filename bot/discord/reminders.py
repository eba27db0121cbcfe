"""The reminders' Discord side: the scheduler's sender, and the Remind-me / Stop buttons.

Every reminder message carries a button whose custom_id holds the reminder's nonce: in the channel
"🔔 Remind me" (`follow:<deadline>:<nonce>`), in a DM "Stop these reminders"
(`unfollow:<deadline>:<nonce>`). The button is what members use, and it is also the reminder's
marker: Discord returns components in the channel history, so after a crash the scheduler can tell
whether the reminder got out long after Discord forgot the nonce.

The buttons are discord.py `DynamicItem`s: everything a click needs is in the custom_id, so they work
after any restart (the client registers them at start-up, in bot/discord/client.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import aiohttp
import discord

from bot.discord.errors import guarded
from bot.reminders.deadlines import describe_offset
from bot.reminders.follows import FOLLOW_PREFIX, UNFOLLOW_PREFIX, follow, pick_offsets, unfollow
from bot.reminders.planner import offsets
from bot.reminders.scheduler import Outgoing, SendError

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
LOOK_BACK = dt.timedelta(minutes=2)  # clock skew between us and Discord's message timestamps
HISTORY_LIMIT = 200  # messages read after a crash, from the attempt's start on
CANNOT_DM = 50007  # Discord: "Cannot send messages to this user" (DMs closed, or the bot is blocked)
DMS_CLOSED = ("Discord refused the direct message: your DMs are closed to this server's members (or the bot "
              "is blocked). Allow direct messages from server members (Privacy Settings), then use Remind me again.")
CHANNEL_REFUSALS = {
    403: "the bot may not post in the reminder channel: give it View Channel and Send Messages there,"
         " or pick another channel with /staff reminders channel",
    404: "the reminder channel no longer exists: pick another with /staff reminders channel",
    429: "Discord is rate-limiting the bot",
}
"""What staff should know (and do) when Discord refuses a channel reminder, by status; shown in
/staff reminders preview beside the reminder."""
SERVER_ERROR = "Discord had a server error"
NONCE = r"r[0-9a-f]{24}"
_ID = r"(?P<deadline>[a-z0-9][a-z0-9-]{0,59})(?::(?P<nonce>" + NONCE + "))?"
PICK_PREFIX = "followpick:"


@runtime_checkable
class RemindingBot(Protocol):
    """What the buttons need of the client (FellowshipBot), without importing it (it imports us)."""

    app: App

    def reminders_changed(self) -> None: ...


def _bot(interaction: discord.Interaction[Any]) -> RemindingBot:
    client = interaction.client
    assert isinstance(client, RemindingBot), type(client)
    return client


def reminder_view(out: Outgoing) -> discord.ui.View:
    """The reminder's one button; it carries the nonce (the marker) when it is a reminder's."""
    nonce = out.nonce if re.fullmatch(NONCE, out.nonce) else None
    view = discord.ui.View(timeout=None)
    view.add_item(UnfollowButton(out.deadline_id, nonce) if out.member_id else FollowButton(out.deadline_id, nonce))
    return view


class DiscordSender:
    """Posts reminders with their nonce (enforce_nonce), lets exactly one role be pinged, sends a
    member's DMs, and finds a reminder already posted by its marker.
    """

    def __init__(self, bot: discord.Client):
        self.bot = bot

    async def _channel(self, out: Outgoing) -> discord.abc.Messageable:
        if out.member_id:
            return await self.bot.create_dm(discord.Object(out.member_id))  # cached after the first
        return self.bot.get_partial_messageable(out.channel_id)

    async def send(self, out: Outgoing) -> str:
        mentions = discord.AllowedMentions(everyone=False, users=False, replied_user=False,
                                           roles=[discord.Object(out.role_id)] if out.role_id else False)
        try:
            channel = await self._channel(out)
            message = await channel.send(out.content, nonce=out.nonce, allowed_mentions=mentions,
                                         view=reminder_view(out))
        except discord.HTTPException as exc:
            if out.member_id and exc.code == CANNOT_DM:
                raise SendError(DMS_CLOSED, permanent=True) from exc
            raise refusal(exc, out) from exc
        except (aiohttp.ClientError, OSError) as exc:  # OSError covers TimeoutError
            raise SendError(f"no answer from Discord: {exc!r}", uncertain=True) from exc
        return str(message.id)

    async def find(self, out: Outgoing, since: dt.datetime) -> str | None:
        me = self.bot.user.id if self.bot.user else None
        try:
            channel = await self._channel(out)
            async for m in channel.history(limit=HISTORY_LIMIT, after=since - LOOK_BACK, oldest_first=True):
                if m.author.id == me and any(out.nonce in (getattr(c, "custom_id", None) or "")
                                             for row in m.components for c in getattr(row, "children", [row])):
                    return str(m.id)
        except discord.HTTPException as exc:
            # As for a post: a 4xx but 429 (no Read Message History, the channel deleted) cannot
            # pass by itself, so the scheduler ends the reminder rather than looking forever.
            permanent = 400 <= exc.status < 500 and exc.status != 429
            raise SendError(f"{exc.status} {exc.text or exc}", uncertain=True, permanent=permanent) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise SendError(f"no answer from Discord: {exc!r}", uncertain=True) from exc
        return None


def refusal(exc: discord.HTTPException, out: Outgoing) -> SendError:
    """Discord's refusal of a post, as the scheduler acts on it and staff read it.

    Any 4xx but 429 is permanent (a 403 missing permission, a 404 deleted channel): a retry cannot
    succeed until staff act, and repeated refusals count against Discord's invalid-request limit. A
    429 reaches us only after discord.py's own waits and retries: tried again later. A 5xx may have
    posted it all the same (uncertain): looked for before it is sent again.
    """
    status = exc.status
    help_text = SERVER_ERROR if status >= 500 else "" if out.member_id else CHANNEL_REFUSALS.get(status, "")
    text = f"{status} {exc.text or type(exc).__name__}" + (f": {help_text}" if help_text else "")
    return SendError(text, uncertain=status >= 500, permanent=400 <= status < 500 and status != 429)


class FollowButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.escape(FOLLOW_PREFIX) + _ID):
    """🔔 Remind me: DMs before this deadline for whoever clicks, at the staff's offsets; the reply
    offers a subset.
    """

    def __init__(self, deadline_id: str, nonce: str | None = None, *, label: str = "🔔 Remind me",
                 row: int | None = None):
        custom_id = FOLLOW_PREFIX + deadline_id + (f":{nonce}" if nonce else "")
        super().__init__(discord.ui.Button(label=label[:80], style=discord.ButtonStyle.secondary,
                                           custom_id=custom_id, row=row))
        self.deadline_id = deadline_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str]) -> FollowButton:
        return cls(match["deadline"], match["nonce"])

    @guarded("the 🔔 Remind me button")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        # a follow plans every reminder again (thousands of rows): in a worker thread, off the event loop
        reply = await asyncio.to_thread(follow, bot.app, interaction.user.id, self.deadline_id)
        view = None
        staff = offsets(bot.app.state, bot.app.config)
        if reply.kind == "answer" and len(staff) > 1:
            view = discord.ui.View(timeout=None)
            view.add_item(PickOffsets(self.deadline_id, staff))
        if view is not None:
            await interaction.response.send_message(reply.pages[0].content, ephemeral=True, allowed_mentions=NONE,
                                                    view=view)
        else:
            await interaction.response.send_message(reply.pages[0].content, ephemeral=True, allowed_mentions=NONE)
        bot.reminders_changed()


class UnfollowButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.escape(UNFOLLOW_PREFIX) + _ID):
    """Stop a member's DMs for one deadline (in each DM and in /deadline mine)."""

    def __init__(self, deadline_id: str, nonce: str | None = None, *, label: str = "Stop these reminders",
                 row: int | None = None):
        custom_id = UNFOLLOW_PREFIX + deadline_id + (f":{nonce}" if nonce else "")
        super().__init__(discord.ui.Button(label=label[:80], style=discord.ButtonStyle.secondary,
                                           custom_id=custom_id, row=row))
        self.deadline_id = deadline_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str]) -> UnfollowButton:
        return cls(match["deadline"], match["nonce"])

    @guarded("the Stop these reminders button")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        reply = await asyncio.to_thread(unfollow, bot.app, interaction.user.id, self.deadline_id)
        await interaction.response.send_message(reply.pages[0].content, ephemeral=True, allowed_mentions=NONE)
        bot.reminders_changed()


class PickOffsets(discord.ui.DynamicItem[discord.ui.Select[Any]],
                  template=re.escape(PICK_PREFIX) + r"(?P<deadline>[a-z0-9][a-z0-9-]{0,59})(?::[0-9,]{1,60})?"):
    """The member's subset of the staff's offsets.

    The custom_id holds the deadline alone ('followpick:<id>', at most 71 characters of Discord's 100
    by design): the times offered are the staff's at the click, and `pick_offsets` keeps only those, so
    a choice the staff have since dropped is never planned. (Older pickers also carried the offsets,
    cut at 100 characters when there were many: still accepted, the tail ignored.)
    """

    def __init__(self, deadline_id: str, choices: list[int]):
        options = [discord.SelectOption(label=f"{describe_offset(c)} before", value=str(c), default=True)
                   for c in choices[:25]]
        super().__init__(discord.ui.Select(custom_id=f"{PICK_PREFIX}{deadline_id}", placeholder="When to remind you",
                                           min_values=1, max_values=len(options), options=options))
        self.deadline_id, self.choices = deadline_id, choices

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PickOffsets:
        app = _bot(interaction).app
        return cls(match["deadline"], offsets(app.state, app.config))

    @guarded("the reminder times picker")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        chosen = [int(v) for v in self.item.values if v.isdigit() and int(v) in self.choices]
        reply = await asyncio.to_thread(pick_offsets, bot.app, interaction.user.id, self.deadline_id, chosen)
        await interaction.response.send_message(reply.pages[0].content, ephemeral=True, allowed_mentions=NONE)
        bot.reminders_changed()


def control_button(custom_id: str, label: str, row: int | None = None) -> discord.ui.Item[Any] | None:
    """The persistent button for a reply's Remind-me / Stop control (None when it is not one)."""
    for cls in (FollowButton, UnfollowButton):
        m = re.fullmatch(cls.__discord_ui_compiled_template__, custom_id)
        if m is not None:
            return cls(m["deadline"], m["nonce"], label=label, row=row)
    return None
