"""What the domain counts for its operators (Prometheus metrics, `/metrics`).

Counters only count: no label carries an appeal, a person or any text a caller sent.
With several worker processes, `petition-hub serve` sets `PROMETHEUS_MULTIPROC_DIR`
before the workers start, and each process writes its figures there for the
collector in `web/observability.py` to add up (gauges as the sum over live workers).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_WRITTEN = Counter(
    "hub_events_written", "Events written to the appeals' timelines.", ["kind"]
)
WAKEUPS_PUBLISHED = Counter(
    "hub_wakeups_published", "Wake-ups published to the broker after a commit with events."
)
WATCHER_PASSES = Counter("hub_watcher_passes", "Deadline watcher passes run.")
WATCHER_ALERTS = Counter("hub_watcher_alerts", "Deadline alerts raised by the watcher.", ["kind"])
WATCHER_PASS_SECONDS = Histogram(
    "hub_watcher_pass_seconds",
    "How long a deadline watcher pass took.",
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120),
)
SIGNIN_FAILURES = Counter("hub_signin_failures", "Staff sign-ins refused for a wrong password.")
SIGNIN_LOCKS = Counter(
    "hub_signin_locked", "Staff sign-ins refused because the name or address is locked."
)
OPEN_SUBSCRIPTIONS = Gauge(
    "hub_open_subscriptions", "GraphQL subscriptions open now.", multiprocess_mode="livesum"
)
OPEN_STREAMS = Gauge(
    "hub_open_sse_streams",
    "Server-sent event streams (the pages' live feeds) open now.",
    multiprocess_mode="livesum",
)
