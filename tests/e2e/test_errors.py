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


async def _drop(env, table: str) -> None:
    """A damaged state file under the running bot (a table gone): a real fault, not a mock."""
    import sqlite3

    conn = sqlite3.connect(env.bot.app.config.state_db)
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()


async def test_a_failing_button_answers_the_member_politely_and_reaches_staff(world):
    from tests.e2e.test_staff import make_staff

    env, guild, channel, alice, bob = world
    staffer = guild.add_member(env.create_user("sam"), roles=[make_staff(env, guild)])
    log_channel = staff_log(env, guild)
    await staffer.slash(channel, "staff deadline add", title="Final report", when="2026-01-20 12:00")
    listed = await alice.slash(channel, "deadline list")
    asked = await alice.slash(channel, "ask", question="how often do the Asymmetric Security people meet?")
    up = next(c.custom_id for row in asked.response.message.components for c in row.children
              if (getattr(c, "custom_id", "") or "").endswith(":up"))
    await _drop(env, "follows")
    await _drop(env, "insight_votes")

    clicked = await bob.click(listed.response, custom_id="follow:final-report")
    assert clicked.ephemeral and clicked.response.content == "Sorry, something went wrong answering that. " \
        "Staff have been told."
    voted = await bob.click(asked.response, custom_id=up)
    assert voted.ephemeral and "something went wrong" in voted.response.content
    alerts = [m.content for m in log_channel.history()]
    assert len(alerts) == 2
    assert alerts[0].startswith("⚠️ **Unexpected error** in `the 🔔 Remind me button` button:'follow:final-report'")
    assert "no such table: follows" in alerts[0]
    assert alerts[1].startswith("⚠️ **Unexpected error** in `the 👍/👎 button`") and "insight_votes" in alerts[1]
    assert all("OperationalError" not in m.content for m in channel.history()), "members never see the error"


async def test_a_button_whose_change_cannot_be_saved_says_so(world):
    from tests.e2e.test_staff import make_staff
    from tests.support.files import read_only

    env, guild, channel, alice, bob = world
    staffer = guild.add_member(env.create_user("sam"), roles=[make_staff(env, guild)])
    await staffer.slash(channel, "staff deadline add", title="Final report", when="2026-01-20 12:00")
    listed = await alice.slash(channel, "deadline list")
    state_db = env.bot.app.config.state_db
    with read_only(state_db, state_db.with_name("state.db-wal")):
        clicked = await bob.click(listed.response, custom_id="follow:final-report")
    assert clicked.ephemeral and clicked.response.content.startswith("⚠️ Your change was NOT saved")
    assert env.bot.app.state.follows() == []
