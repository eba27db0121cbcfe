"""Unexpected errors reach the staff log channel (not members): once per 10 minutes, then a summary."""

from __future__ import annotations

import dataclasses
import itertools

import simcord

from bot.config import LoggingConfig

TOKEN = "MTQ1NjA3NDQ0Mzk4MDgwMDAwMA.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"


def staff_log(env, guild):
    channel = guild.create_text_channel("staff-log")
    app = env.bot.app
    app.config = dataclasses.replace(app.config, logging=LoggingConfig(staff_channel_id=channel.id))
    return channel


async def test_an_error_reaches_the_staff_channel_once_then_a_summary(world, monkeypatch):
    env, guild, channel, alice, bob = world
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    log_channel = staff_log(env, guild)
    env.bot.app.catalog.people.clear()  # a real failure inside the command: people gone under the index

    first = await alice.slash(channel, "person", name="Marius Hobbhahn")
    assert first.ephemeral and "something went wrong" in first.response.content
    assert "KeyError" not in first.response.content, "members never see the error itself"
    [alert] = log_channel.history()
    assert alert.content.startswith("⚠️ **Unexpected error** in `/person` name:'Marius Hobbhahn'")
    assert "KeyError" in alert.content and "```py" in alert.content and 'File "bot/' in alert.content
    assert TOKEN not in alert.content

    for name in ("Wes Gurnee", "Neel Nanda"):  # the same error again, within 10 minutes
        await env.advance_time(60)
        await bob.slash(channel, "person", name=name)
    assert len(log_channel.history()) == 1, "repeats inside the window are only counted"

    await env.advance_time(10 * 60)
    summary = log_channel.history()[-1]
    assert len(log_channel.history()) == 2
    assert summary.content.startswith("🔁 The error in `/person`") and "**2 more times**" in summary.content
    assert len(channel.history()) == 0, "nothing about it in the members' channel"
    simcord.assert_error(env, KeyError)


async def test_without_a_staff_channel_the_error_stays_in_the_log(world):
    env, guild, channel, alice, bob = world
    env.bot.app.catalog.people.clear()
    result = await alice.slash(channel, "person", name="Marius Hobbhahn")
    assert "something went wrong" in result.response.content
    assert channel.history() == []
    simcord.assert_error(env, KeyError)


async def test_a_scheduler_failure_reaches_staff_and_the_scheduler_keeps_trying(world):
    import sqlite3

    from tests.e2e.test_staff import make_staff

    env, guild, channel, alice, bob = world
    staffer = guild.add_member(env.create_user("sam"), roles=[make_staff(env, guild)])
    log_channel = staff_log(env, guild)
    await staffer.slash(channel, "staff reminders channel", channel=channel)
    await staffer.slash(channel, "staff deadline add", title="Final report", when="2026-01-20 12:00")
    # A damaged state file (a table gone) under the running bot: a real fault, not a mock.
    conn = sqlite3.connect(env.bot.app.config.state_db)
    conn.execute("DROP TABLE deadlines")
    conn.commit()
    conn.close()
    await env.advance_time(7 * 3600)  # the scheduler wakes (at least every 6 h) and keeps failing
    alerts = log_channel.history()
    assert alerts[0].content.startswith("⚠️ **Unexpected error** in `the reminder scheduler`")
    assert "OperationalError" in alerts[0].content and "no such table: deadlines" in alerts[0].content
    summaries = [m for m in alerts if m.content.startswith("🔁")]
    assert summaries and "more times" in summaries[0].content
    assert all(m.content.startswith(("⚠️", "🔁")) for m in alerts)
    times = [m.created_at for m in alerts]
    assert all((b - a).total_seconds() >= 600 for a, b in itertools.pairwise(times))
    assert env.bot.scheduler.alive, "it keeps trying (with a growing pause)"
    assert channel.history() == [], "members see nothing of it"


async def test_an_unexpected_reload_failure_reaches_staff_and_the_old_catalog_serves(world, tmp_path):
    from tests.e2e.test_staff import make_staff

    env, guild, channel, alice, bob = world
    staffer = guild.add_member(env.create_user("sam"), roles=[make_staff(env, guild)])
    log_channel = staff_log(env, guild)
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "keep").write_text("a directory where the catalog file should go")
    app = env.bot.app
    app.config = dataclasses.replace(app.config, catalog_db=blocked)  # the build cannot put its file there
    result = await staffer.slash(channel, "staff catalog reload")
    assert "something went wrong" in result.response.content
    [alert] = log_channel.history()
    assert alert.content.startswith("⚠️ **Unexpected error** in `/staff catalog reload`")
    answer = await alice.slash(channel, "paper search", query="refusal direction")
    assert "Refusal" in str(answer.response.embeds[0].to_dict())
    simcord.assert_error(env, Exception)
