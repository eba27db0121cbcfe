"""Staff deadlines and reminders through the simulated Discord, with simulated time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import discord
import icalendar
import simcord

from bot.config import DiscordConfig
from bot.reminders.state import nonce_for
from tests.e2e.conftest import open_staff_to


def make_staff(env, guild):
    role = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    env.bot.app.config = dataclasses.replace(env.bot.app.config, discord=DiscordConfig(staff_role_ids=(role.id,)))
    return role


async def test_reminder_posts_once_at_the_right_time_pinging_only_the_role(world):
    env, guild, channel, alice, bob = world
    staff_role = make_staff(env, guild)
    fellows = guild.create_role("Fellows")
    staffer = guild.add_member(env.create_user("sam"), roles=[staff_role])
    added = await staffer.slash(channel, "staff deadline add", title="Final report @here?",
                                when="2026-01-03 12:00", timezone="Europe/London")
    assert added.ephemeral and "mentions" in added.response.content  # a mention in the title is refused
    added = await staffer.slash(channel, "staff deadline add", title="Final report", when="2026-01-03 12:00",
                                timezone="Europe/London", description="Upload the PDF")
    assert added.ephemeral and added.response.embeds[0].title == "Deadline added: Final report"
    set_channel = await staffer.slash(channel, "staff reminders channel", channel=channel, role=fellows)
    assert set_channel.ephemeral
    await staffer.slash(channel, "staff reminders offsets", offsets="1d, 1h")

    before = len(channel.history())
    await env.advance_time(36 * 3600 - 60)  # 2026-01-02 11:59: one minute before the 1d reminder
    assert len(channel.history()) == before
    await env.advance_time(120)
    posted = channel.history()[before:]
    assert len(posted) == 1
    assert posted[0].content.startswith(f"<@&{fellows.id}> ⏰ **Final report** is due <t:1767441600:F>")
    sends = [r for r in env.http_requests if r.method == "POST" and r.path == f"/channels/{channel.id}/messages"]
    assert sends[-1].json["allowed_mentions"] == {"parse": [], "roles": [fellows.id]}
    await env.advance_time(24 * 3600)  # past the 1h reminder and the deadline itself
    assert len(channel.history()) == before + 2
    await env.advance_time(7 * 24 * 3600)
    assert len(channel.history()) == before + 2, "nothing is sent twice"
    # Every reminder post carries the bot's own nonce for that reminder (not the random one discord.py
    # adds by itself), with enforce_nonce, so that a resend after a crash is dropped by Discord.
    sends = [r for r in env.http_requests if r.method == "POST" and r.path == f"/channels/{channel.id}/messages"]
    sent = [r for r in env.bot.app.state.reminders() if r.status == "sent"]
    assert len(sends) == len(sent) == 2
    assert [s.json["nonce"] for s in sends] == [nonce_for(r.deadline_id, r.offset_s, r.channel_id, r.due)
                                                for r in sent]  # both in the order they fell due
    assert all(s.json["enforce_nonce"] is True for s in sends)


async def test_a_member_with_neither_a_staff_role_nor_manage_server_is_refused(world):
    env, guild, channel, alice, bob = world
    make_staff(env, guild)
    # Server admins can make /staff visible to anyone: the in-code check is the real gate.
    helper = guild.create_role("Helper", permissions=discord.Permissions(manage_messages=True))
    member = guild.add_member(env.create_user("helper"), roles=[helper])
    await open_staff_to(env, guild, helper)
    result = await member.slash(channel, "staff deadline add", title="x", when="2027-02-01 10:00")
    assert result.ephemeral and "Staff only" in result.response.content
    assert "Manage Server" in result.response.content
    simcord.assert_error(env, Exception)
    assert env.bot.app.state.deadlines() == []


async def test_staff_are_the_staff_roles_or_manage_server_as_the_config_says(world):
    env, guild, channel, alice, bob = world
    staff_only = guild.create_role("Staff without permissions")
    env.bot.app.config = dataclasses.replace(env.bot.app.config, discord=DiscordConfig(staff_role_ids=(staff_only.id,)))
    by_role = guild.add_member(env.create_user("sam"), roles=[staff_only])
    moderator = guild.create_role("Moderator", permissions=discord.Permissions(manage_guild=True))
    by_permission = guild.add_member(env.create_user("mod"), roles=[moderator])
    await open_staff_to(env, guild, staff_only)
    for who, title in ((by_role, "By role"), (by_permission, "By Manage Server")):
        result = await who.slash(channel, "staff deadline add", title=title, when="2027-02-01 10:00")
        assert "Deadline added" in str(result.response.embeds[0].title), result.response.content
    assert sorted(d.title for d in env.bot.app.state.deadlines()) == ["By Manage Server", "By role"]
    example = (Path(__file__).resolve().parents[2] / "config.example.yaml").read_text(encoding="utf-8")
    assert "staff_role_ids: []            # roles allowed to use /staff commands (plus Manage Server)" in example


async def test_calendar_is_deferred_and_parses_back(world):
    env, guild, channel, alice, bob = world
    staff_role = make_staff(env, guild)
    staffer = guild.add_member(env.create_user("sam"), roles=[staff_role])
    await staffer.slash(channel, "staff deadline add", title="Proposal", when="2026-02-01 17:00", timezone="AoE")
    result = await alice.slash(channel, "deadline calendar")
    assert {"type": 5} in [r.json for r in env.http_requests if r.path.endswith("/callback")]
    ics = result.response.attachments[0]
    assert ics.filename == "deadlines.ics"
    cal = icalendar.Calendar.from_ical(await ics.read())
    [event] = cal.walk("VEVENT")
    assert str(event["summary"]) == "Proposal"
    assert event.decoded("dtstart").isoformat() == "2026-02-02T05:00:00+00:00"  # 17:00 AoE = 05:00 UTC next day
    assert sorted(a.decoded("trigger").total_seconds() for a in event.walk("VALARM")) == [-604800, -86400, -3600]


async def test_a_broken_catalog_reload_keeps_serving(world, tmp_path):
    env, guild, channel, alice, bob = world
    staff_role = make_staff(env, guild)
    staffer = guild.add_member(env.create_user("sam"), roles=[staff_role])
    import shutil

    data = tmp_path / "data-copy"
    shutil.copytree(env.bot.app.config.data_dir, data)
    env.bot.app.config = dataclasses.replace(env.bot.app.config, data_dir=data)
    (data / "papers.yaml").write_text((data / "papers.yaml").read_text().replace("citations: 14", "citations: lots"))
    result = await staffer.slash(channel, "staff catalog reload")
    assert "Reload failed" in result.response.content
    assert "papers.yaml:61:" in result.response.content and "citations: must be a whole number" in result.response.content
    answer = await alice.slash(channel, "paper show", title="gradient routing")
    assert answer.response.embeds[0].fields[-1].value == "14"


async def test_natural_times_are_stated_back_and_periods_refused(world):
    env, guild, channel, alice, bob = world
    staff_role = make_staff(env, guild)
    staffer = guild.add_member(env.create_user("sam"), roles=[staff_role])
    # the simulated clock starts at 2026-01-01 00:00 UTC (a Thursday)
    added = await staffer.slash(channel, "staff deadline add", title="Proposal", when="tomorrow 17:00",
                                timezone="Europe/London")
    text = added.response.embeds[0].description
    assert text.startswith("Read “tomorrow 17:00” as <t:1767373200:F> (Europe/London).")  # 2026-01-02 17:00 GMT
    refused = await staffer.slash(channel, "staff deadline add", title="Report", when="next week")
    assert refused.ephemeral and "not an instant" in refused.response.content
    assert "next friday 5pm AoE" in refused.response.content  # the examples
    await staffer.slash(channel, "staff deadline add", title="Report", when="next friday 5pm AoE")
    await staffer.slash(channel, "staff reminders channel", channel=channel)
    listed = await staffer.slash(channel, "staff deadline list")
    assert listed.ephemeral
    [proposal, report] = listed.response.embeds
    assert proposal.title == "Proposal" and proposal.description.startswith("`proposal` · **upcoming** · due <t:1767373200:F>")
    assert report.description.startswith("`report` · **upcoming** · due <t:1767416400:F>")  # Fri 2 Jan 17:00 AoE
    assert proposal.fields[0].name == "Channel reminders" and "1d: planned" in proposal.fields[0].value
    assert "1w" not in proposal.fields[0].value  # already past when the deadline was added: not planned
