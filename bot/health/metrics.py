"""Prometheus metrics (the official `prometheus-client`), served at GET /metrics.

Each App has its own `CollectorRegistry` (not the library's global one), so two bots in one test
process never share counts. Reminder states and the scheduler's lag are read from the state database
at scrape time, so they are never stale and cost nothing between scrapes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from bot.reminders.state import State

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Seconds: most answers come from memory in milliseconds; the 3-second interaction deadline is the top."""
REMINDER_STATES = ("planned", "sending", "sent", "missed", "failed", "cancelled")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _StateCollector(Collector):
    def __init__(self, state: State, clock: Callable[[], dt.datetime]):
        self.state, self.clock = state, clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        # Two aggregate queries: a scrape never reads the reminder rows (thousands, one per member's DM)
        counts = self.state.reminder_counts()
        by_state = GaugeMetricFamily("bot_reminders", "Reminders by state", labels=["state"])
        for name in REMINDER_STATES:
            by_state.add_metric([name], counts.get(name, 0))
        yield by_state
        now = self.clock()
        oldest = self.state.oldest_due(now)
        yield GaugeMetricFamily("bot_scheduler_lag_seconds",
                                "How late the most overdue unsent reminder is (0 when none is due)",
                                value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)


class Metrics:
    def __init__(self, state: State, clock: Callable[[], dt.datetime]):
        self.registry = CollectorRegistry(auto_describe=True)
        self.commands = Counter("bot_commands", "Commands answered, by command and outcome",
                                ["command", "outcome"], registry=self.registry)
        self.latency = Histogram("bot_command_latency_seconds", "Time to answer a command",
                                 ["command"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.reconnects = Counter("bot_gateway_reconnects", "Gateway connections after the first",
                                  registry=self.registry)
        self.connected = Gauge("bot_gateway_connected", "1 while the gateway is connected",
                               registry=self.registry)
        self.registry.register(_StateCollector(state, clock))

    def command(self, path: str, outcome: str, seconds: float) -> None:
        self.commands.labels(path, outcome).inc()
        self.latency.labels(path).observe(seconds)

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)
