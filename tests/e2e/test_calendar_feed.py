"""The calendar feed: served by the bot's own web server while the bot runs on the simulated Discord.

Staff edit deadlines through slash commands; a calendar app's polling is played by a real HTTP
client against the real aiohttp server the client started.
"""

from __future__ import annotations

import dataclasses

import aiohttp
import discord
import icalendar
import pytest
from multidict import CIMultiDict

from bot.app import App
from bot.config import DiscordConfig, WebConfig
from bot.reminders.calendar import FEED_PATH
from tests.conftest import make_config
from tests.e2e.conftest import STAFF_ROLE


@pytest.fixture
def bot_app(tmp_path):
    config = dataclasses.replace(make_config(tmp_path), discord=DiscordConfig(sync_on_start=True, staff_role_ids=(STAFF_ROLE,)),
                                 web=WebConfig(listen="127.0.0.1:0", public_url="https://bot.example.org"))
    app = App(config, clock=lambda: discord.utils.utcnow())
    app.open()
    yield app
    app.close()


async def fetch(env, etag: str | None = None) -> tuple[int, CIMultiDict[str], bytes]:
    headers = {"If-None-Match": etag} if etag else {}
    async with aiohttp.ClientSession() as session, session.get(env.bot.web.url + FEED_PATH, headers=headers) as r:
        return r.status, r.headers.copy(), await r.read()


def events(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
            if str(e["uid"]).startswith("deadline-")}


def staff(env, guild):
    role = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    env.bot.app.config = dataclasses.replace(env.bot.app.config, discord=DiscordConfig(staff_role_ids=(role.id,)))
    return guild.add_member(env.create_user("sam"), roles=[role])


async def test_feed_follows_edits_with_sequence_and_answers_304_when_unchanged(world):
    env, guild, channel, alice, bob = world
    sam = staff(env, guild)
    await sam.slash(channel, "staff deadline add", title="Proposal", when="2026-02-01 17:00", timezone="AoE")
    status, headers, body = await fetch(env)
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    [(uid, first)] = events(body).items()
    assert uid == "deadline-proposal@fellowship-bot" and first["sequence"] == 0
    assert str(first["status"]) == "CONFIRMED"
    assert first.decoded("dtstart").isoformat() == "2026-02-02T05:00:00+00:00"
    assert "last-modified" in first and "dtstamp" in first
    assert sorted(a.decoded("trigger").total_seconds() for a in first.walk("VALARM")) == [-604800, -86400, -3600]

    status, again, empty = await fetch(env, headers["ETag"])
    assert (status, empty, again["ETag"]) == (304, b"", headers["ETag"])  # polling an unchanged feed is cheap

    await env.advance_time(60)
    await sam.slash(channel, "staff deadline edit", id="proposal", when="2026-02-03 17:00", timezone="AoE")
    status, edited_headers, body = await fetch(env, headers["ETag"])
    assert status == 200 and edited_headers["ETag"] != headers["ETag"]
    edited = events(body)[uid]
    assert edited["sequence"] == 1
    assert edited.decoded("dtstart").isoformat() == "2026-02-04T05:00:00+00:00"
    assert edited.decoded("last-modified") > first.decoded("last-modified")

    await sam.slash(channel, "staff deadline remove", id="proposal")
    status, _, body = await fetch(env, edited_headers["ETag"])
    cancelled = events(body)[uid]
    assert status == 200 and str(cancelled["status"]) == "CANCELLED" and cancelled["sequence"] == 2
    assert not list(cancelled.walk("VALARM"))


async def test_calendar_command_gives_the_webcal_link_and_the_file(world):
    env, guild, channel, alice, bob = world
    result = await alice.slash(channel, "deadline calendar")
    assert "`webcal://bot.example.org/calendar/deadlines.ics`" in result.response.content
    assert "<https://bot.example.org/calendar/deadlines.ics>" in result.response.content
    assert result.response.attachments[0].filename == "deadlines.ics"
