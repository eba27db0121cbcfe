"""/deadline list and /deadline calendar: the cog of bot/commands/deadlines.py."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.discord.bridge import describe, description, slash_group
from bot.discord.send import answer


class Deadlines(commands.Cog):
    deadline = slash_group("deadline")

    @deadline.command(name="list", description=description("deadline list"))
    @describe("deadline list")
    async def list_(self, interaction: discord.Interaction, past: bool = False, name: str | None = None) -> None:
        await answer(interaction, "deadline list", past=past, name=name)

    @deadline.command(name="calendar", description=description("deadline calendar"))
    async def calendar(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "deadline calendar")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Deadlines())
