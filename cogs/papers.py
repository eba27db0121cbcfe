"""/paper search, /paper show, /paper top."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bridge import describe, description, option_choices, slash_group
from bot.discord.send import answer, autocompleter


class Papers(commands.Cog):
    paper = slash_group("paper")

    @paper.command(name="search", description=description("paper search"))
    @describe("paper search")
    async def search(self, interaction: discord.Interaction, query: str) -> None:
        await answer(interaction, "paper search", query=query)

    @paper.command(name="show", description=description("paper show"))
    @describe("paper show")
    @app_commands.autocomplete(title=autocompleter("paper"))
    async def show(self, interaction: discord.Interaction, title: str) -> None:
        await answer(interaction, "paper show", title=title)

    @paper.command(name="top", description=description("paper top"))
    @describe("paper top")
    @option_choices("paper top", "sort")
    async def top(self, interaction: discord.Interaction, sort: str | None = None,
                  year: app_commands.Range[int, 1900, 2100] | None = None,
                  month: app_commands.Range[int, 1, 12] | None = None) -> None:
        await answer(interaction, "paper top", sort=sort, year=year, month=month)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Papers())
