"""/staff reminders announce against the protocol-level fake Discord, which kills an interaction not
answered within 3 s (on its own clock): the post to the channel may take longer, so the command
acknowledges first and answers in a followup."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from bot.reminders.state import Deadline, State
from tests.support.fake_discord import CHANNEL_ID, GUILD_ID, INTERACTION_WINDOW, TOKEN, running_fake

ROOT = Path(__file__).resolve().parents[2]


def start(tmp_path: Path, fake) -> subprocess.Popen:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"log_level: INFO\ndiscord:\n  guild_ids: [{GUILD_ID}]\n  sync_on_start: true\n"
        f"catalog:\n  data_dir: {ROOT / 'data'}\n  database: {tmp_path / 'catalog.db'}\n"
        f"state:\n  database: {tmp_path / 'state.db'}\n", encoding="utf-8")
    env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.api_url,
           "DISCORD_GATEWAY_URL": fake.gateway_url, "BOT_CONFIG": str(config)}
    with open(tmp_path / "bot.log", "w") as log:
        return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)


def test_an_announcement_slower_than_three_seconds_is_acknowledged_in_time(tmp_path):
    now = dt.datetime.now(dt.UTC)
    state = State(tmp_path / "state.db")
    state.set_setting("channel_id", CHANNEL_ID)
    state.save_deadline(Deadline("final-report", "Final report", now + dt.timedelta(days=3), "UTC"), now)
    state.close()
    log = tmp_path / "bot.log"
    with running_fake() as fake:
        proc = start(tmp_path, fake)
        try:
            assert fake.wait_for(lambda: "ready as" in log.read_text(), 120), log.read_text()
            assert fake.wait_for(lambda: any(r.method == "PUT" for r in fake.requests), 120)
            fake.hold_answers = True  # the channel takes the announcement but answers only when released
            iid = fake.interaction("staff", {"id": "final-report"}, sub="reminders announce")
            assert fake.wait_for(lambda: fake.held == 1, 120), log.read_text()
            fake.advance(INTERACTION_WINDOW + 1)  # the post outlasts the interaction's 3 s
            fake.hold_answers = False
            followups = lambda: [r for r in fake.requests if r.path.startswith("/webhooks/")  # noqa: E731
                                 and f"token-{iid}" in r.path]
            assert fake.wait_for(followups, 120), log.read_text()
        finally:
            proc.kill()
            proc.wait(10)
    [callback] = fake.callbacks(iid)
    assert callback["type"] == 5 and callback["data"]["flags"] == 64, "an ephemeral 'thinking…' first"
    assert fake.expired == 0, "nothing reached Discord after the interaction died"
    [announced] = [m for m in fake.messages if "Final report" in m["content"] and m["channel_id"] == str(CHANNEL_ID)]
    assert "Announcing in" in str(followups()[0].json)
