"""What every front end (Discord cogs, console, tests) answers with: config, catalog, search, state, clock.

The catalog and its search indexes are swapped as one pair on reload, so a reader never sees a new
catalog with an old index; a failed reload leaves the last good pair serving.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.build import BuildResult, build
from bot.catalog.model import Catalog, open_catalog
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
        """Open the built catalog, building it first when it is missing or older than its sources."""
        db = self.config.catalog_db
        if rebuild_if_stale and self._stale(db):
            build(self.config.data_dir, db)
        catalog = open_catalog(db)
        self._loaded = Loaded(catalog, Searcher(catalog))
        return self._loaded

    def _stale(self, db: Path) -> bool:
        if not db.exists():
            return True
        built = db.stat().st_mtime
        return any(p.stat().st_mtime > built for p in self.config.data_dir.glob("*.yaml"))

    def reload(self) -> BuildResult:
        """Rebuild from data/ and swap; on SourceError the previous catalog keeps serving."""
        with self._reload_lock:
            result = build(self.config.data_dir, self.config.catalog_db)
            catalog = open_catalog(self.config.catalog_db)
            # The old catalog is not closed here: a reply being built may still read it.
            self._loaded = Loaded(catalog, Searcher(catalog))
            log.info("catalog reloaded: %s in %.2fs", result.counts, result.seconds)
            return result

    def now(self) -> dt.datetime:
        return self.clock()

    def close(self) -> None:
        if self._loaded is not None:
            self._loaded.catalog.close()
        self.insights.close()
        self.state.close()
