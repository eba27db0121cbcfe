"""/program, /deadline list and /help."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.discord_commands import choices, describe, description, group
from bot.discord_reply import answer


class Program(commands.Cog):
    deadline = group("deadline")

    @app_commands.command(name="program", description=description("program"))
    @describe("program")
    @choices("program", "topic")
    async def program(self, interaction, topic: str | None = None) -> None:
        await answer(interaction, "program", topic=topic)

    @deadline.command(name="list", description=description("deadline list"))
    @describe("deadline list")
    async def list_(self, interaction, past: bool = False) -> None:
        await answer(interaction, "deadline list", past=past)

    @deadline.command(name="calendar", description=description("deadline calendar"))
    async def calendar(self, interaction) -> None:
        await answer(interaction, "deadline calendar")

    @app_commands.command(name="help", description=description("help"))
    async def help(self, interaction) -> None:
        await answer(interaction, "help")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Program())
