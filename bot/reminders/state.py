"""The bot's own state: staff-made deadlines, reminder settings and every reminder's life.

It lives in its own SQLite file, apart from the catalog, because the catalog is rebuilt from YAML at
any time and staff-made data must survive every rebuild and restart. Each reminder transition
(planned → sending → sent, or missed / failed / cancelled) is one committed write, so a crash at any
instant leaves a state the next start can finish from without sending anything twice.

It is the one file that must never be lost, so a write that cannot be kept is never reported as kept:
a damaged file, a file deleted or replaced under the running bot (writes would go to the vanished
file and be gone at the next restart) and a read-only or failing disk each raise a `StateError` that
says what happened and what to do, before or instead of the write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SCHEMA = """
CREATE TABLE IF NOT EXISTS deadlines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    due_utc TEXT NOT NULL,          -- ISO 8601, UTC
    timezone TEXT NOT NULL,         -- as staff gave it (IANA name, offset or AoE), for display
    description TEXT NOT NULL DEFAULT '',
    link TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0  -- iCalendar SEQUENCE: raised on every edit
);
-- Removed deadlines, kept so the calendar feed can tell subscribed calendar apps to cancel them.
CREATE TABLE IF NOT EXISTS removed_deadlines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    due_utc TEXT NOT NULL,
    timezone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT NOT NULL,
    sequence INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reminders (
    deadline_id TEXT NOT NULL,
    offset_s INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,    -- the reminder channel, or 0 for a member's direct message
    member_id INTEGER NOT NULL DEFAULT 0,  -- the member who follows the deadline (DM), or 0
    due_utc TEXT NOT NULL,
    status TEXT NOT NULL,           -- planned | sending | sent | missed | failed | cancelled
    nonce TEXT NOT NULL,            -- sent with enforce_nonce, and in the message's button as its marker
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_utc TEXT,
    last_error TEXT,
    message_id TEXT,
    attempt_at TEXT,                -- when the last send began: recovery reads the channel from here on
    updated_at TEXT NOT NULL,
    PRIMARY KEY (deadline_id, offset_s, channel_id, member_id)
);
-- A paged reply's command, so its page buttons still work after a restart (no member id: the
-- owner allowed to turn the pages is in the button's custom_id, where Discord already shows it).
CREATE TABLE IF NOT EXISTS invocations (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    options TEXT NOT NULL,          -- JSON
    vote_id INTEGER,                -- the reply's 👍/👎 record, kept on every page
    created_at TEXT NOT NULL
);
-- Members who asked for a DM before a deadline ("Remind me"): the only member ids the bot keeps.
CREATE TABLE IF NOT EXISTS follows (
    member_id INTEGER NOT NULL,
    deadline_id TEXT NOT NULL,
    offsets TEXT,                   -- JSON list of seconds the member picked, or NULL: the staff's offsets
    created_at TEXT NOT NULL,
    PRIMARY KEY (member_id, deadline_id)
);
"""
CHANGES_SCHEMA = """
-- A counter every change to what is planned raises (deadlines, follows, settings but the scheduler's
-- own heartbeat), by triggers, so no writer can forget it: the running bot's scheduler looks at it
-- every few seconds and re-plans when another process (the console) changed something.
CREATE TABLE IF NOT EXISTS changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT OR IGNORE INTO changes VALUES (1, 0);
""" + "".join(
    f"CREATE TRIGGER IF NOT EXISTS {table}_{verb.lower()} AFTER {verb} ON {table}"
    + (f" WHEN {'OLD' if verb == 'DELETE' else 'NEW'}.key <> 'scheduler_beat'" if table == "settings" else "")
    + " BEGIN UPDATE changes SET n = n + 1 WHERE id = 1; END;\n"
    for table in ("deadlines", "follows", "settings") for verb in ("INSERT", "UPDATE", "DELETE"))
Status = Literal["planned", "sending", "sent", "missed", "failed", "cancelled"]
"""A reminder's life: planned → sending → sent, or missed / failed / cancelled."""
UNSENT: tuple[Status, ...] = ("planned", "sending")
Key = tuple[str, int, int, int]
"""A reminder's identity: (deadline id, offset in seconds, channel id or 0, member id or 0)."""
SettingKey = Literal["channel_id", "role_id", "offsets", "scheduler_beat"]
"""The reminder settings staff can change (kept as JSON in the settings table)."""


