"""The insights tables, in the bot's state database file (var/state.db) beside the reminders.

They live with the bot's own state, never in the catalog, because a catalog rebuild must not lose
them. This module opens its own connection to the same file (WAL mode lets both connections work)
so the reminders' state module stays unaware of them. No member id is stored: a vote is keyed by a
salted one-way hash of the voter (one vote per member per reply), and the asker is kept only as such
a hash and only when `insights.hash_askers` is on. Retention is enforced here: `prune()` deletes
records older than `insights.retention_days`, with their votes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from bot.config import InsightsConfig

log = logging.getLogger(__name__)

Outcome = Literal["answered", "asked-back", "no-match", "error"]
OUTCOMES: tuple[Outcome, ...] = ("answered", "asked-back", "no-match", "error")
Via = Literal["slash", "mention", "button"]  # a button re-runs a command: logged, not recorded
Vote = Literal[1, -1]
VoteResult = Literal["recorded", "changed", "unchanged", "gone"]

PRUNE_EVERY = dt.timedelta(hours=1)
"""Retention is checked on a write at most this often (and at start-up and before every report)."""
HASH_CHARS = 20

SCHEMA = """
CREATE TABLE IF NOT EXISTS insight_asks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_utc TEXT NOT NULL,           -- 2026-01-01T12:00:00Z
    command TEXT NOT NULL,          -- 'ask', 'paper search', …
    via TEXT NOT NULL,              -- slash | mention
    question TEXT NOT NULL,         -- what the member typed, mentions and markup stripped
    intent TEXT,                    -- how it was read (the command it became)
    entities TEXT NOT NULL DEFAULT '[]',
    confidence REAL,
    outcome TEXT NOT NULL,          -- answered | asked-back | no-match | error
    latency_ms REAL NOT NULL,
    asker TEXT                      -- salted one-way hash, only with insights.hash_askers
);
CREATE INDEX IF NOT EXISTS insight_asks_at ON insight_asks (at_utc);
CREATE TABLE IF NOT EXISTS insight_votes (
    ask_id INTEGER NOT NULL,
    voter TEXT NOT NULL,            -- salted one-way hash of the member: one vote each, changeable
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    at_utc TEXT NOT NULL,
    PRIMARY KEY (ask_id, voter)
);
CREATE TABLE IF NOT EXISTS insight_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Asked:
    """One question or search as it is recorded (what the front end knows after answering it)."""

    at: dt.datetime
    command: str
    via: Via
    question: str
    intent: str | None
    entities: tuple[str, ...]
    confidence: float | None
    outcome: Outcome
    latency_ms: float
    member_id: int | None = None  # hashed (never stored) and only when hash_askers is on


@dataclass(frozen=True)
class Record:
    id: int
    at: dt.datetime
    command: str
    via: str
    question: str
    intent: str | None
    entities: tuple[str, ...]
    confidence: float | None
    outcome: Outcome
    latency_ms: float
    asker: str | None
    up: int
    down: int


