"""Every kind of refusal Discord can give a reminder post, as staff see it and as the reminder ends.

403 and 404 cannot be fixed by retrying (permissions, a deleted channel): the reminder fails at once
and /staff reminders preview says what to do. 429 and 5xx are retried with backoff, with the same
nonce, and the reminder is posted once when Discord accepts it (after a 5xx, which may have posted
it all the same, it stays `sending` and the channel is read for it first); a 5xx that lasts ends as
`failed` after the configured attempts. The errors are injected twice: at SimCord's REST layer (the whole bot,
slash commands and preview included), and at the protocol-level fake, where discord.py's own HTTP
client meets the real status codes, bodies and headers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import discord
import pytest
from discord.ext import commands

from bot.config import Config, DiscordConfig
from bot.discord.reminders import DiscordSender
from bot.reminders.planner import plan
from bot.reminders.scheduler import Scheduler
from bot.reminders.state import Deadline, State, nonce_for
from tests.support.fake_discord import CHANNEL_ID, TOKEN, FakeDiscord

MISSING_PERMISSIONS = (403, 50013, "Missing Permissions")
UNKNOWN_CHANNEL = (404, 10003, "Unknown Channel")
RATE_LIMITED = (429, 0, "You are being rate limited.")
UNAVAILABLE = (503, 0, "Service Unavailable")


async def staff_with_a_due_reminder(env, guild, channel):
    """A staff member, the reminder channel set, one deadline with a 1h reminder; returns the staffer."""
    role = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    env.bot.app.config = dataclasses.replace(env.bot.app.config, discord=DiscordConfig(staff_role_ids=(role.id,)))
    staffer = guild.add_member(env.create_user("sam"), roles=[role])
    await staffer.slash(channel, "staff reminders channel", channel=channel)
    await staffer.slash(channel, "staff reminders offsets", offsets="1h")
    await staffer.slash(channel, "staff deadline add", title="Final report", when="2026-01-03 12:00", timezone="UTC")
    return staffer


async def until_due(env) -> None:
    [reminder] = env.bot.app.state.reminders(("planned",))
    await env.advance_time((reminder.due - env.now()).total_seconds() + 1)


def posts(env, channel) -> list:
    return [r for r in env.http_requests if r.method == "POST" and r.path == f"/channels/{channel.id}/messages"]


async def preview_status(staffer, channel) -> str:
    shown = await staffer.slash(channel, "staff reminders preview")
    assert shown.ephemeral
    [embed] = shown.response.embeds
    assert embed.title == "1h before Final report"
    return embed.description or ""


@pytest.mark.parametrize("error,advice", [
    (MISSING_PERMISSIONS, "the bot may not post in the reminder channel: give it View Channel and Send Messages"),
    (UNKNOWN_CHANNEL, "the reminder channel no longer exists: pick another with /staff reminders channel"),
])
async def test_a_refusal_a_retry_cannot_fix_fails_at_once_and_tells_staff_what_to_do(world, error, advice):
    env, guild, channel, alice, bob = world
    staffer = await staff_with_a_due_reminder(env, guild, channel)
    status, code, text = error
    env.inject_error("POST", "/channels/*/messages", status=status, code=code, message=text, times=None)
    await until_due(env)
    await env.advance_time(3600)  # no retry follows
    [reminder] = env.bot.app.state.reminders()
    assert (reminder.status, reminder.attempts) == ("failed", 1)
    assert (reminder.last_error or "").startswith(f"{status} {text}: {advice}")
    assert len(posts(env, channel)) == 1
    assert f"**failed (attempt 1, last error: {status} {text}: {advice}" in await preview_status(staffer, channel)


@pytest.mark.parametrize("error,advice,state", [(RATE_LIMITED, "Discord is rate-limiting the bot", "planned"),
                                                (UNAVAILABLE, "Discord had a server error", "sending")])
async def test_a_passing_refusal_is_retried_then_posted_once_with_the_same_nonce(world, error, advice, state):
    env, guild, channel, alice, bob = world
    await staff_with_a_due_reminder(env, guild, channel)
    status, code, text = error
    env.inject_error("POST", "/channels/*/messages", status=status, code=code, message=text, times=1)
    await until_due(env)
    [reminder] = env.bot.app.state.reminders()
    assert (reminder.status, reminder.attempts) == (state, 1)  # after a 5xx it may be posted: looked for first
    assert reminder.last_error == f"{status} {text}: {advice}"
    assert reminder.next_try is not None and reminder.next_try > env.now()
    # what /staff reminders preview shows meanwhile (built directly: SimCord cannot settle an
    # interaction while the retry's timer is pending)
    app = env.bot.app
    [embed] = app.commands.run(app, "staff reminders preview").payload()["embeds"]
    assert f"**{state} (attempt 1, last error: {status} {text}: {advice})**" in embed["description"]
    before = len(channel.history())
    await env.advance_time(60)  # past the backoff
    [reminder] = env.bot.app.state.reminders()
    assert reminder.status == "sent"
    assert len(channel.history()) == before + 1
    sent = posts(env, channel)
    assert len(sent) == 2
    own = nonce_for(reminder.deadline_id, reminder.offset_s, reminder.channel_id, reminder.due)
    assert [p.json["nonce"] for p in sent] == [own, own]


async def test_a_server_error_that_lasts_fails_after_the_configured_attempts(world):
    env, guild, channel, alice, bob = world
    staffer = await staff_with_a_due_reminder(env, guild, channel)
    status, code, text = UNAVAILABLE
    env.inject_error("POST", "/channels/*/messages", status=status, code=code, message=text, times=None)
    await until_due(env)
    await env.advance_time(3000)  # every backoff has passed (the deadline is an hour away)
    attempts = env.bot.app.config.reminder_max_attempts
    [reminder] = env.bot.app.state.reminders()
    assert (reminder.status, reminder.attempts) == ("failed", attempts)
    assert len(posts(env, channel)) == attempts
    shown = await preview_status(staffer, channel)
    assert f"**failed (attempt {attempts}, last error: 503 Service Unavailable: Discord had a server error)**" in shown


# -- the same refusals through discord.py's own HTTP client, against the protocol-level fake ---------
# SimCord replaces discord.py's HTTP layer; here discord.py's real one meets real status codes, bodies
# and headers: it retries a 429 itself and raises DiscordServerError for a 503.

T0 = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
DUE = T0 + dt.timedelta(days=1)


@pytest.fixture
async def fake():
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def sender(fake):
    """The bot's reminder sender on a real discord.py client logged in to the fake (REST only)."""
    base = discord.http.Route.BASE
    discord.http.Route.BASE = fake.api_url
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
    try:
        await bot.login(TOKEN)
        yield DiscordSender(bot)
    finally:
        await bot.close()
        discord.http.Route.BASE = base


