"""/ask and @mentions: plain questions, answered through bot.ask like the console does.

A per-member cooldown keeps one member from flooding a channel. Only messages that mention the bot
are read; the question (mentions and markup stripped, no member id) is recorded by bot.insights.
"""

from __future__ import annotations

import datetime as dt
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bridge import describe, description
from bot.discord.client import FellowshipBot
from bot.discord.send import message_kwargs, reply_view, respond
from bot.insights import recorder

BOT_MENTION = re.compile(r"<@!?\d+>")


class Ask(commands.Cog):
    def __init__(self, bot: FellowshipBot):
        self.bot = bot
        self.last_asked: dict[int, dt.datetime] = {}

    def wait_left(self, user_id: int) -> int:
        """Seconds this member must still wait; 0 records the question as asked now."""
        cooldown = self.bot.app.config.ask_cooldown
        now = discord.utils.utcnow()
        last = self.last_asked.get(user_id)
        if last is not None and (now - last).total_seconds() < cooldown:
            return max(1, int(cooldown - (now - last).total_seconds()))
        self.last_asked[user_id] = now
        return 0

    @app_commands.command(name="ask", description=description("ask"))
    @describe("ask")
    async def ask_command(self, interaction: discord.Interaction, question: str) -> None:
        wait = self.wait_left(interaction.user.id)
        if wait:
            await interaction.response.send_message(f"One question at a time: ask again in {wait} s.",
                                                    ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
            return
        reply = recorder.run(self.bot.app, "ask", {"question": question}, via="slash",
                             member_id=interaction.user.id)
        await respond(interaction, reply, invocation=("ask", {"question": question}))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if message.author.bot or me is None or me not in message.mentions:
            return
        ping = self.bot.app.config.discord.ping_on_reply
        mentions = discord.AllowedMentions(everyone=False, users=False, roles=False, replied_user=ping)
        if self.wait_left(message.author.id):
            await message.add_reaction("⏳")
            return
        question = BOT_MENTION.sub(" ", message.content).strip()
        reply = recorder.run(self.bot.app, "ask", {"question": question}, via="mention",
                             member_id=message.author.id)
        kwargs = message_kwargs(reply)
        kwargs["allowed_mentions"] = mentions
        view = reply_view(reply, message.author.id, ("ask", {"question": question}), self.bot.app)
        if view is not None:
            kwargs["view"] = view
        await message.reply(mention_author=ping, **kwargs)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, FellowshipBot), type(bot)
    await bot.add_cog(Ask(bot))
