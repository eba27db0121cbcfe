"""The reminder nonce: the bot's own, one per reminder, within Discord's 25 characters, and what the
marker in the message's button is matched by after Discord forgot it (written for mutants of
`nonce_for` and `upsert_planned` that `make mutate` found surviving)."""

from __future__ import annotations

import datetime as dt
import re

from bot.config import Config
from bot.discord.reminders import NONCE
from bot.reminders.planner import plan
from bot.reminders.state import Deadline, State, nonce_for

T0 = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
DUE = T0 + dt.timedelta(days=2)


def test_a_nonce_is_r_and_24_hex_digits_the_marker_pattern_within_discords_limit():
    nonce = nonce_for("report", 3600, 111, DUE)
    assert re.fullmatch(NONCE, nonce) and len(nonce) == 25
    assert nonce == nonce_for("report", 3600, 111, DUE), "the same reminder, the same nonce"
    assert nonce == nonce_for("report", 3600, 111, DUE.astimezone(dt.timezone(dt.timedelta(hours=2)))), \
        "one instant, one nonce, whatever the offset it is written with"


def test_every_part_of_a_reminder_changes_its_nonce():
    base = nonce_for("report", 3600, 111, DUE)
    others = [nonce_for("reports", 3600, 111, DUE), nonce_for("report", 7200, 111, DUE),
              nonce_for("report", 3600, 112, DUE), nonce_for("report", 3600, 111, DUE + dt.timedelta(seconds=1)),
              nonce_for("report", 3600, 0, DUE, member_id=7), nonce_for("report", 3600, 0, DUE, member_id=8)]
    assert len({base, *others}) == 1 + len(others)
    assert nonce_for("report", 3600, 111, DUE, member_id=0) == base  # 0: not a DM


def test_planned_reminders_carry_the_nonce_of_exactly_their_parts(tmp_path):
    state = State(tmp_path / "state.db")
    state.set_setting("channel_id", 111)
    state.save_deadline(Deadline("report", "Report", DUE, "UTC"), T0)
    state.follow(7, "report", [7200], T0)
    plan(state, Config(reminder_offsets=(3600,)), T0)
    rows = state.reminders()
    assert {(r.channel_id, r.member_id) for r in rows} == {(111, 0), (0, 7)}
    for r in rows:
        assert r.nonce == nonce_for(r.deadline_id, r.offset_s, r.channel_id, r.due, r.member_id)
    state.close()


def test_an_attempts_start_is_kept_for_the_look_back_after_a_crash(tmp_path):
    state = State(tmp_path / "state.db")
    state.set_setting("channel_id", 111)
    state.save_deadline(Deadline("report", "Report", DUE, "UTC"), T0)
    plan(state, Config(reminder_offsets=(3600,)), T0)
    [r] = state.reminders()
    started = DUE - dt.timedelta(hours=1, seconds=-3)
    state.set_status(r, "sending", started, attempts=1, attempt_at=started)
    [r] = state.reminders()
    assert (r.status, r.attempts, r.attempt_at) == ("sending", 1, started)
    state.close()
