"""Buttons clicked after a restart: a new bot instance (same config, same state database) answers the
page, did-you-mean and Remind-me buttons of messages the old one sent."""

from __future__ import annotations

import dataclasses

import discord

from bot.app import App
from bot.config import DiscordConfig
from tests.e2e.conftest import e2e_bot


def custom_ids(message) -> list[str]:
    return [c.custom_id for row in message.components for c in row.children if getattr(c, "custom_id", None)]


async def restart(env) -> None:
    old = env.bot.app
    app = App(old.config, clock=old.clock)
    app.open()
    await env.restart_bot(e2e_bot(app))
    assert env.bot.app is app and app is not old


async def test_buttons_work_after_a_restart(world):
    env, guild, channel, alice, bob = world
    role = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    env.bot.app.config = dataclasses.replace(env.bot.app.config, discord=DiscordConfig(staff_role_ids=(role.id,)))
    sam = guild.add_member(env.create_user("sam"), roles=[role])
    await sam.slash(channel, "staff reminders offsets", offsets="1d, 1h")
    await sam.slash(channel, "staff deadline add", title="Final report", when="2026-01-03 12:00")
    paged = await alice.slash(channel, "alumni")
    first = paged.response.embeds[0].fields[0].name
    suggested = await alice.slash(channel, "person", name="Panickssery")
    listed = await bob.slash(channel, "deadline list")
    paged_id, suggested_id, listed_id = paged.response.id, suggested.response.id, listed.response.id

    await restart(env)

    turned = await alice.click(paged.response, label="Next ▶")
    assert turned.response.id == paged_id and turned.response.embeds[0].fields[0].name.startswith("11.")
    back = await alice.click(turned.response, label="◀ Previous")
    assert back.response.embeds[0].fields[0].name == first
    refused = await bob.click(turned.response, label="Next ▶")
    assert "Only the person who asked" in refused.response.content
    clicked = await alice.click(suggested.response, label="Nina Panickssery")
    assert clicked.response.embeds[0].title == "Nina Panickssery" and suggested.response.id == suggested_id
    followed = await bob.click(listed.response, custom_id="follow:final-report")
    assert "1d, 1h before it" in followed.response.content and listed.response.id == listed_id
    await env.advance_time(36 * 3600 + 60)
    [dm] = bob.user.dm_channel.history()
    assert "Final report" in dm.content
    await restart(env)
    stopped = await bob.user.click(dm, custom_id=custom_ids(dm)[0])
    assert "Stopped" in stopped.response.content and env.bot.app.state.follows() == []
