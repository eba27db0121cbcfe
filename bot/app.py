"""What every front end (Discord cogs, console, tests) answers with: config, catalog, search, state, clock.

The catalog and its search indexes are swapped as one pair on reload, so a reader never sees a new
catalog with an old index; a failed reload leaves the last good pair serving. A bad edit in data/
must not stop a restart either (a `git pull` of a broken YAML would become a restart loop): start-up
serves the last good var/catalog.db and keeps the problems in `catalog_problems` for staff to see.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.build import BuildResult, build
from bot.catalog.model import Catalog, open_catalog
from bot.catalog.sources import Problem, SourceError, no_gc
from bot.commands import load
from bot.commands.registry import Registry
from bot.config import Config
from bot.health.metrics import Metrics
from bot.insights.store import Insights
from bot.reminders.state import State
from bot.search.searcher import Searcher

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class NoUsableCatalogError(SourceError):
    """data/ does not build and there is no earlier catalog to fall back on: the one reason not to start."""

    def __init__(self, problems: list[Problem], db: Path):
        self.db = db
        hint = Problem(str(db), None, "", "no usable catalog to start on: fix the problems above, "
                                          "check with `python -m bot catalog check`, then run "
                                          "`python -m bot catalog build`")
        super().__init__([*problems, hint])


def usable_catalog(db: Path) -> bool:
    """True when *db* opens as a catalog (it exists and is not damaged or half-written)."""
    try:
        open_catalog(db).close()
    except sqlite3.Error as exc:
        log.warning("the catalog %s is not usable: %s", db, exc)
        return False
    return True


def _long_lived() -> None:
    """Leave what was just loaded out of the cycle collector's full passes (`gc.freeze`).

    At 100k papers the catalog and its indexes are a few dozen containers of 100k strings or arrays
    each: every full collection walked them all, 0.1–0.3 s in the middle of whichever reply set it
    off. Frozen objects are still freed by reference counting; `reload` unfreezes and collects
    first, so that a replaced catalog held in a cycle is found and freed too.
    """
    gc.freeze()


@dataclass(frozen=True)
class Loaded:
    catalog: Catalog
    search: Searcher


class App:
    def __init__(self, config: Config, *, clock: Clock = utc_now):
        self.config = config
        self.clock = clock
        self._loaded: Loaded | None = None
        self._reload_lock = threading.Lock()
        #: Problems of data/ that the catalog being served does not reflect (empty when it is current).
        self.catalog_problems: tuple[Problem, ...] = ()
        self.state = State(config.state_db)
        self.insights = Insights(config.state_db, config.insights, clock)
        self.metrics = Metrics(self.state, clock)
        self.commands: Registry = load()

    # -- catalog ------------------------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        return self.loaded.catalog

    @property
    def search(self) -> Searcher:
        return self.loaded.search

    @property
    def loaded(self) -> Loaded:
        if self._loaded is None:
            self.open()
        assert self._loaded is not None
        return self._loaded

    def open(self, *, rebuild_if_stale: bool = True) -> Loaded:
        """Open the built catalog, building it first when it is missing or older than its sources.

        When data/ does not build, the last good catalog is served and the problems are logged and kept
        in `catalog_problems`; only with no usable catalog at all does this raise `NoUsableCatalogError`.
        """
        db = self.config.catalog_db
        problems: list[Problem] | None = None  # None: no build tried
        if rebuild_if_stale and self._stale(db):
            problems = self._try_build()
        try:
            catalog = open_catalog(db)
        except sqlite3.Error as exc:
            if not rebuild_if_stale:
                raise
            log.error("the catalog %s cannot be opened (%s): building it again", db, exc)
            if problems is None:
                problems = self._try_build()
            if problems:
                raise NoUsableCatalogError(problems, db) from None
            catalog = open_catalog(db)
        if problems:
            self._keep_last_good(problems)
        with no_gc():  # a load makes containers, not garbage: a collection would only walk them
            search = Searcher(catalog)
        self._loaded = Loaded(catalog, search)
        _long_lived()
        return self._loaded

    def warm(self) -> None:
        """Answer one question of each kind before serving, then freeze what that made with the catalog.

        The reader and the commands keep what they derive once per catalog (the lexicon, the spell
        checker and its English dictionary, the question classifier, the pages' passages, the paper
        orders): made by the first questions, that cost the first members up to 0.1 s each at 100k
        papers, and the cycle collector walked those fresh containers in the middle of later replies.
        Made here, they are frozen with the catalog (`_long_lived`). Answering reads only, so nothing
        is recorded.
        """
        catalog = self.catalog
        # The last person of papers.yaml: anyone warms the same code, and the first are the most prolific
        # (a card of 800 papers at 100k made warming 0.17 s longer).
        person = catalog.people.at(len(catalog.people) - 1) if len(catalog.people) else None
        stream = next(iter(catalog.streams.values()), None)
        title = next(iter(catalog.papers.values()), None)
        topic = " ".join(title.title.split()[:2]) if title else "language models"
        questions = [f"papers about {topic}", f"most cited papers about {topic}", f"which alumni worked on {topic}?",
                     "when does the program end?", "what can you do?"]
        if person:
            questions.append(f"what has {person.name} written?")
        if stream:
            questions += [f"how often does the {stream.name} stream meet?", f"who mentors the {stream.name} stream?"]
        for question in questions:
            try:
                self.commands.run(self, "ask", {"question": question})
            except Exception:  # a bug one question meets must not stop a start or a reload
                log.exception("warming with %r failed: questions of that kind start cold", question)
        _long_lived()

    def _try_build(self) -> list[Problem]:
        """Build data/ into the catalog database; the problems when it does not build (nothing written)."""
        try:
            build(self.config.data_dir, self.config.catalog_db)
        except SourceError as exc:
            return exc.problems
        self.catalog_problems = ()
        return []

    def _keep_last_good(self, problems: list[Problem]) -> None:
        self.catalog_problems = tuple(problems)
        log.error("%s does not build (%d problem%s); serving the last good catalog %s",
                  self.config.data_dir, len(problems), "" if len(problems) == 1 else "s", self.config.catalog_db)
        for problem in problems:
            log.error("catalog problem: %s", problem)

    def _stale(self, db: Path) -> bool:
        if not db.exists():
            return True
        built = db.stat().st_mtime
        return any(p.stat().st_mtime > built for p in self.config.data_dir.glob("*.yaml"))

    def reload(self) -> BuildResult:
        """Rebuild from data/ and swap; on SourceError the previous catalog keeps serving."""
        with self._reload_lock:
            try:
                result = build(self.config.data_dir, self.config.catalog_db)
            except SourceError as exc:
                self._keep_last_good(exc.problems)
                raise
            self.catalog_problems = ()
            catalog = open_catalog(self.config.catalog_db)
            # The old catalog is not closed here: a reply being built may still read it.
            self._loaded = Loaded(catalog, Searcher(catalog))
            gc.unfreeze()
            gc.collect()  # the catalog replaced, unless a reply still holds it
            self.warm()  # freezes the new catalog with what answering keeps of it
            log.info("catalog reloaded: %s in %.2fs", result.counts, result.seconds)
            return result

    def now(self) -> dt.datetime:
        return self.clock()

    def close(self) -> None:
        if self._loaded is not None:
            self._loaded.catalog.close()
        self.insights.close()
        self.state.close()
