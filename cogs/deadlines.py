"""/deadline list, calendar, mine and forget-me: the cog of bot/commands/deadlines.py."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.discord.bridge import describe, description, slash_group
from bot.discord.client import FellowshipBot
from bot.discord.send import answer


class Deadlines(commands.Cog):
    deadline = slash_group("deadline")

    def __init__(self, bot: FellowshipBot):
        self.bot = bot

    @deadline.command(name="list", description=description("deadline list"))
    @describe("deadline list")
    async def list_(self, interaction: discord.Interaction, past: bool = False, name: str | None = None) -> None:
        await answer(interaction, "deadline list", past=past, name=name)

    @deadline.command(name="calendar", description=description("deadline calendar"))
    async def calendar(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "deadline calendar")

    @deadline.command(name="mine", description=description("deadline mine"))
    async def mine(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "deadline mine")

    @deadline.command(name="forget-me", description=description("deadline forget-me"))
    async def forget_me(self, interaction: discord.Interaction) -> None:
        try:
            await answer(interaction, "deadline forget-me")
        finally:
            self.bot.reminders_changed()


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, FellowshipBot), type(bot)
    await bot.add_cog(Deadlines(bot))