class Insights:
    """The recorded questions and votes; every method is safe to call from any thread."""

    def __init__(self, path: Path, config: InsightsConfig, clock: Callable[[], dt.datetime]):
        self.config, self.clock, self.path = config, clock, path
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pruned_at: dt.datetime | None = None
        if config.enabled:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            # A record is written on the event loop after each answer: no fsync per question (WAL keeps
            # the file consistent; a power cut may lose the last few records, never the reminders',
            # whose own connection stays synchronous=FULL).
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=5000")
            self._conn = conn
            try:
                conn.executescript(SCHEMA)
                self.prune(clock())
            except sqlite3.Error as exc:  # a read-only or full disk must not stop the start; retried later
                log.error("could not prepare the insights in %s: %s", path, exc)

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("insights are switched off (insights.enabled: false)")
        return self._conn

    # -- hashing --------------------------------------------------------------------------------
    def _salt(self) -> bytes:
        """A random per-installation salt, made once: the hash cannot be reversed by trying ids."""
        with self._lock:
            db = self._db()
            row = db.execute("SELECT value FROM insight_meta WHERE key='salt'").fetchone()
            if row is None:
                db.execute("INSERT OR IGNORE INTO insight_meta VALUES ('salt', ?)", (secrets.token_hex(32),))
                row = db.execute("SELECT value FROM insight_meta WHERE key='salt'").fetchone()
            return bytes.fromhex(str(row["value"]))

    def member_hash(self, member_id: int) -> str:
        return hmac.new(self._salt(), f"member:{member_id}".encode(), hashlib.sha256).hexdigest()[:HASH_CHARS]

    # -- writing --------------------------------------------------------------------------------
    def record(self, asked: Asked) -> int | None:
        """Store one question; returns its id (None when insights are off)."""
        if not self.enabled:
            return None
        asker = (self.member_hash(asked.member_id)
                 if self.config.hash_askers and asked.member_id is not None else None)
        with self._lock:
            cur = self._db().execute(
                "INSERT INTO insight_asks (at_utc, command, via, question, intent, entities, confidence, outcome,"
                " latency_ms, asker) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (iso(asked.at), asked.command, asked.via, asked.question, asked.intent,
                 json.dumps(list(asked.entities), ensure_ascii=False), asked.confidence, asked.outcome,
                 round(asked.latency_ms, 3), asker))
            new_id = cur.lastrowid
        self._maybe_prune(asked.at)
        return new_id

    def vote(self, ask_id: int, member_id: int, vote: Vote, now: dt.datetime) -> VoteResult:
        """One vote per member per reply; a second click changes it."""
        voter = self.member_hash(member_id)
        with self._lock:
            db = self._db()
            if db.execute("SELECT 1 FROM insight_asks WHERE id=?", (ask_id,)).fetchone() is None:
                return "gone"  # deleted by retention (or insights were reset)
            old = db.execute("SELECT vote FROM insight_votes WHERE ask_id=? AND voter=?", (ask_id, voter)).fetchone()
            if old is not None and old["vote"] == vote:
                return "unchanged"
            db.execute("INSERT INTO insight_votes VALUES (?,?,?,?) ON CONFLICT(ask_id, voter) DO UPDATE SET"
                       " vote=excluded.vote, at_utc=excluded.at_utc", (ask_id, voter, vote, iso(now)))
        return "recorded" if old is None else "changed"

    def _maybe_prune(self, now: dt.datetime) -> None:
        # A clock that went back (a corrected host clock) also prunes: never trust an old mark.
        if self._pruned_at is None or not self._pruned_at <= now < self._pruned_at + PRUNE_EVERY:
            self.prune(now)

    def prune(self, now: dt.datetime) -> int:
        """Delete what is older than the retention period, votes included; returns records deleted."""
        if not self.enabled:
            return 0
        cutoff = iso(now - dt.timedelta(days=self.config.retention_days))
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM insight_votes WHERE ask_id IN (SELECT id FROM insight_asks WHERE at_utc < ?)",
                           (cutoff,))
                gone = db.execute("DELETE FROM insight_asks WHERE at_utc < ?", (cutoff,)).rowcount
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._pruned_at = now
        return gone

    # -- reading --------------------------------------------------------------------------------
    def records(self, since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[Record]:
        """Records (oldest first) with their vote counts, in [since, until)."""
        if not self.enabled:
            return []
        where, params = [], []
        if since is not None:
            where.append("a.at_utc >= ?")
            params.append(iso(since))
        if until is not None:
            where.append("a.at_utc < ?")
            params.append(iso(until))
        sql = ("SELECT a.*, COALESCE(SUM(v.vote = 1), 0) AS up, COALESCE(SUM(v.vote = -1), 0) AS down"
               " FROM insight_asks a LEFT JOIN insight_votes v ON v.ask_id = a.id"
               + (" WHERE " + " AND ".join(where) if where else "") + " GROUP BY a.id ORDER BY a.id")
        with self._lock:
            rows = self._db().execute(sql, params).fetchall()
        return [Record(r["id"], parse_iso(r["at_utc"]), r["command"], r["via"], r["question"], r["intent"],
                       tuple(json.loads(r["entities"])), r["confidence"], cast(Outcome, r["outcome"]),
                       r["latency_ms"], r["asker"], int(r["up"]), int(r["down"])) for r in rows]

    def count(self) -> int:
        if not self.enabled:
            return 0
        with self._lock:
            return int(self._db().execute("SELECT COUNT(*) FROM insight_asks").fetchone()[0])