class Clock:
    def __init__(self) -> None:
        self.now = DUE - dt.timedelta(hours=1)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def reminders(tmp_path, sender):
    """One deadline with one reminder (1 h before), due now; the scheduler posts through `sender`."""
    state = State(tmp_path / "state.db")
    config = Config(reminder_offsets=(3600,), reminder_max_attempts=3)
    clock = Clock()
    state.set_setting("channel_id", CHANNEL_ID)
    state.save_deadline(Deadline("report", "Report", DUE, "UTC"), T0)
    plan(state, config, T0)  # planned when it was added, a day ahead
    yield state, clock, Scheduler(state, config, sender, clock)
    state.close()


def channel_posts(fake) -> list:
    return [r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages"]


@pytest.mark.parametrize("status,tries,advice", [
    (403, 1, "403 Missing Permissions: the bot may not post in the reminder channel: give it View Channel"),
    (404, 1, "404 Unknown Channel: the reminder channel no longer exists: pick another with /staff reminders"),
])
async def test_over_http_a_permanent_refusal_fails_at_once(fake, reminders, status, tries, advice):
    state, clock, scheduler = reminders
    fake.fail_status, fake.fail_next_sends = status, 5
    assert await scheduler.run_due() == 0
    [r] = state.reminders()
    assert (r.status, r.attempts) == ("failed", 1) and (r.last_error or "").startswith(advice)
    assert len(channel_posts(fake)) == tries and fake.messages == []


@pytest.mark.parametrize("status,tries,error,after", [
    (429, 5, "429 You are being rate limited.: Discord is rate-limiting the bot", "planned"),
    (503, 1, "503 Service Unavailable: Discord had a server error", "sending"),
])
async def test_over_http_a_passing_refusal_is_retried_and_posted_once(fake, reminders, status, tries, error, after):
    state, clock, scheduler = reminders
    fake.fail_status, fake.fail_next_sends = status, tries  # a 429 only reaches the bot after 5 tries
    assert await scheduler.run_due() == 0
    [r] = state.reminders()
    assert (r.status, r.attempts, r.last_error) == (after, 1, error)
    assert len(channel_posts(fake)) == tries and fake.messages == []
    assert r.next_try is not None
    clock.now = r.next_try
    assert await scheduler.run_due() == 1
    [r] = state.reminders()
    assert r.status == "sent"
    own = nonce_for(r.deadline_id, r.offset_s, r.channel_id, r.due)
    assert [m["nonce"] for m in fake.messages] == [own]
    assert {p.json["nonce"] for p in channel_posts(fake)} == {own}


async def test_over_http_a_single_429_is_absorbed_by_discord_py(fake, reminders):
    """discord.py waits retry_after and resends the same body: one post, no error for staff."""
    state, clock, scheduler = reminders
    fake.fail_status, fake.fail_next_sends = 429, 1
    assert await scheduler.run_due() == 1
    [r] = state.reminders()
    assert (r.status, r.attempts, r.last_error) == ("sent", 1, None)
    assert len(channel_posts(fake)) == 2 and len(fake.messages) == 1


@pytest.mark.parametrize("status,ends", [(403, "failed"), (404, "failed"), (404, "missed")])
async def test_over_http_a_channel_that_cannot_be_read_ends_a_sending_reminder(fake, reminders, status, ends):
    """A reminder left `sending` (a crash mid-send) is looked for before any resend; a 403/404 on the
    history read cannot pass by itself: the look counts as an attempt and the reminder ends."""
    state, clock, scheduler = reminders
    [r] = state.reminders()
    state.set_status(r, "sending", clock(), attempts=1, attempt_at=clock())
    fake.history_status = status
    if ends == "missed":
        clock.now = DUE + dt.timedelta(minutes=1)  # back after the deadline itself
    assert await scheduler.run_due() == 0
    [r] = state.reminders()
    assert (r.status, r.attempts) == (ends, 2) and (r.last_error or "").startswith(f"could not check the channel: {status}")
    assert fake.history_reads == 1 and channel_posts(fake) == []
    assert await scheduler.run_due() == 0 and fake.history_reads == 1  # never looked for again
