"""/program: the cog of bot/commands/program.py."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bridge import describe, description, option_choices
from bot.discord.send import answer


class Program(commands.Cog):
    @app_commands.command(name="program", description=description("program"))
    @describe("program")
    @option_choices("program", "topic")
    @option_choices("program", "edition")
    async def program(self, interaction: discord.Interaction, topic: str | None = None,
                      edition: str | None = None, query: str | None = None) -> None:
        await answer(interaction, "program", topic=topic, edition=edition, query=query)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Program())
