"""/staff deadline edit: a change of time alone is read in the deadline's own timezone."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.app import App
from tests.conftest import NOW, make_config


@pytest.fixture
def staff_app(tmp_path):
    app = App(make_config(tmp_path), clock=lambda: NOW)
    app.open()
    yield app
    app.close()


@pytest.mark.parametrize(("zone", "utc"), [
    ("America/Los_Angeles", dt.datetime(2026, 12, 21, 1, 0, tzinfo=dt.UTC)),  # 17:00 PST, next day in UTC
    ("AoE", dt.datetime(2026, 12, 21, 5, 0, tzinfo=dt.UTC)),                  # UTC−12
    ("+05:30", dt.datetime(2026, 12, 20, 11, 30, tzinfo=dt.UTC)),
])
def test_a_new_time_keeps_the_deadlines_timezone(staff_app, zone, utc):
    staff_app.commands.run(staff_app, "staff deadline add",
                           {"title": "Report", "when": "2026-12-19 17:00", "timezone": zone})
    reply = staff_app.commands.run(staff_app, "staff deadline edit", {"id": "report", "when": "2026-12-20 17:00"})
    assert reply.kind == "answer", reply.pages[0]
    d = staff_app.state.deadline("report")
    assert d is not None
    assert d.due == utc


def test_a_new_timezone_given_with_the_time_wins(staff_app):
    staff_app.commands.run(staff_app, "staff deadline add",
                           {"title": "Report", "when": "2026-12-19 17:00", "timezone": "America/Los_Angeles"})
    staff_app.commands.run(staff_app, "staff deadline edit",
                           {"id": "report", "when": "2026-12-20 17:00", "timezone": "UTC"})
    d = staff_app.state.deadline("report")
    assert d is not None and d.due == dt.datetime(2026, 12, 20, 17, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("zone", ["AoE", "+05:30", "UTC-7", "UTC", "Europe/London"])
def test_every_timezone_label_reads_back_as_the_same_zone(zone):
    from bot.reminders.deadlines import parse_timezone

    tz, label = parse_timezone(zone)
    again, label_again = parse_timezone(label)
    moment = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
    assert again.utcoffset(moment) == tz.utcoffset(moment) and label_again == label


def test_a_second_deadline_with_the_same_title_is_refused_and_nothing_is_saved(staff_app):
    staff_app.commands.run(staff_app, "staff deadline add", {"title": "Final report", "when": "2026-12-19 17:00"})
    again = staff_app.commands.run(staff_app, "staff deadline add", {"title": "final  REPORT", "when": "2026-12-20"})
    assert again.kind == "error" and again.ephemeral
    text = again.pages[0].content
    assert text.startswith("Nothing saved — title: a deadline titled “Final report” already exists (id final-report)")
    assert [d.id for d in staff_app.state.deadlines()] == ["final-report"]
    staff_app.commands.run(staff_app, "staff deadline add", {"title": "Poster", "when": "2026-12-21 17:00"})
    renamed = staff_app.commands.run(staff_app, "staff deadline edit", {"id": "poster", "title": "Final report"})
    assert renamed.kind == "error" and "already exists" in renamed.pages[0].content
    assert staff_app.state.deadline("poster").title == "Poster"
    kept = staff_app.commands.run(staff_app, "staff deadline edit", {"id": "final-report", "title": "Final Report"})
    assert kept.kind == "answer", "a deadline may keep (or re-case) its own title"
