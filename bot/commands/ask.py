"""/ask: a question in plain words, read into a command and answered by exactly that command."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.commands.registry import Area, Option
from bot.questions.reader import Reading, readings
from bot.reply import Page, Reply, Suggestion, Understood
from bot.text import clean, neutral, quote, shorten

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("ask")


@AREA.command("ask", "Ask in plain words: mentors, cadence, papers, people, dates",
         "/ask question:how often does Arthur Conmy meet fellows?",
         Option("question", "Your question, in plain words", required=True))
def ask(app: App, question: str) -> Reply:
    text = clean(question, 300)
    if not re.search(r"\w", text):
        return Reply.text("Ask me anything about the program, for example “how often does the Anthropic "
                          "stream meet?” or “papers about sparse autoencoders”.", ephemeral=True, kind="error")
    found = readings(app, text)
    if not found:
        reply = Reply.text(
            f"I could not match “{quote(text)}” to anything the program's pages or papers cover. "
            "Try `/paper search`, `/stream list`, `/program topic:dates` or `/help`.",
            ephemeral=True, kind="no-match")
        reply.understood = Understood(intent="none", confidence=0.0)
        return reply
    first, others = found[0], found[1:3]
    reply = app.commands.run(app, first.path, dict(first.options))
    heading = f"Read as: {neutral(first.label)} — `/{first.path}"
    heading += "".join(f" {k}:{neutral(shorten(v, 40))}" for k, v in first.options) + "`"
    page = reply.pages[0]
    reply.pages[0] = Page(shorten(heading, 300) + ("\n" + page.content if page.content else ""), page.embeds)
    buttons = [Suggestion(shorten(f"Or: {o.label}", 80), o.path, o.options) for o in others]
    reply.suggestions = [*buttons, *reply.suggestions][:5]
    reply.understood = understood(first)
    return reply


WEIGHT_SCALE = 100.0
"""The reader's weights run to about 100 for a clear reading: divided by this, a 0–1 confidence."""


def understood(reading: Reading) -> Understood:
    """The reading as the insights record it (the seam: a new reader only changes this function)."""
    return Understood(intent=reading.path, entities=tuple(v for _, v in reading.options),
                      confidence=round(min(1.0, reading.weight / WEIGHT_SCALE), 3))

