"""/paper search, /paper show, /paper top, /paper count."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bridge import describe, description, option_choices, slash_group
from bot.discord.send import answer, autocompleter

Count = app_commands.Range[int, 0, 10_000_000]


class Papers(commands.Cog):
    paper = slash_group("paper")

    @paper.command(name="search", description=description("paper search"))
    @describe("paper search")
    async def search(self, interaction: discord.Interaction, query: str) -> None:
        await answer(interaction, "paper search", query=query)

    @paper.command(name="show", description=description("paper show"))
    @describe("paper show")
    @option_choices("paper show", "field")
    @app_commands.autocomplete(title=autocompleter("paper"))
    async def show(self, interaction: discord.Interaction, title: str, field: str | None = None,
                   find: str | None = None, number: bool | None = None) -> None:
        await answer(interaction, "paper show", title=title, field=field, find=find, number=number)

    @paper.command(name="top", description=description("paper top"))
    @describe("paper top")
    @option_choices("paper top", "sort")
    @option_choices("paper top", "order")
    @app_commands.autocomplete(author=autocompleter("person"))
    async def top(self, interaction: discord.Interaction, sort: str | None = None, order: str | None = None,
                  limit: app_commands.Range[int, 1, 25] | None = None,
                  year: app_commands.Range[int, 1900, 2100] | None = None,
                  month: app_commands.Range[int, 1, 12] | None = None, after: str | None = None,
                  before: str | None = None, author: str | None = None, alumni: bool | None = None,
                  query: str | None = None, min_citations: Count | None = None, max_citations: Count | None = None,
                  min_authors: Count | None = None, max_authors: Count | None = None,
                  min_alumni: Count | None = None, max_alumni: Count | None = None) -> None:
        await answer(interaction, "paper top", sort=sort, order=order, limit=limit, year=year, month=month,
                     after=after, before=before, author=author, alumni=alumni, query=query,
                     min_citations=min_citations, max_citations=max_citations, min_authors=min_authors,
                     max_authors=max_authors, min_alumni=min_alumni, max_alumni=max_alumni)

    @paper.command(name="count", description=description("paper count"))
    @describe("paper count")
    @option_choices("paper count", "by")
    @option_choices("paper count", "order")
    @app_commands.autocomplete(author=autocompleter("person"))
    async def count(self, interaction: discord.Interaction, by: str | None = None, order: str | None = None,
                    year: app_commands.Range[int, 1900, 2100] | None = None,
                    month: app_commands.Range[int, 1, 12] | None = None, after: str | None = None,
                    before: str | None = None, author: str | None = None, alumni: bool | None = None,
                    query: str | None = None, min_citations: Count | None = None,
                    max_citations: Count | None = None, min_authors: Count | None = None,
                    max_authors: Count | None = None, min_alumni: Count | None = None,
                    max_alumni: Count | None = None) -> None:
        await answer(interaction, "paper count", by=by, order=order, year=year, month=month, after=after,
                     before=before, author=author, alumni=alumni, query=query, min_citations=min_citations,
                     max_citations=max_citations, min_authors=min_authors, max_authors=max_authors,
                     min_alumni=min_alumni, max_alumni=max_alumni)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Papers())
