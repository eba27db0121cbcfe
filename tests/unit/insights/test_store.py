"""The insights store and report on a real SQLite file: hashing, retention, votes, grouping, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from bot.config import InsightsConfig
from bot.insights import report
from bot.insights.recorder import plain_question
from bot.insights.store import Asked, Insights

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def asked(question: str, outcome: str = "no-match", at: dt.datetime = T0, member: int | None = 7) -> Asked:
    return Asked(at, "ask", "slash", question, "none", (), 0.0, outcome, 3.0, member)  # type: ignore[arg-type]


def test_no_member_hash_by_default_and_a_salted_one_when_switched_on(tmp_path):
    off = Insights(tmp_path / "a.db", InsightsConfig(), lambda: T0)
    off.record(asked("q"))
    assert off.records()[0].asker is None
    on = Insights(tmp_path / "b.db", InsightsConfig(hash_askers=True), lambda: T0)
    member = 1456074443980800017
    on.record(asked("q", member=member))
    on.record(asked("q", member=member))
    on.record(asked("q", member=8))
    hashes = [r.asker for r in on.records()]
    assert hashes[0] == hashes[1] != hashes[2] and str(member) not in str(hashes)
    other_install = Insights(tmp_path / "c.db", InsightsConfig(hash_askers=True), lambda: T0)
    assert other_install.member_hash(7) != on.member_hash(7), "the salt is per installation"
    assert report.build(on.records(), [], 7, T0).distinct_askers == 2


def test_retention_deletes_old_records_and_their_votes(tmp_path):
    store = Insights(tmp_path / "s.db", InsightsConfig(retention_days=90), lambda: T0)
    old = store.record(asked("old", "answered"))
    assert old is not None and store.vote(old, 1, 1, T0) == "recorded"
    later = T0 + dt.timedelta(days=91)
    store.record(asked("new", at=later))
    assert [r.question for r in store.records()] == ["new"]
    assert store.vote(old, 1, -1, later) == "gone"
    assert store._db().execute("SELECT COUNT(*) FROM insight_votes").fetchone()[0] == 0


def test_one_vote_per_member_changeable(tmp_path):
    store = Insights(tmp_path / "s.db", InsightsConfig(), lambda: T0)
    rid = store.record(asked("q", "answered"))
    assert rid is not None
    assert [store.vote(rid, 5, 1, T0), store.vote(rid, 5, 1, T0), store.vote(rid, 5, -1, T0)] == \
        ["recorded", "unchanged", "changed"]
    [r] = store.records()
    assert (r.up, r.down) == (0, 1)


def test_switched_off_nothing_is_written(tmp_path):
    store = Insights(tmp_path / "s.db", InsightsConfig(enabled=False), lambda: T0)
    assert store.record(asked("q")) is None and store.records() == []
    assert not (tmp_path / "s.db").exists()


def test_grouping_percentiles_trend_and_csv():
    groups = report.group_questions(["When does it END?", "when does it end", "when does it end??", "visa help"])
    assert [(g.count, g.variants) for g in groups] == [(3, 3), (1, 1)]
    assert report.percentile([1.0, 2.0, 3.0, 4.0, 100.0], 50) == 3.0
    assert report.percentile([1.0, 2.0, 3.0, 4.0, 100.0], 95) == 100.0
    store_rows = [report.Record(1, T0, "ask", "slash", "=HYPERLINK(\"x\")", None, (), None, "no-match", 1.0,
                                None, 0, 0)]
    [row] = list(csv.DictReader(io.StringIO(report.to_csv(store_rows).decode())))
    assert row["question"].startswith("'="), "a spreadsheet must not run a member's text as a formula"


def test_plain_question_strips_mentions_and_markup():
    assert plain_question("<@123> **when** does <#55> `it` end? @everyone <@&9>") == "when does it end?"


def test_an_ask_back_is_recorded_as_asked_back_whatever_the_reply_kind():
    from bot.insights.recorder import outcome_of
    from bot.reply import Reply, Understood

    asked_back = Reply.text("Did you mean A or B?", kind="no-match")
    asked_back.understood = Understood("ask-back", ("a", "b"), 0.5, asked_back=True)
    assert outcome_of(asked_back) == "asked-back"
    assert outcome_of(Reply.text("nothing", kind="no-match")) == "no-match"
    assert outcome_of(Reply.text("fine")) == "answered"


def test_the_console_shows_the_same_report_and_writes_the_csv(tmp_path, capsys):
    from bot.catalog.build import build
    from bot.cli import main
    from tests.conftest import DATA

    config = tmp_path / "config.yaml"
    config.write_text(f"catalog:\n  data_dir: {DATA}\n  database: cat.db\nstate:\n  database: state.db\n")
    build(DATA, tmp_path / "cat.db")
    now = dt.datetime.now(dt.UTC)
    store = Insights(tmp_path / "state.db", InsightsConfig(), lambda: now)
    for text in ("visa for the program?", "Visa for the program", "parking"):
        store.record(asked(text, at=now - dt.timedelta(hours=1)))
    store.close()
    assert main(["--config", str(config), "insights", "--days", "7", "--csv", str(tmp_path / "out.csv")]) == 0
    out = capsys.readouterr().out
    assert "## Insights: the last 7 days" in out and "**2×** “Visa for the program” (2 wordings)" in out
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 4
