"""A burst of members' DMs from the real bot process against the fake Discord: 500 followers of one
deadline, a 429 in the middle, a few members whose DMs are closed (one of them asks /deadline mine)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.app import App
from bot.config import load_config
from bot.reminders.planner import plan
from bot.reminders.state import Deadline, State
from tests.support.fake_discord import MEMBER_ID, TOKEN, running_fake

ROOT = Path(__file__).resolve().parents[2]
FOLLOWERS = 500
CLOSED = [MEMBER_ID, MEMBER_ID + 1, MEMBER_ID + 2]  # DMs closed to the bot
RATE_LIMITED_AT = 250  # the fake answers the 251st message create with a 429


def test_500_followers_get_one_dm_each_through_a_429_and_closed_dms_fail_once(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"catalog:\n  data_dir: {ROOT / 'data'}\n  database: {tmp_path / 'catalog.db'}\n"
        f"state:\n  database: {tmp_path / 'state.db'}\n"
        "reminders:\n  offsets: [1h]\n  grace: 1h\nlog_level: INFO\n", encoding="utf-8")
    App(load_config(config)).open()
    state = State(tmp_path / "state.db")
    now = dt.datetime.now(dt.UTC)
    state.save_deadline(Deadline("report", "Report", now + dt.timedelta(hours=1, seconds=2), "UTC"), now)
    members = [MEMBER_ID + 1000 + i for i in range(FOLLOWERS)]
    for member in [*members, *CLOSED]:
        state.follow(member, "report", None, now)
    plan(state, load_config(config), now)  # as each follow's poke does: planned while still ahead
    log = open(tmp_path / "bot.log", "w")  # noqa: SIM115
    with running_fake() as fake:
        fake.closed_dms = set(CLOSED)
        fake.rate_limit_after = RATE_LIMITED_AT
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.api_url,
               "DISCORD_GATEWAY_URL": fake.gateway_url, "BOT_CONFIG": str(config)}
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            done = fake.wait_for(lambda: {r.status for r in state.reminders()} <= {"sent", "failed"}
                                 and len(state.reminders()) == FOLLOWERS + len(CLOSED), 300)
            assert fake.wait_for(lambda: fake.ready_count >= 1, 30)
            iid = fake.interaction("deadline", {}, sub="mine")  # a member whose DMs are closed asks
            answered = fake.wait_for(lambda: fake.callbacks(iid), 30)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        log.close()
        statuses = Counter(r.status for r in state.reminders())
        assert done, (statuses, (tmp_path / "bot.log").read_text()[-3000:])
        assert statuses == {"sent": FOLLOWERS, "failed": len(CLOSED)}
        per_member = Counter(int(m["channel_id"]) for m in fake.messages)
        assert sorted(per_member) == sorted(fake.dm_channels[m] for m in members)
        assert set(per_member.values()) == {1}, "every DM exactly once"
        assert fake.rate_limited == 1
        dm_sends = Counter(r.path for r in fake.requests if r.method == "POST" and r.path.endswith("/messages"))
        for member in CLOSED:  # one refused attempt each: no retry storm
            assert dm_sends[f"/channels/{fake.dm_channels[member]}/messages"] == 1
        [failed] = [r for r in state.reminders(member_id=MEMBER_ID)]
        assert "DMs are closed" in (failed.last_error or "")
        assert answered
        [body] = [c for c in fake.callbacks(iid) if c]
        field = body["data"]["embeds"][0]["fields"][0]
        assert field["name"] == "Report" and "DMs are closed" in field["value"]
        times = sorted(fake.created_at[m["id"]] for m in fake.messages)
        burst = times[-1] - times[0]
        with capsys.disabled():
            print(f"\nDM burst: {FOLLOWERS} followers, {len(fake.messages)} DMs sent once each in {burst:.1f} s "
                  f"({FOLLOWERS / burst:.0f}/s) through {fake.rate_limited} 429; {len(CLOSED)} closed DMs "
                  "failed after one attempt each")
