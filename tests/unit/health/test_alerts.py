"""The staff alert wording and its rate limit, with an injected clock (no sleeps)."""

from __future__ import annotations

import datetime as dt

from bot.health.alerts import REDACTED, Alerts, scrub

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def failure(message: str = "boom") -> RuntimeError:
    try:
        raise RuntimeError(message)
    except RuntimeError as exc:
        return exc


def test_secrets_never_leave():
    token = "MTQ1NjA3NDQ0Mzk4MDgwMDAwMA.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"
    text = scrub(f"headers={{'Authorization': 'Bot {token}'}} token=hunter22secret plain {token}", ["hunter22secret"])
    assert token not in text and "hunter22secret" not in text and text.count(REDACTED) >= 3


def test_once_per_window_then_a_summary():
    now = [T0]
    alerts = Alerts(lambda: now[0])
    first = alerts.report("/person", failure("id 1"), {"name": "x"})
    assert len(first) == 1 and "RuntimeError: id 1" in first[0] and "name:'x'" in first[0]
    for minute in (1, 2, 3):
        now[0] = T0 + dt.timedelta(minutes=minute)
        assert alerts.report("/person", failure(f"id {minute + 1}")) == []
    assert alerts.next_due() == T0 + dt.timedelta(minutes=10)
    now[0] = T0 + dt.timedelta(minutes=9)
    assert alerts.due() == []
    now[0] = T0 + dt.timedelta(minutes=10)
    [summary] = alerts.due()
    assert "**3 more times** between 12:01 UTC and 12:03 UTC" in summary
    assert alerts.due() == [] and alerts.next_due() is None
    assert alerts.report("/paper search", failure()) != [], "another place is another error"
