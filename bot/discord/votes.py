"""👍/👎 on answers: a discord.py `DynamicItem`, so the buttons work after any restart.

Everything a click needs is in its custom_id ('vote:<record id>:up|down'); the vote itself goes to
`bot.insights` (one per member per reply, changeable). The client registers `VoteButton` with
`add_dynamic_items` at start-up; a live reply's view holds the same item.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Literal

import discord

from bot.discord.errors import guarded
from bot.insights.store import Vote
from bot.reply import VOTE_PREFIX

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
Direction = Literal["up", "down"]
VOTES: dict[Direction, Vote] = {"up": 1, "down": -1}
THANKS = {"recorded": "Thanks, your {emoji} is recorded: it helps staff improve the answers.",
          "changed": "Changed to {emoji}: thanks.",
          "unchanged": "You already gave this answer a {emoji}.",
          "gone": "This answer is too old to rate now."}


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=re.escape(VOTE_PREFIX) + r"(?P<record>\d{1,18}):(?P<direction>up|down)"):
    def __init__(self, record_id: int, direction: Direction, *, row: int | None = None):
        super().__init__(discord.ui.Button(
            label="👍" if direction == "up" else "👎", style=discord.ButtonStyle.secondary,
            custom_id=f"{VOTE_PREFIX}{record_id}:{direction}", row=row))
        self.record_id, self.direction = record_id, direction

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str]) -> VoteButton:
        direction: Direction = "up" if match["direction"] == "up" else "down"
        return cls(int(match["record"]), direction)

    @guarded("the 👍/👎 button")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        app = interaction.client.app
        if not app.insights.enabled:
            await interaction.response.send_message("Ratings are switched off.", ephemeral=True, allowed_mentions=NONE)
            return
        result = app.insights.vote(self.record_id, interaction.user.id, VOTES[self.direction], app.now())
        log.info("vote %s on record %s: %s", self.direction, self.record_id, result)
        emoji = "👍" if self.direction == "up" else "👎"
        await interaction.response.send_message(THANKS[result].format(emoji=emoji), ephemeral=True,
                                                allowed_mentions=NONE)


def vote_button(custom_id: str, row: int | None = None) -> VoteButton | None:
    """The button for a reply's 'vote:…' custom_id (None when it is not one)."""
    m = re.fullmatch(VoteButton.__discord_ui_compiled_template__, custom_id)
    if m is None:
        return None
    return VoteButton(int(m["record"]), "up" if m["direction"] == "up" else "down", row=row)
