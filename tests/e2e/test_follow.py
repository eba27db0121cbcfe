"""Members follow deadlines ("Remind me") through the simulated Discord, with simulated time: DMs at
the offsets, a subset picked, /deadline mine and its Stop buttons, moves and removals, forget-me."""

from __future__ import annotations

import dataclasses

import discord

from bot.config import DiscordConfig


def staff(env, guild):
    role = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    env.bot.app.config = dataclasses.replace(env.bot.app.config, discord=DiscordConfig(staff_role_ids=(role.id,)))
    return guild.add_member(env.create_user("sam"), roles=[role])


def custom_ids(message) -> list[str]:
    return [c.custom_id for row in message.components for c in row.children if getattr(c, "custom_id", None)]


def dms(member) -> list[discord.Message]:
    return member.user.dm_channel.history()


async def setup_deadline(env, guild, channel, when="2026-01-03 12:00"):
    sam = staff(env, guild)
    await sam.slash(channel, "staff reminders offsets", offsets="1d, 1h")
    await sam.slash(channel, "staff deadline add", title="Final report", when=when, timezone="UTC")
    return sam


async def test_remind_me_on_the_list_brings_a_dm_at_the_simulated_minute(world):
    env, guild, channel, alice, bob = world
    await setup_deadline(env, guild, channel)
    listed = await alice.slash(channel, "deadline list")
    assert "follow:final-report" in custom_ids(listed.response.message)
    clicked = await alice.click(listed.response, custom_id="follow:final-report")
    assert clicked.ephemeral and "1d, 1h before it" in clicked.response.content
    assert env.bot.app.state.follows(alice.id)[0].deadline_id == "final-report"
    assert dms(alice) == []
    # 2026-01-01 00:00 now; the 1d reminder is due 2026-01-02 12:00
    await env.advance_time(36 * 3600 - 60)
    assert dms(alice) == [] and dms(bob) == []
    await env.advance_time(120)
    [dm] = dms(alice)
    assert dm.content.startswith("⏰ Your reminder: **Final report** is due <t:1767441600:F>")
    assert custom_ids(dm)[0].startswith("unfollow:final-report:r")  # Stop, and the reminder's marker
    assert dms(bob) == []
    await env.advance_time(24 * 3600)
    assert len(dms(alice)) == 2
    await env.advance_time(7 * 24 * 3600)
    assert len(dms(alice)) == 2, "once per member, deadline and offset"


async def test_a_member_picks_a_subset_and_stops_from_mine(world):
    env, guild, channel, alice, bob = world
    await setup_deadline(env, guild, channel)
    listed = await alice.slash(channel, "deadline list")
    clicked = await alice.click(listed.response, custom_id="follow:final-report")
    picked = await alice.select(clicked.response, ["3600"])
    assert "1h before it" in picked.response.content
    await bob.click(listed.response, custom_id="follow:final-report")
    mine = await alice.slash(channel, "deadline mine")
    assert mine.ephemeral and mine.response.embeds[0].fields[0].name == "Final report"
    assert "1h before" in mine.response.embeds[0].fields[0].value
    await env.advance_time(36 * 3600 + 60)
    assert dms(alice) == [] and len(dms(bob)) == 1  # alice chose only the 1h one
    stopped = await bob.user.click(dms(bob)[0], custom_id=custom_ids(dms(bob)[0])[0])  # Stop, in the DM
    assert "Stopped" in stopped.response.content
    await env.advance_time(24 * 3600)
    assert len(dms(alice)) == 1 and len(dms(bob)) == 1
    stop = await alice.click((await alice.slash(channel, "deadline mine")).response, custom_id="unfollow:final-report")
    assert "Stopped" in stop.response.content and env.bot.app.state.follows() == []


async def test_moving_moves_and_removing_cancels_a_members_reminders(world):
    env, guild, channel, alice, bob = world
    sam = await setup_deadline(env, guild, channel)
    listed = await alice.slash(channel, "deadline list")
    await alice.click(listed.response, custom_id="follow:final-report")
    await sam.slash(channel, "staff deadline edit", id="final-report", when="2026-01-05 12:00")
    await env.advance_time(36 * 3600 + 60)  # the old 1d time
    assert dms(alice) == []
    await env.advance_time(2 * 24 * 3600)  # the new 1d time (2026-01-04 12:00) has passed
    assert len(dms(alice)) == 1 and "<t:1767614400:F>" in dms(alice)[0].content
    await sam.slash(channel, "staff deadline remove", id="final-report")
    await env.advance_time(2 * 24 * 3600)
    assert len(dms(alice)) == 1, "never a reminder for a deadline that no longer exists"
    assert env.bot.app.state.follows() == []


async def test_forget_me_deletes_every_row_about_the_member(world):
    env, guild, channel, alice, bob = world
    await setup_deadline(env, guild, channel)
    listed = await alice.slash(channel, "deadline list")
    await alice.click(listed.response, custom_id="follow:final-report")
    await bob.click(listed.response, custom_id="follow:final-report")
    await env.advance_time(36 * 3600 + 60)
    assert len(dms(alice)) == 1
    gone = await alice.slash(channel, "deadline forget-me")
    assert gone.ephemeral and "stores nothing about you" in gone.response.content
    state = env.bot.app.state
    rows = state.conn.execute("SELECT COUNT(*) FROM reminders WHERE member_id=?", (alice.id,)).fetchone()[0]
    assert rows == 0 and [f.member_id for f in state.follows()] == [bob.id]
    await env.advance_time(24 * 3600)
    assert len(dms(alice)) == 1 and len(dms(bob)) == 2
    again = await alice.slash(channel, "deadline forget-me")
    assert "stores nothing about you" in again.response.content


async def test_the_channel_reminder_carries_remind_me(world):
    env, guild, channel, alice, bob = world
    sam = await setup_deadline(env, guild, channel)
    await sam.slash(channel, "staff reminders channel", channel=channel)
    await env.advance_time(36 * 3600 + 60)
    reminder = channel.last_message
    assert reminder.author == env.bot.user and "Final report" in reminder.content
    [button] = custom_ids(reminder)
    assert button.startswith("follow:final-report:r")
    clicked = await alice.click(reminder, custom_id=button)
    assert "1h before it" in clicked.response.content  # the 1d time has passed: only the 1h one is left
    await env.advance_time(24 * 3600)
    assert len(dms(alice)) == 1


async def test_the_times_picker_works_with_many_offsets_and_a_long_title(world):
    """Its custom_id is the deadline alone, so however many offsets staff set it fits Discord's 100
    characters (it once carried them all and was cut, losing the last ones)."""
    env, guild, channel, alice, bob = world
    sam = staff(env, guild)
    await sam.slash(channel, "staff reminders offsets", offsets="4w, 3w, 2w, 1w, 6d, 5d, 4d, 3d, 2d, 1d, 12h, 1h")
    await sam.slash(channel, "staff deadline add", title="The final research report of the summer cohort",
                    when="2026-03-01 12:00", timezone="UTC")
    [d] = env.bot.app.state.deadlines()
    assert len(d.id) >= 39
    listed = await alice.slash(channel, "deadline list")
    clicked = await alice.click(listed.response, custom_id=f"follow:{d.id}")
    [picker] = [c for row in clicked.response.message.components for c in row.children]
    assert picker.custom_id == f"followpick:{d.id}" and len(picker.options) == 12
    picked = await alice.select(clicked.response, ["86400", "3600"])
    assert "1d, 1h before it" in picked.response.content
    assert env.bot.app.state.follows(alice.id)[0].offsets == (86400, 3600)
