"""/help: every command with an example, generated from the registry so it can never fall behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.registry import Area
from bot.reply import Embed, Reply

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("help")


@AREA.command("help", "Every command with an example", "/help")
def help_(app: App) -> Reply:
    lines = [f"`{c.example}` — {c.description}" for c in app.commands.listed(include_staff=False)]
    intro = "Ask with a slash command, or in plain words with `/ask` or by mentioning me."
    embed = Embed(title="What I can answer", description="\n".join([intro, "", *lines]))
    if any(c.staff for c in app.commands.listed()):  # members are not shown what they cannot run
        embed.add("Staff", "Staff have their own commands under `/staff` (deadlines, reminders, catalog).")
    embed.footer = "Options autocomplete as you type; typos and missing accents are fine."
    sentence = ("I answer from the program's pages and the alumni papers: papers and their authors, alumni, "
                "streams, mentors and how often they meet, tracks, dates, applying and staff deadlines.")
    return Reply.embed(embed, sentence, ephemeral=True)
