"""/person, /alumni, /coauthors and /authors."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bridge import describe, description
from bot.discord.send import answer, autocompleter


class People(commands.Cog):
    @app_commands.command(name="person", description=description("person"))
    @describe("person")
    @app_commands.autocomplete(name=autocompleter("person"))
    async def person(self, interaction: discord.Interaction, name: str) -> None:
        await answer(interaction, "person", name=name)

    @app_commands.command(name="alumni", description=description("alumni"))
    @describe("alumni")
    @app_commands.autocomplete(name=autocompleter("alumnus"))
    async def alumni(self, interaction: discord.Interaction, name: str | None = None,
                     min_papers: app_commands.Range[int, 1, 100] | None = None) -> None:
        await answer(interaction, "alumni", name=name, min_papers=min_papers)

    @app_commands.command(name="coauthors", description=description("coauthors"))
    @describe("coauthors")
    @app_commands.autocomplete(name=autocompleter("person"), other=autocompleter("person"))
    async def coauthors(self, interaction: discord.Interaction, name: str, other: str | None = None) -> None:
        await answer(interaction, "coauthors", name=name, other=other)

    @app_commands.command(name="authors", description=description("authors"))
    @describe("authors")
    async def authors(self, interaction: discord.Interaction,
                      limit: app_commands.Range[int, 1, 100] | None = None) -> None:
        await answer(interaction, "authors", limit=limit)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(People())
