"""/staff: deadlines, reminders and catalog for staff (the scheduler itself belongs to the client).

Discord hides the group from members without Manage Server (`default_member_permissions`), but
server admins can change command visibility, so the real gate is the in-code check against the
staff roles in config or the Manage Server permission (either makes a member staff).
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.commands.staff import announcement
from bot.discord.bridge import describe, description
from bot.discord.client import FellowshipBot
from bot.discord.reminders import DiscordSender
from bot.discord.send import answer, app_of
from bot.reminders.scheduler import Outgoing, SendError
from bot.text import fold

log = logging.getLogger(__name__)


def is_staff(interaction: discord.Interaction) -> bool:
    staff_roles = set(app_of(interaction).config.discord.staff_role_ids)
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    # Manage Server always counts (a server's owner and admins are staff), as config.example.yaml says
    return member.guild_permissions.manage_guild or any(role.id in staff_roles for role in member.roles)


async def deadline_ids(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    key = fold(current)
    found = [d for d in app_of(interaction).state.deadlines() if key in fold(f"{d.id} {d.title}")]
    return [app_commands.Choice(name=d.title[:100], value=d.id) for d in found[:25]]


class Staff(commands.Cog):
    staff = app_commands.Group(name="staff", description="Staff only: deadlines, reminders, catalog, insights",
                       default_permissions=discord.Permissions(manage_guild=True), guild_only=True)
    deadline = app_commands.Group(name="deadline", description="Add, change or remove deadlines", parent=staff)
    reminders = app_commands.Group(name="reminders", description="Where and when reminders are posted", parent=staff)
    catalog = app_commands.Group(name="catalog", description="Reload or inspect the catalog", parent=staff)

    def __init__(self, bot: FellowshipBot):
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Every /staff command, however deep: the in-code gate behind Discord's visibility setting."""
        if not is_staff(interaction):
            raise app_commands.CheckFailure("Staff only: this command needs a staff role or the Manage Server "
                                            "permission.")
        return True

    async def changed(self, interaction: discord.Interaction, path: str, **options: object) -> None:
        """A command that may change what is planned: the scheduler re-plans at once, even if
        answering the staff member failed (the change itself is already committed)."""
        try:
            await answer(interaction, path, **options)
        finally:
            self.bot.reminders_changed()

    @deadline.command(name="add", description=description("staff deadline add"))
    @describe("staff deadline add")
    async def add(self, interaction: discord.Interaction, title: str, when: str, timezone: str | None = None,
                  description: str | None = None, link: str | None = None) -> None:
        await self.changed(interaction, "staff deadline add", title=title, when=when, timezone=timezone,
                           description=description, link=link)

    @deadline.command(name="edit", description=description("staff deadline edit"))
    @describe("staff deadline edit")
    @app_commands.autocomplete(id=deadline_ids)
    async def edit(self, interaction: discord.Interaction, id: str, title: str | None = None, when: str | None = None,
                   timezone: str | None = None, description: str | None = None, link: str | None = None) -> None:
        await self.changed(interaction, "staff deadline edit", id=id, title=title, when=when, timezone=timezone,
                           description=description, link=link)

    @deadline.command(name="list", description=description("staff deadline list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "staff deadline list")

    @deadline.command(name="remove", description=description("staff deadline remove"))
    @describe("staff deadline remove")
    @app_commands.autocomplete(id=deadline_ids)
    async def remove(self, interaction: discord.Interaction, id: str) -> None:
        await self.changed(interaction, "staff deadline remove", id=id)

    @reminders.command(name="channel", description=description("staff reminders channel"))
    @describe("staff reminders channel")
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel,
                      role: discord.Role | None = None) -> None:
        await self.changed(interaction, "staff reminders channel", channel=channel.id, role=role.id if role else None)

    @reminders.command(name="offsets", description=description("staff reminders offsets"))
    @describe("staff reminders offsets")
    async def offsets(self, interaction: discord.Interaction, offsets: str) -> None:
        await self.changed(interaction, "staff reminders offsets", offsets=offsets)

    @reminders.command(name="preview", description=description("staff reminders preview"))
    async def preview(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "staff reminders preview")

    @reminders.command(name="announce", description=description("staff reminders announce"))
    @describe("staff reminders announce")
    @app_commands.autocomplete(id=deadline_ids)
    async def announce(self, interaction: discord.Interaction, id: str) -> None:
        # Acknowledge first: the post below awaits Discord (a 429's waits, a slow 5xx) and the staff
        # member's first response is due within 3 s; the answer follows as a followup.
        await interaction.response.defer(thinking=True, ephemeral=True)
        app = app_of(interaction)
        text, channel = announcement(app, id), app.state.channel_id()
        if text is not None and channel:
            role = app.state.role_id()
            try:
                await DiscordSender(self.bot).send(Outgoing(id, channel, 0, text, role, f"a{interaction.id}"[:25]))
            except SendError as exc:
                await interaction.followup.send(f"Could not post: {exc}", ephemeral=True,
                                                allowed_mentions=discord.AllowedMentions.none())
                return
        await answer(interaction, "staff reminders announce", id=id)

    @catalog.command(name="reload", description=description("staff catalog reload"))
    async def reload(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "staff catalog reload")

    @catalog.command(name="stats", description=description("staff catalog stats"))
    async def stats(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "staff catalog stats")

    @staff.command(name="insights", description=description("staff insights"))
    @describe("staff insights")
    async def insights(self, interaction: discord.Interaction,
                       days: app_commands.Range[int, 1, 3650] | None = None) -> None:
        await answer(interaction, "staff insights", days=days)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, FellowshipBot), type(bot)
    await bot.add_cog(Staff(bot))
