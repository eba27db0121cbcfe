"""/help: the cog of bot/commands/help.py."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bridge import description
from bot.discord.send import answer


class Help(commands.Cog):
    @app_commands.command(name="help", description=description("help"))
    async def help(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "help")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Help())
