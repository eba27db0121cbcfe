"""/stream show, /stream list, /mentor, /cadence."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bridge import describe, description, option_choices, slash_group
from bot.discord.send import answer, autocompleter


class Streams(commands.Cog):
    stream = slash_group("stream")

    @stream.command(name="show", description=description("stream show"))
    @describe("stream show")
    @option_choices("stream show", "field")
    @option_choices("stream show", "section")
    @app_commands.autocomplete(name=autocompleter("stream"))
    async def show(self, interaction: discord.Interaction, name: str, field: str | None = None,
                   section: str | None = None) -> None:
        await answer(interaction, "stream show", name=name, field=field, section=section)

    @stream.command(name="list", description=description("stream list"))
    @describe("stream list")
    @app_commands.autocomplete(track=autocompleter("track"))
    async def list_(self, interaction: discord.Interaction, track: str | None = None, query: str | None = None,
                    names: str | None = None) -> None:
        await answer(interaction, "stream list", track=track, query=query, names=names)

    @app_commands.command(name="track", description=description("track"))
    @describe("track")
    @app_commands.autocomplete(name=autocompleter("track"))
    async def track(self, interaction: discord.Interaction, name: str) -> None:
        await answer(interaction, "track", name=name)

    @app_commands.command(name="mentor", description=description("mentor"))
    @describe("mentor")
    @app_commands.autocomplete(name=autocompleter("mentor"))
    async def mentor(self, interaction: discord.Interaction, name: str) -> None:
        await answer(interaction, "mentor", name=name)

    @app_commands.command(name="cadence", description=description("cadence"))
    @describe("cadence")
    @app_commands.autocomplete(name=autocompleter("cadence"))
    async def cadence(self, interaction: discord.Interaction, name: str) -> None:
        await answer(interaction, "cadence", name=name)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Streams())
