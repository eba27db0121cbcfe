"""Exactly once under SIGKILL: the real bot process, killed at random moments, restarted each time.

Reminders (30 s before each deadline) fall due every two seconds while `python -m bot run` is killed with SIGKILL at random
instants (during start-up, while sleeping, between the send and its record) over CYCLES restarts.
What the fake Discord received is the truth: every reminder must be there exactly once (a reminder
whose deadline passed while the bot was down would be 'missed' instead, never sent late twice).

The kill that matters most — after Discord accepted the message, before the bot recorded it — is not
left to chance: in the HELD cycles the fake accepts the message and holds its answer until the bot is
killed. After every kill the test counts the reminders caught in that window (`sending` in the bot's
state while Discord already has them), so the guard counts kills that landed there, whatever the
speed of the machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.app import App
from bot.config import load_config
from bot.reminders.planner import plan
from bot.reminders.state import Deadline, State
from tests.support.fake_discord import CHANNEL_ID, TOKEN, running_fake

pytestmark = pytest.mark.slow  # real processes; still part of `make test`

ROOT = Path(__file__).resolve().parents[2]
CYCLES = 20
REMINDERS = 16
HELD = frozenset({2, 6, 10})
"""Cycles killed right after Discord accepted a message, its answer held back (early enough that
reminders are still unsent: the last falls due ~36 s in)."""


def caught_between_send_and_record(state: State, accepted: set[str]) -> set[tuple[str, int]]:
    """(nonce, attempt) of each reminder the kill left `sending` although Discord already has it."""
    return {(r.nonce, r.attempts) for r in state.reminders() if r.status == "sending" and r.nonce in accepted}


def test_reminders_survive_sigkill_exactly_once(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"catalog:\n  data_dir: {ROOT / 'data'}\n  database: {tmp_path / 'catalog.db'}\n"
        f"state:\n  database: {tmp_path / 'state.db'}\n"
        "reminders:\n  offsets: [30s]\n  grace: 1h\n  max_attempts: 50\nlog_level: INFO\n", encoding="utf-8")
    settings = load_config(config)
    App(settings).open()  # build the catalog once, so each start is quick
    state = State(tmp_path / "state.db")
    now = dt.datetime.now(dt.UTC)
    state.set_setting("channel_id", CHANNEL_ID)
    for i in range(REMINDERS):
        state.save_deadline(Deadline(f"d{i}", f"Deadline {i}", now + dt.timedelta(seconds=36 + 2 * i), "UTC"), now)
    plan(state, settings, now)  # what the staff command's poke does when each deadline is added
    rng = random.Random(20261122)
    log = open(tmp_path / "bot.log", "w")  # noqa: SIM115
    with running_fake() as fake:
        fake.send_latency = 0.6  # widens the send→record window so kills land in it
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.api_url,
               "DISCORD_GATEWAY_URL": fake.gateway_url, "BOT_CONFIG": str(config)}

        def start() -> subprocess.Popen:
            return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log,
                                    stderr=subprocess.STDOUT)

        landed: set[tuple[str, int]] = set()
        landed_when_held = 0
        up: list[tuple[dt.datetime, dt.datetime]] = []  # (a round ended, killed): the scheduler surely ran

        def note_up(started: dt.datetime) -> None:
            beat = state.scheduler_beat()
            if beat is not None and beat[0] >= started:  # this process finished a round (not a previous one)
                up.append((beat[0], dt.datetime.now(dt.UTC)))

        for cycle in range(CYCLES):
            held_before = fake.held
            fake.hold_answers = cycle in HELD
            started = dt.datetime.now(dt.UTC)
            proc = start()
            if fake.hold_answers:
                assert fake.wait_for(lambda n=held_before: fake.held > n, 60), "no reminder was sent to hold"
            else:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=rng.uniform(0.8, 3.0))  # the random instant to kill it at
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            note_up(started)
            caught = caught_between_send_and_record(state, {m["nonce"] for m in fake.messages}) - landed
            landed |= caught
            if caught and fake.hold_answers:
                landed_when_held += 1
            fake.hold_answers = False  # the held answer goes to a dead connection
        started = dt.datetime.now(dt.UTC)
        proc = start()
        try:
            done = fake.wait_for(
                lambda: {r.status for r in state.reminders()} <= {"sent", "missed"} and len(state.reminders()) == REMINDERS,
                120)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            note_up(started)
        log.close()
        statuses = Counter(r.status for r in state.reminders())
        assert done, (statuses, (tmp_path / "bot.log").read_text()[-3000:])
        posted = Counter(m["nonce"] for m in fake.messages)
        sent = {r.nonce for r in state.reminders() if r.status == "sent"}
        assert all(n == 1 for n in posted.values()), posted
        assert set(posted) == sent
        assert statuses["sent"] + statuses["missed"] == REMINDERS
        # Missed only when its deadline passed while the bot was down: never while a scheduler that had
        # finished a round was running (a reminder is due 30 s before its deadline, each process lives
        # a few seconds, so a running scheduler had it due from its first round on).
        dues = {d.id: d.due for d in state.deadlines()}
        missed_while_up = [r.deadline_id for r in state.reminders(("missed",))
                           if any(ran <= dues[r.deadline_id] <= killed for ran, killed in up)]
        assert missed_while_up == [], (missed_while_up, up)
        assert landed_when_held == len(HELD), "a held kill did not land between send and record"
        assert {nonce for nonce, _ in landed} <= sent, "a reminder caught in the window was not recorded as sent"
        found = (tmp_path / "bot.log").read_text().count("was already posted")
        with capsys.disabled():
            print(f"\nfault test: {CYCLES} SIGKILL cycles, {len(landed)} kill(s) between send and record "
                  f"({len(HELD)} held, {len(landed) - landed_when_held} at random), {statuses['sent']} sent once, "
                  f"{statuses['missed']} missed, {found} found in the channel after a kill (not resent), "
                  f"{fake.deduplicated} resend(s) deduplicated by nonce, {fake.history_reads} history read(s)")


def test_a_kill_between_send_and_record_then_an_outage_past_the_nonce_window_posts_once(tmp_path, capsys):
    """Discord forgets nonces after a few minutes: a resend after a long outage would be a second
    message. The restarted bot reads the channel for the reminder's marker first and records it."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"catalog:\n  data_dir: {ROOT / 'data'}\n  database: {tmp_path / 'catalog.db'}\n"
        f"state:\n  database: {tmp_path / 'state.db'}\n"
        "reminders:\n  offsets: [30s]\n  grace: 1h\nlog_level: INFO\n", encoding="utf-8")
    settings = load_config(config)
    App(settings).open()
    state = State(tmp_path / "state.db")
    now = dt.datetime.now(dt.UTC)
    state.set_setting("channel_id", CHANNEL_ID)
    state.save_deadline(Deadline("report", "Report", now + dt.timedelta(seconds=31), "UTC"), now)
    plan(state, settings, now)  # planned when added (its reminder is a second ahead)
    log = open(tmp_path / "bot.log", "w")  # noqa: SIM115
    with running_fake() as fake:
        fake.send_latency = 3.0  # Discord posted it; the bot never hears back before it is killed
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.api_url,
               "DISCORD_GATEWAY_URL": fake.gateway_url, "BOT_CONFIG": str(config)}

        def start() -> subprocess.Popen:
            return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log,
                                    stderr=subprocess.STDOUT)

        proc = start()
        try:
            posted = fake.wait_for(lambda: len(fake.messages) == 1, 60)
        finally:
            proc.send_signal(signal.SIGKILL)  # between the send and its record
            proc.wait(10)
        [row] = state.reminders()
        assert posted and row.status == "sending", (row, (tmp_path / "bot.log").read_text()[-2000:])
        fake.send_latency = 0.0
        fake.advance(fake.nonce_window + 60)  # the outage: Discord has forgotten the nonce
        proc = start()
        try:
            done = fake.wait_for(lambda: state.reminders()[0].status == "sent", 60)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        log.close()
        [row] = state.reminders()
        assert done, (tmp_path / "bot.log").read_text()[-3000:]
        assert len(fake.messages) == 1 and fake.deduplicated == 0  # the nonce could not have saved it
        assert row.message_id == fake.messages[0]["id"] and fake.history_reads >= 1
        assert fake.messages[0]["components"][0]["components"][0]["custom_id"] == f"follow:report:{row.nonce}"
        with capsys.disabled():
            print(f"\nlong-outage test: killed between send and record, restarted {fake.nonce_window + 60:.0f} s later "
                  f"(nonce window {fake.nonce_window:.0f} s): {len(fake.messages)} message, found by its marker "
                  f"after {fake.history_reads} history read(s), 0 resent")
