"""GET /metrics' reminder gauges: counted by SQLite (a scrape reads no reminder row), lag from the most
overdue unsent reminder that is not waiting for a retry."""

from __future__ import annotations

import datetime as dt

from prometheus_client.parser import text_string_to_metric_families

from bot.health.metrics import Metrics
from bot.reminders.state import State

T0 = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def test_a_scrape_counts_reminders_in_sql_and_reports_the_lag(tmp_path):
    state = State(tmp_path / "state.db")
    for member in range(1, 301):  # 300 members' DMs, one of them overdue, one waiting for a retry
        state.upsert_planned(("report", 3600, 0, member), T0 + dt.timedelta(hours=1), T0)
    [first, second, third, *_] = state.reminders()
    state.set_status(first, "sent", T0)
    state.set_status(second, "planned", T0, next_try=T0 + dt.timedelta(hours=3))  # retries later: not lag
    now = T0 + dt.timedelta(hours=1, seconds=90)
    statements: list[str] = []
    state.conn.set_trace_callback(statements.append)
    text = Metrics(state, lambda: now).exposition().decode()
    state.conn.set_trace_callback(None)
    families = {f.name: f for f in text_string_to_metric_families(text)}
    counts = {s.labels["state"]: s.value for s in families["bot_reminders"].samples}
    assert counts["planned"] == 299 and counts["sent"] == 1 and counts["failed"] == 0
    assert families["bot_scheduler_lag_seconds"].samples[0].value == 90.0
    assert third.status == "planned"
    reads = [s for s in statements if "FROM reminders" in s]
    assert reads and all("COUNT(" in s or "MIN(" in s for s in reads), reads
    state.close()