log = logging.getLogger(__name__)

_DAMAGED_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_NOT_THE_DISK = frozenset({sqlite3.SQLITE_ERROR, sqlite3.SQLITE_CONSTRAINT, sqlite3.SQLITE_MISMATCH,
                           sqlite3.SQLITE_RANGE})
"""Primary result codes of a statement that is wrong for this file (a table gone, a bug), not of a disk
that refused it: raised as SQLite's own error, since "the disk refused the write" would send the
operator after the wrong cause (and reconnecting cannot help)."""


class StateError(Exception):
    """The state database cannot do what was asked; the message says what happened and what to do."""


class StateDamagedError(StateError):
    """The file is not a sound SQLite database (truncated, overwritten, corrupted)."""

    def __init__(self, path: Path, detail: str):
        super().__init__(
            f"the state database {path} is damaged ({detail}). Restore it from a backup: "
            f"`python -m bot state restore BACKUP` (the automatic ones are in {path.parent / 'backups'}), "
            "then start the bot again.")


class StateLostError(StateError):
    """The file at the state path is not the one the bot opened: deleted, or replaced by another."""


class StateWriteError(StateError):
    """SQLite could not commit the write (read-only file or disk, disk full, I/O error)."""


def _damaged(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in _DAMAGED_CODES


def _not_the_disk(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _NOT_THE_DISK


def _why(exc: sqlite3.Error) -> str:
    """The reason in plain words, with SQLite's own words after it."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return f"the file or its disk is read-only ({text})"
    if "full" in text:
        return f"the disk is full ({text})"
    return f"the disk refused the write ({text})"


@dataclass(frozen=True)
class Deadline:
    id: str
    title: str
    due: dt.datetime  # aware, UTC
    timezone: str
    description: str = ""
    link: str | None = None
    sequence: int = 0  # raised on every edit (the calendar feed's SEQUENCE)
    created: dt.datetime | None = None
    updated: dt.datetime | None = None  # the last edit (or removal, for a removed one)


@dataclass(frozen=True)
class Reminder:
    deadline_id: str
    offset_s: int
    channel_id: int
    due: dt.datetime
    status: Status
    nonce: str
    attempts: int
    next_try: dt.datetime | None
    last_error: str | None
    member_id: int = 0  # non-zero: a direct message to this member (channel_id is then 0)
    attempt_at: dt.datetime | None = None
    message_id: str | None = None

    @property
    def key(self) -> Key:
        return (self.deadline_id, self.offset_s, self.channel_id, self.member_id)

    @property
    def is_dm(self) -> bool:
        return self.member_id != 0


@dataclass(frozen=True)
class Follow:
    """A member's "Remind me" on one deadline; `offsets` None means the staff's offsets."""

    member_id: int
    deadline_id: str
    offsets: tuple[int, ...] | None
    created: dt.datetime


_KEY_WHERE = "deadline_id=? AND offset_s=? AND channel_id=? AND member_id=?"


def _reminder(r: sqlite3.Row) -> Reminder:
    return Reminder(r["deadline_id"], r["offset_s"], r["channel_id"], dt.datetime.fromisoformat(r["due_utc"]),
                    r["status"], r["nonce"], r["attempts"], _dt(r["next_try_utc"]), r["last_error"],
                    r["member_id"], _dt(r["attempt_at"]), r["message_id"])


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat()


def _dt(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _deadline(r: sqlite3.Row) -> Deadline:
    return Deadline(r["id"], r["title"], dt.datetime.fromisoformat(r["due_utc"]), r["timezone"], r["description"],
                    r["link"], r["sequence"], dt.datetime.fromisoformat(r["created_at"]),
                    dt.datetime.fromisoformat(r["updated_at"]))


def nonce_for(deadline_id: str, offset_s: int, channel_id: int, due: dt.datetime, member_id: int = 0) -> str:
    """Same reminder, same nonce (≤25 chars): a resend after a crash is recognised by Discord, and
    the message carries it in a button's custom_id, so it can be found after Discord forgot it.
    """
    member = f"|m{member_id}" if member_id else ""
    digest = hashlib.sha256(f"{deadline_id}|{offset_s}|{channel_id}|{_iso(due)}{member}".encode()).hexdigest()
    return "r" + digest[:24]


class State:
    """A small, serialised wrapper over the state database (safe to share between threads)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.lock = threading.RLock()
        self._reconnect_before_write = False
        self.conn, self._identity = self._connect()

    def _connect(self) -> tuple[sqlite3.Connection, tuple[int, int]]:
        """Open and check the file; its (device, inode) is what every later write must still find there."""
        try:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateWriteError(f"the state database {self.path} cannot be opened: {_why(exc)}") from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise StateDamagedError(self.path, f"integrity check: {verdict}")
            with self.lock:
                if not self._schema_present(conn):
                    conn.executescript(SCHEMA)
                self._migrate(conn)
        except sqlite3.Error as exc:
            conn.close()
            if _damaged(exc):
                raise StateDamagedError(self.path, str(exc)) from None
            raise StateWriteError(f"the state database {self.path} cannot be opened: {_why(exc)}") from None
        except StateError:
            conn.close()
            raise
        st = os.stat(self.path)
        return conn, (st.st_dev, st.st_ino)

    @staticmethod
    def _schema_present(conn: sqlite3.Connection) -> bool:
        """Every table there already: a read-only file with the full schema still opens for reading."""
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {"deadlines", "removed_deadlines", "settings", "reminders", "follows"} <= names

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Columns added after the first release: a state file from an older version gains them."""
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name='settings_delete'").fetchone() is None:
            conn.executescript(CHANGES_SCHEMA)
        columns = {r["name"] for r in conn.execute("PRAGMA table_info(deadlines)")}
        if "sequence" not in columns:
            conn.execute("ALTER TABLE deadlines ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0")
        columns = {r["name"] for r in conn.execute("PRAGMA table_info(reminders)")}
        if "member_id" not in columns:  # the key gained member_id: SQLite needs the table rebuilt
            conn.executescript(
                "BEGIN IMMEDIATE; ALTER TABLE reminders RENAME TO reminders_old;"
                + SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS reminders ("):SCHEMA.index("-- Members who")]
                + "INSERT INTO reminders (deadline_id, offset_s, channel_id, member_id, due_utc, status, nonce, attempts,"
                " next_try_utc, last_error, message_id, updated_at) SELECT deadline_id, offset_s, channel_id, 0, due_utc,"
                " status, nonce, attempts, next_try_utc, last_error, message_id, updated_at FROM reminders_old;"
                " DROP TABLE reminders_old; COMMIT;")

    def close(self) -> None:
        self.conn.close()

    def _exec(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, params)

    def _check_same_file(self) -> None:
        """Refuse a write the next restart would not see: the file was deleted or replaced under us."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            what = "was deleted"
        else:
            if (st.st_dev, st.st_ino) == self._identity:
                return
            what = "was replaced by another file"
        message = (f"the state database {self.path} {what} while the bot was running (a write now would go to "
                   "the vanished file and be lost at the next restart). Put the right file back "
                   "(`python -m bot state restore BACKUP`) and restart the bot.")
        log.critical("%s", message)
        raise StateLostError(message)

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write (or transaction) to the file the bot opened; any failure is a `StateError`, never silent.

        After a failed write the next one reconnects first, so a disk that is writable again is used again
        without a restart (a connection opened while the file was read-only would stay read-only).
        """
        with self.lock:
            self._check_same_file()
            if self._reconnect_before_write:
                old = self.conn
                self.conn, self._identity = self._connect()
                old.close()
                self._reconnect_before_write = False
            try:
                yield self.conn
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                if _damaged(exc):
                    raise StateDamagedError(self.path, str(exc)) from None
                if _not_the_disk(exc):
                    raise
                self._reconnect_before_write = True
                message = f"the state database {self.path} cannot be written: {_why(exc)}"
                log.error("a change was NOT saved: %s", message)
                raise StateWriteError(message) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """`writing()` as one all-or-nothing transaction.

        Any exception (not only SQLite's: a bug, a cancellation) rolls it back before it goes on: a
        transaction left open would hold the write lock and silently swallow every later write.
        Inside another transaction (same thread: the lock is held) it joins it: the outer one commits.
        """
        with self.writing() as conn:
            if conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- deadlines ----------------------------------------------------------------------------
    def deadlines(self) -> list[Deadline]:
        rows = self._exec("SELECT * FROM deadlines ORDER BY due_utc, title").fetchall()
        return [_deadline(r) for r in rows]

    def deadline(self, deadline_id: str) -> Deadline | None:
        row = self._exec("SELECT * FROM deadlines WHERE id=?", (deadline_id,)).fetchone()
        return _deadline(row) if row else None

    def removed_deadlines(self) -> list[Deadline]:
        """Deadlines staff removed (their `updated` is the removal), newest removal last."""
        rows = self._exec("SELECT * FROM removed_deadlines ORDER BY removed_at, id").fetchall()
        return [Deadline(r["id"], r["title"], dt.datetime.fromisoformat(r["due_utc"]), r["timezone"],
                         sequence=r["sequence"], created=dt.datetime.fromisoformat(r["created_at"]),
                         updated=dt.datetime.fromisoformat(r["removed_at"])) for r in rows]

    def save_deadline(self, d: Deadline, now: dt.datetime, by: str = "") -> Deadline:
        """Add or change a deadline; an actual change raises its sequence. Returns it as stored.

        An id that was removed before continues from the removed one's sequence, so a calendar app
        that saw it cancelled takes the new version.
        """
        with self.transaction() as conn:
            old = conn.execute("SELECT * FROM deadlines WHERE id=?", (d.id,)).fetchone()
            if old is None:
                gone = conn.execute("SELECT sequence FROM removed_deadlines WHERE id=?", (d.id,)).fetchone()
                sequence = gone["sequence"] + 1 if gone else 0
                conn.execute(
                    "INSERT INTO deadlines (id, title, due_utc, timezone, description, link, created_by, created_at,"
                    " updated_at, sequence) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (d.id, d.title, _iso(d.due), d.timezone, d.description, d.link, by, _iso(now), _iso(now), sequence))
                conn.execute("DELETE FROM removed_deadlines WHERE id=?", (d.id,))
            elif (old["title"], old["due_utc"], old["timezone"], old["description"], old["link"]) != \
                    (d.title, _iso(d.due), d.timezone, d.description, d.link):
                conn.execute(
                    "UPDATE deadlines SET title=?, due_utc=?, timezone=?, description=?, link=?, updated_at=?,"
                    " sequence=sequence+1 WHERE id=?",
                    (d.title, _iso(d.due), d.timezone, d.description, d.link, _iso(now), d.id))
        stored = self.deadline(d.id)
        assert stored is not None
        return stored

    def remove_deadline(self, deadline_id: str, now: dt.datetime) -> bool:
        with self.transaction() as conn:
            old = conn.execute("SELECT * FROM deadlines WHERE id=?", (deadline_id,)).fetchone()
            if old is None:
                return False
            conn.execute(
                "INSERT OR REPLACE INTO removed_deadlines (id, title, due_utc, timezone, created_at, removed_at,"
                " sequence) VALUES (?,?,?,?,?,?,?)", (old["id"], old["title"], old["due_utc"], old["timezone"],
                                                     old["created_at"], _iso(now), old["sequence"] + 1))
            conn.execute("DELETE FROM deadlines WHERE id=?", (deadline_id,))
            conn.execute("DELETE FROM follows WHERE deadline_id=?", (deadline_id,))
            conn.execute("UPDATE reminders SET status='cancelled', updated_at=? WHERE deadline_id=? AND status"
                         " IN ('planned','sending')", (_iso(now), deadline_id))
        return True

    # -- settings -----------------------------------------------------------------------------
    def setting(self, key: SettingKey) -> object:
        """The stored JSON value (None when unset); prefer the typed accessors below."""
        row = self._exec("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return json.loads(row["value"]) if row else None

    def channel_id(self) -> int | None:
        """The reminder channel staff chose, if any."""
        value = self.setting("channel_id")
        return int(value) if isinstance(value, int | str) and str(value).isdigit() else None

    def role_id(self) -> int | None:
        """The one role a reminder may ping, if any."""
        value = self.setting("role_id")
        return int(value) if isinstance(value, int | str) and str(value).isdigit() else None

    def offsets(self) -> list[int] | None:
        """Reminder offsets (seconds before the deadline) staff chose; None means the config's."""
        value = self.setting("offsets")
        return [int(v) for v in value] if isinstance(value, list) and value else None

    def scheduler_beat(self) -> tuple[dt.datetime, dt.datetime] | None:
        """When the scheduler last woke and when it means to wake next (for `python -m bot status`)."""
        value = self.setting("scheduler_beat")
        if not isinstance(value, dict) or not {"at", "next"} <= value.keys():
            return None
        return dt.datetime.fromisoformat(str(value["at"])), dt.datetime.fromisoformat(str(value["next"]))

    def set_setting(self, key: SettingKey, value: object) -> None:
        with self.writing() as conn:
            conn.execute("INSERT INTO settings VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                         (key, json.dumps(value)))

    def changes(self) -> int:
        """The change counter (raised by any connection's change to deadlines, follows or settings)."""
        row = self._exec("SELECT n FROM changes WHERE id=1").fetchone()
        return int(row[0]) if row else 0

    # -- reminders ----------------------------------------------------------------------------
    def reminders(self, statuses: tuple[Status, ...] | None = None, *, member_id: int | None = None) -> list[Reminder]:
        where: list[str] = []
        params: list[object] = []
        if statuses:
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            params += list(statuses)
        if member_id is not None:
            where.append("member_id=?")
            params.append(member_id)
        sql = "SELECT * FROM reminders" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._exec(sql + " ORDER BY due_utc, deadline_id, offset_s DESC, member_id", tuple(params)).fetchall()
        return [_reminder(r) for r in rows]

    def due_reminders(self, now: dt.datetime) -> list[Reminder]:
        """Unsent reminders whose time (or retry time) has come, in sending order: what a pass acts on
        (the ones still waiting are not even read, however many members follow).
        """
        rows = self._exec("SELECT * FROM reminders WHERE status IN ('planned','sending') AND"
                          " MAX(due_utc, COALESCE(next_try_utc, due_utc)) <= ?"
                          " ORDER BY due_utc, deadline_id, offset_s DESC, member_id", (_iso(now),)).fetchall()
        return [_reminder(r) for r in rows]

    def next_wake(self) -> dt.datetime | None:
        """The earliest time an unsent reminder is due or retried (times are stored as UTC ISO text,
        which sorts as time).
        """
        row = self._exec("SELECT MIN(MAX(due_utc, COALESCE(next_try_utc, due_utc))) FROM reminders"
                         " WHERE status IN ('planned','sending')").fetchone()
        return _dt(row[0]) if row else None

    def reminder_counts(self) -> dict[str, int]:
        """How many reminders are in each status (for /metrics: counted by SQLite, no row read)."""
        rows = self._exec("SELECT status, COUNT(*) FROM reminders GROUP BY status").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def oldest_due(self, now: dt.datetime) -> dt.datetime | None:
        """The due time of the most overdue unsent reminder that is not waiting for a retry."""
        row = self._exec("SELECT MIN(due_utc) FROM reminders WHERE status IN ('planned','sending') AND due_utc <= ?"
                         " AND (next_try_utc IS NULL OR next_try_utc <= ?)", (_iso(now), _iso(now))).fetchone()
        return _dt(row[0]) if row else None

    def reminder(self, key: Key) -> Reminder | None:
        """One reminder as stored now (None once deleted, e.g. by a member's forget-me)."""
        row = self._exec(f"SELECT * FROM reminders WHERE {_KEY_WHERE}", key).fetchone()
        return _reminder(row) if row else None

    def upsert_planned(self, key: Key, due: dt.datetime, now: dt.datetime) -> None:
        """Plan a reminder, or move an unsent one to its new due time; a sent one is never touched."""
        deadline_id, offset_s, channel_id, member_id = key
        nonce = nonce_for(deadline_id, offset_s, channel_id, due, member_id)
        with self.writing() as conn:
            row = conn.execute(f"SELECT status, due_utc FROM reminders WHERE {_KEY_WHERE}", key).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO reminders (deadline_id, offset_s, channel_id, member_id, due_utc, status, nonce,"
                    " updated_at) VALUES (?,?,?,?,?, 'planned', ?, ?)", (*key, _iso(due), nonce, _iso(now)))
            elif row["status"] == "cancelled" or (row["status"] in ("planned", "missed", "failed")
                                                 and row["due_utc"] != _iso(due)):
                conn.execute(
                    "UPDATE reminders SET due_utc=?, nonce=?, status='planned', attempts=0, next_try_utc=NULL,"
                    f" last_error=NULL, attempt_at=NULL, updated_at=? WHERE {_KEY_WHERE}",
                    (_iso(due), nonce, _iso(now), *key))

    def set_status(self, r: Reminder, status: Status, now: dt.datetime, *, error: str | None = None,
                   next_try: dt.datetime | None = None, attempts: int | None = None,
                   message_id: str | None = None, attempt_at: dt.datetime | None = None) -> None:
        with self.writing() as conn:
            conn.execute(
                "UPDATE reminders SET status=?, last_error=?, next_try_utc=?, attempts=COALESCE(?, attempts),"
                " message_id=COALESCE(?, message_id), attempt_at=COALESCE(?, attempt_at), updated_at=?"
                f" WHERE {_KEY_WHERE}",
                (status, error, _iso(next_try) if next_try else None, attempts, message_id,
                 _iso(attempt_at) if attempt_at else None, _iso(now), *r.key))

    def cancel_unsent(self, keep: set[Key], now: dt.datetime) -> None:
        """Cancel unsent reminders no longer wanted (offsets or channel changed, deadline removed)."""
        with self.transaction() as conn:
            rows = conn.execute("SELECT deadline_id, offset_s, channel_id, member_id FROM reminders"
                                " WHERE status IN ('planned','sending')").fetchall()
            conn.executemany(f"UPDATE reminders SET status='cancelled', updated_at=? WHERE {_KEY_WHERE}",
                             [(_iso(now), *tuple(r)) for r in rows if tuple(r) not in keep])

    def plan_rows(self) -> dict[Key, tuple[Status, dt.datetime]]:
        """Every reminder's status and due time by key, in one light read (what planning compares with)."""
        rows = self._exec("SELECT deadline_id, offset_s, channel_id, member_id, status, due_utc FROM reminders")
        return {(r[0], r[1], r[2], r[3]): (r[4], dt.datetime.fromisoformat(r[5])) for r in rows.fetchall()}

    def apply_plan(self, wanted: dict[Key, dt.datetime], now: dt.datetime,
                   rows: dict[Key, tuple[Status, dt.datetime]] | None = None) -> int:
        """Make the reminder table match *wanted* (key → due) in one transaction; how many rows changed.

        The rules of `upsert_planned` for each wanted key (a sent or sending one is never touched), and
        every unsent reminder not wanted is cancelled. One commit for the whole plan: a commit per row
        (an fsync each) made an offsets change at 1000 members × 5 deadlines take seconds. *rows*: what
        `plan_rows()` read in the caller's transaction, if it holds one.
        """
        with self.transaction():
            if rows is None:
                rows = self.plan_rows()
            inserts: list[tuple[object, ...]] = []
            moves: list[tuple[object, ...]] = []
            for key, due in wanted.items():  # the nonce (a hash) only for a row that is written
                old = rows.get(key)
                if old is None:
                    inserts.append((*key, _iso(due), nonce_for(key[0], key[1], key[2], due, key[3]), _iso(now)))
                elif old[0] == "cancelled" or (old[0] in ("planned", "missed", "failed") and old[1] != due):
                    moves.append((_iso(due), nonce_for(key[0], key[1], key[2], due, key[3]), _iso(now), *key))
            cancels = [(_iso(now), *key) for key, (status, _) in rows.items()
                       if status in UNSENT and key not in wanted]
            with self.writing() as conn:
                conn.executemany(
                    "INSERT INTO reminders (deadline_id, offset_s, channel_id, member_id, due_utc, status, nonce,"
                    " updated_at) VALUES (?,?,?,?,?, 'planned', ?, ?)", inserts)
                conn.executemany(
                    "UPDATE reminders SET due_utc=?, nonce=?, status='planned', attempts=0, next_try_utc=NULL,"
                    f" last_error=NULL, attempt_at=NULL, updated_at=? WHERE {_KEY_WHERE}", moves)
                conn.executemany(f"UPDATE reminders SET status='cancelled', updated_at=? WHERE {_KEY_WHERE}", cancels)
        return len(inserts) + len(moves) + len(cancels)

    # -- paged replies -------------------------------------------------------------------------
    def remember(self, path: str, options: dict[str, object], vote_id: int | None, now: dt.datetime,
                 keep: dt.timedelta = dt.timedelta(days=30)) -> int:
        """Keep the command behind a paged reply (older ones than *keep* are dropped); its id."""
        with self.transaction() as conn:  # the guards every write goes through (a lost file, a full disk)
            conn.execute("DELETE FROM invocations WHERE created_at < ?", (_iso(now - keep),))
            cur = conn.execute("INSERT INTO invocations (path, options, vote_id, created_at) VALUES (?,?,?,?)",
                               (path, json.dumps(options, default=str), vote_id, _iso(now)))
        return int(cur.lastrowid or 0)

    def invocation(self, invocation_id: int) -> tuple[str, dict[str, object], int | None] | None:
        row = self._exec("SELECT * FROM invocations WHERE id=?", (invocation_id,)).fetchone()
        if row is None:
            return None
        options = json.loads(row["options"])
        return row["path"], options if isinstance(options, dict) else {}, row["vote_id"]

    # -- members' follows ---------------------------------------------------------------------
    def follow(self, member_id: int, deadline_id: str, offsets: list[int] | None, now: dt.datetime) -> None:
        """Start (or change the offsets of) a member's DM reminders for one deadline."""
        with self.writing() as conn:
            conn.execute("INSERT INTO follows (member_id, deadline_id, offsets, created_at) VALUES (?,?,?,?)"
                         " ON CONFLICT(member_id, deadline_id) DO UPDATE SET offsets=excluded.offsets",
                         (member_id, deadline_id, json.dumps(sorted(offsets, reverse=True)) if offsets else None,
                          _iso(now)))

    def unfollow(self, member_id: int, deadline_id: str, now: dt.datetime) -> bool:
        """Stop a member's DM reminders for one deadline (unsent ones are cancelled at once)."""
        with self.transaction() as conn:
            gone = conn.execute("DELETE FROM follows WHERE member_id=? AND deadline_id=?",
                                     (member_id, deadline_id)).rowcount
            conn.execute("UPDATE reminders SET status='cancelled', updated_at=? WHERE member_id=? AND"
                              " deadline_id=? AND status IN ('planned','sending')", (_iso(now), member_id, deadline_id))
        return bool(gone)

    def follows(self, member_id: int | None = None) -> list[Follow]:
        sql = "SELECT * FROM follows"
        params: tuple[object, ...] = ()
        if member_id is not None:
            sql, params = sql + " WHERE member_id=?", (member_id,)
        rows = self._exec(sql + " ORDER BY created_at, member_id, deadline_id", params).fetchall()
        return [Follow(r["member_id"], r["deadline_id"],
                       tuple(json.loads(r["offsets"])) if r["offsets"] else None,
                       dt.datetime.fromisoformat(r["created_at"])) for r in rows]

    def forget_member(self, member_id: int) -> tuple[int, int]:
        """Delete everything kept about a member: follows and every DM reminder row, sent ones too.
        Returns (follows, reminders) deleted.
        """
        with self.transaction() as conn:
            follows = conn.execute("DELETE FROM follows WHERE member_id=?", (member_id,)).rowcount
            reminders = conn.execute("DELETE FROM reminders WHERE member_id=?", (member_id,)).rowcount
        return follows, reminders
