"""Backups of the state database: on demand (`python -m bot state backup/restore`) and every day.

The state file holds what staff typed and every reminder's life; nothing rebuilds it. Copies are
made with SQLite's online backup API, which reads a consistent snapshot while the bot keeps writing,
and a restore writes through the same API into the file in place, so a running bot (which checks
before each write that its file is still the one at the path) carries on with the restored content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: Backup file names: state-20261201T220000Z.db, so they sort by age and survive restarts.
PREFIX, SUFFIX, STAMP = "state-", ".db", "%Y%m%dT%H%M%SZ"
REQUIRED_TABLES = frozenset({"deadlines", "settings", "reminders"})


class BackupError(Exception):
    """A backup could not be made or a file cannot be restored; the message says why."""


@dataclass(frozen=True)
class BackupPolicy:
    """The automatic backup: one copy every `every` into `directory`, the newest `keep` kept."""

    directory: Path
    every: dt.timedelta | None = dt.timedelta(days=1)  # None: no automatic backup
    keep: int = 7


def backup_name(now: dt.datetime) -> str:
    return f"{PREFIX}{now.astimezone(dt.UTC).strftime(STAMP)}{SUFFIX}"


def _stamp_of(path: Path) -> dt.datetime | None:
    name = path.name
    if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
        return None
    try:
        return dt.datetime.strptime(name[len(PREFIX):-len(SUFFIX)], STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def backups(directory: Path) -> list[tuple[dt.datetime, Path]]:
    """The automatic and on-demand backups in *directory*, oldest first."""
    if not directory.is_dir():
        return []
    found = [(stamp, p) for p in directory.iterdir() if (stamp := _stamp_of(p)) is not None]
    return sorted(found)


RESTORE_WAIT_SECONDS = 30
"""How long a restore waits for a running bot's lock on the state file before it gives up."""


def _online_copy(source: Path, target: Path, timeout: float = 5.0) -> None:
    """SQLite's online backup of *source* (opened read-only) into *target*: consistent even mid-write."""
    src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=timeout)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file *source* at *target*, written aside and renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        _online_copy(source, partial)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"could not copy {source} to {target}: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)


def backup(source: Path, target: Path | None = None, *, directory: Path | None = None,
           now: dt.datetime | None = None) -> Path:
    """Copy the state database to *target* (default: a dated file in *directory*); returns the copy."""
    if not source.is_file():
        raise BackupError(f"there is no state database at {source} to back up")
    if target is None:
        when = now or dt.datetime.now(dt.UTC)
        target = (directory or source.parent / "backups") / backup_name(when)
    copy_database(source, target)
    return target


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound state database (checked before anything is overwritten)."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} is not a usable state database: {exc}") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")
    if not tables >= REQUIRED_TABLES:
        raise BackupError(f"{path} is not a state database (no {', '.join(sorted(REQUIRED_TABLES - tables))} table)")


@dataclass(frozen=True)
class Restored:
    path: Path
    safety_copy: Path | None  # the state as it was before the restore, when it could be read
    moved_aside: Path | None  # a damaged file, renamed out of the way


def restore(source: Path, state: Path, *, directory: Path | None = None, now: dt.datetime | None = None) -> Restored:
    """Replace the content of *state* by the backup *source*, keeping a copy of what was there.

    A sound current file is first backed up, then overwritten in place through the backup API (same
    file, so a running bot carries on). A damaged one is renamed aside (`….damaged-<time>`) and the
    backup written as a new file: a running bot then refuses its writes until it is restarted.
    """
    check_backup(source)
    when = now or dt.datetime.now(dt.UTC)
    safety: Path | None = None
    aside: Path | None = None
    if state.exists():
        try:
            check_backup(state)
        except BackupError as damaged:
            log.warning("the current state database is not sound (%s): moving it aside", damaged)
            aside = state.with_name(f"{state.name}.damaged-{when.astimezone(dt.UTC).strftime(STAMP)}")
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(f"{state}{suffix}", f"{aside}{suffix}")
        else:
            name = f"{PREFIX}{when.astimezone(dt.UTC).strftime(STAMP)}-before-restore{SUFFIX}"
            safety = backup(state, (directory or state.parent / "backups") / name)
    state.parent.mkdir(parents=True, exist_ok=True)
    try:
        _online_copy(source, state, timeout=RESTORE_WAIT_SECONDS)
    except sqlite3.Error as exc:
        raise BackupError(f"could not restore {source} into {state}: {exc}") from None
    return Restored(state, safety, aside)


def next_due(policy: BackupPolicy, now: dt.datetime) -> dt.datetime | None:
    """When the next automatic backup is due (now or earlier: due now); None when they are off."""
    if policy.every is None:
        return None
    found = backups(policy.directory)
    return found[-1][0] + policy.every if found else now


def run_if_due(policy: BackupPolicy, state: Path, now: dt.datetime) -> Path | None:
    """Make the automatic backup when one is due and drop the oldest beyond `keep`; the new copy, if any."""
    due = next_due(policy, now)
    if due is None or due > now or not state.is_file():
        return None
    made = backup(state, directory=policy.directory, now=now)
    for _, old in backups(policy.directory)[:-policy.keep]:
        old.unlink(missing_ok=True)
    log.info("state backed up to %s (keeping the newest %d)", made, policy.keep)
    return made
