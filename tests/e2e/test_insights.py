"""What members ask, through the simulated Discord: recorded, rated, reported to staff only, kept 90 days."""

from __future__ import annotations

import csv
import io

import discord
import pytest
import simcord

from bot.config import InsightsConfig
from bot.insights.store import Insights
from tests.e2e.conftest import open_staff_to
from tests.e2e.test_staff import make_staff

NEVER_ANSWERED = ("where can I park my bike?", "Where can I park my bike??", "where can i park a bike")


def votes_of(message) -> list[str]:
    return [b.custom_id for row in message.components for b in row.children
            if b.custom_id and b.custom_id.startswith("vote:")]


async def test_unanswered_questions_are_grouped_and_counted_for_staff(world):
    env, guild, channel, alice, bob = world
    staffer = guild.add_member(env.create_user("sam"), roles=[make_staff(env, guild)])
    for text in NEVER_ANSWERED:
        await alice.slash(channel, "ask", question=text)
        await env.advance_time(10)  # past the per-member cooldown
    await bob.send(channel, f"{env.bot.user.mention} is there free pizza on fridays?")
    await bob.slash(channel, "paper search", query="refusal direction")
    await bob.slash(channel, "paper search", query="zzqx flibbertigibbet")

    result = await staffer.slash(channel, "staff insights", days=7)
    assert result.ephemeral
    embed = result.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    unanswered = fields["Top unanswered (grouped by wording)"].splitlines()
    assert unanswered[0].startswith("**3×**") and "park" in unanswered[0] and "(3 wordings)" in unanswered[0]
    assert len(unanswered) == 3 and all(line.startswith("**1×**") for line in unanswered[1:])
    assert "6 questions and searches" in embed.description
    assert fields["No-match rate"].startswith("83%")  # 5 of 6 found nothing
    assert "`/ask` 4" in fields["Use per command"] and "`/paper search` 2" in fields["Use per command"]
    assert fields["Latency"].startswith("p50 ")
    attachment = result.response.attachments[0]
    assert attachment.filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO((await attachment.read()).decode())))
    assert [r["via"] for r in rows] == ["slash", "slash", "slash", "mention", "slash", "slash"]
    assert rows[3]["question"] == "is there free pizza on fridays?"  # the mention itself is stripped
    assert rows[4]["outcome"] == "answered" and rows[4]["intent"] == "paper search"
    assert all(r["asker_hash"] == "" for r in rows), "no member id (nor hash) by default"


async def test_a_vote_is_recorded_changed_and_survives_the_view(world):
    env, guild, channel, alice, bob = world
    asked = await alice.slash(channel, "ask", question="how often do the Asymmetric Security people meet?")
    [up, down] = votes_of(asked.response.message)
    record_id = int(up.split(":")[1])
    first = await bob.click(asked.response, custom_id=up)
    assert first.ephemeral and "recorded" in first.response.content
    again = await bob.click(asked.response, custom_id=up)
    assert "already" in again.response.content
    await env.advance_time(200)  # the page/suggestion view has timed out: the votes still work
    message = channel.last_message
    assert votes_of(message) == [up, down]
    changed = await bob.click(message, custom_id=down)
    assert "Changed" in changed.response.content
    await alice.click(message, custom_id=up)
    [record] = [r for r in env.bot.app.insights.records() if r.id == record_id]
    assert (record.up, record.down) == (1, 1)


async def test_a_vote_works_on_a_process_that_never_saw_the_reply(world):
    env, guild, channel, alice, bob = world
    asked = await alice.slash(channel, "paper search", query="refusal direction")
    [up, down] = votes_of(asked.response.message)
    # What a restarted process has: no live view at all, only what setup_hook registers.
    store = env.bot._connection._view_store
    store._views.clear()
    store._synced_message_views.clear()
    store._dynamic_items.clear()
    env.bot.register_dynamic_items()  # as setup_hook does at start-up
    clicked = await bob.click(asked.response, custom_id=down)
    assert clicked.ephemeral and "recorded" in clicked.response.content
    assert [(r.up, r.down) for r in env.bot.app.insights.records()] == [(0, 1)]


async def test_no_match_replies_carry_no_vote_buttons(world):
    env, guild, channel, alice, bob = world
    result = await alice.slash(channel, "paper search", query="zzqx flibbertigibbet")
    assert result.ephemeral and votes_of(result.response.message) == []


async def test_a_member_cannot_see_insights(world):
    env, guild, channel, alice, bob = world
    make_staff(env, guild)
    await alice.slash(channel, "ask", question="where can I park my bike?")
    with pytest.raises(simcord.SetupError, match="not visible"):  # Discord hides /staff from members
        await bob.slash(channel, "staff insights")
    # A server admin may make /staff visible to anyone: the in-code staff check still refuses a member
    # with neither a staff role nor Manage Server.
    helper = guild.create_role("Helper", permissions=discord.Permissions(manage_messages=True))
    mod = guild.add_member(env.create_user("mod"), roles=[helper])
    await open_staff_to(env, guild, helper)
    result = await mod.slash(channel, "staff insights")
    assert result.ephemeral and "Staff only" in result.response.content
    assert "park" not in result.response.content and not result.response.attachments
    simcord.assert_error(env, Exception)


async def test_retention_deletes_records_older_than_90_days(world):
    env, guild, channel, alice, bob = world
    await alice.slash(channel, "paper search", query="refusal direction")
    assert env.bot.app.insights.count() == 1
    await env.advance_time(91 * 86400)
    await bob.slash(channel, "paper search", query="sandbagging")
    [kept] = env.bot.app.insights.records()
    assert kept.question == "sandbagging"


async def test_insights_switched_off_records_nothing(world):
    env, guild, channel, alice, bob = world
    app = env.bot.app
    app.insights.close()
    app.insights = Insights(app.config.state_db, InsightsConfig(enabled=False), app.now)  # as at start-up
    result = await alice.slash(channel, "ask", question="how often do the Asymmetric Security people meet?")
    assert votes_of(result.response.message) == []
    assert isinstance(result.response.message, discord.Message)
    assert app.insights.records() == [] and app.insights.count() == 0
