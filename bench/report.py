"""The generated part of `bench/RESULTS.md`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bench.loading import HERE

BEGIN, END = "<!-- make bench: begin -->", "<!-- make bench: end -->"


def ratio(value: float | None, anchor: float | None) -> str:
    if not value or not anchor:
        return "—"
    return f"{value / anchor:.2f}×"


def render(results: dict[str, Any]) -> str:
    rows = results["wrk"]
    by = {(r["server"], r["workload"], r["concurrency"]): r for r in rows}
    lines = [
        BEGIN,
        "# `make bench`: the hub, PostGraphile v5 and the floor on one database",
        "",
        f"Run {results['when']} by `make bench` (`bench/run.py`{results['flags']}). Machine: "
        f"{results['machine']}; PostgreSQL {results['postgresql']}; the hub's own tables "
        f"holding `petition-hub demo --appeals {results['appeals']:,}` (`VACUUM ANALYZE`d). "
        f"`wrk -t1`, {results['seconds']} s per figure after a 1 s warm-up; client, servers "
        "and database share the 2 cores. Hub servers: `petition-hub serve` (uvicorn, uvloop, "
        "httptools); `hub-pg-N` on PostgreSQL with N workers, `hub-sqlite-1` on the same "
        "demo in SQLite. PostGraphile v5 (amber preset, Node 22) connects as the "
        "superuser, no row security: it applies no slice. The floor is one hand-written SQL "
        "statement per request through asyncpg behind a bare Starlette route "
        "(`bench/floor.py`). Statements per request are counted on the wire "
        "(`bench/pgcount.py`: every `Query` and `Execute`, `BEGIN`/`COMMIT` included). "
        "Peak memory is the resident size of the server's processes during that figure."
        + (
            f" The detail reads a usual appeal ({p['detail_events']} events, the median "
            f"timeline); the longest timeline ({p['busiest_events']} events) is read by "
            '"detail (longest timeline)" and by the appeal page.'
            if (p := results.get("picked"))
            else ""
        ),
        "",
        "| workload | c | server | req/s | p50 ms | p99 ms | statements/req | peak MB "
        "| errors | ÷ PostGraphile | ÷ floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    order = list(dict.fromkeys(r["workload"] for r in rows))
    for workload in order:
        for connections in (1, 16):
            anchor = by.get(("postgraphile", workload, connections))
            floor_row = by.get(("floor", workload, connections))
            for server in results["servers"]:
                row = by.get((server, workload, connections))
                if row is None:
                    continue
                spr = results["statements"].get(server, {})
                is_hub = server.startswith("hub")
                lines.append(
                    f"| {workload} | {connections} | {server} | {row['rps']:,.0f} | "
                    f"{row['p50_ms']} | {row['p99_ms']} | {spr.get(workload, '—')} | "
                    f"{row['peak_mb']} | {row['errors']} | "
                    f"{ratio(row['rps'], anchor and anchor['rps']) if is_hub else ''} | "
                    f"{ratio(row['rps'], floor_row and floor_row['rps']) if is_hub else ''} |"
                )
    if results.get("fanout"):
        lines += [
            "",
            "## Subscription fan-out (`bench/fanout.py`)",
            "",
            "1,000 `graphql-transport-ws` subscriptions on one token and one hub worker, then "
            "100 `addNote`s at 20 a second. The subscribers are the `graphql-ws` npm client "
            "over `ws` in one Node 22 process (`bench/graphql-ws-client`; `node client`) or "
            "Python `websockets` tasks (`python client`). Delivery latency runs from the "
            "moment the mutation's request is sent to each subscriber's receipt (the same "
            "machine's clock); from `occurredAt`, from the event's own stamp, set in the "
            "mutation's transaction. CPU: the server's and the subscribers' while the 100 "
            "events were delivered (the Python client's includes the mutations' requests).",
            "",
            "| server | subscribers | events | exactly once, in order | delivered "
            "| delivery p50 ms | p99 ms | max ms | mutation alone p50 ms "
            "| mutation with subscribers p50 / p99 ms | from `occurredAt` p50 / p99 ms "
            "| CPU s: server / client |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, f in results["fanout"].items():
            lines.append(
                f"| {name} | {f['subscribers']} | {f['events']} | "
                f"{f['exactly_once_in_order']}/{f['subscribers']} | "
                f"{f['deliveries']:,}/{f['expected']:,} | {f['p50_ms']} | {f['p99_ms']} | "
                f"{f['max_ms']} | {f['mutation_alone_p50_ms']} | "
                f"{f['mutation_p50_ms']} / {f['mutation_p99_ms']} | "
                f"{f.get('stamped_p50_ms', '—')} / {f.get('stamped_p99_ms', '—')} | "
                f"{f.get('server_cpu_s', '—')} / {f.get('client_cpu_s', '—')} |"
            )
    if results.get("profiles"):
        profiled = list(results["profiles"])
        names = list(dict.fromkeys(k for v in results["profiles"].values() for k in v))
        lines += [
            "",
            "## Where hub-pg-1's CPU went at concurrency 16 (`--profile`)",
            "",
            "py-spy samples of the server during each figure above, each charged to the "
            "layer of its innermost Python frame (`bench/profile.py`), in % of the samples.",
            "",
            "| layer | " + " | ".join(profiled) + " |",
            "|---|" + "---|" * len(profiled),
        ]
        for name in names:
            shares = [str(results["profiles"][w].get(name, "—")) for w in profiled]
            lines.append(f"| {name} | " + " | ".join(shares) + " |")
    if results.get("stats"):
        lines += [
            "",
            "## `stats` for a year by street on 1,000,000 appeals (`bench/stats.py`)",
            "",
            results["stats"].strip(),
        ]
    if any(v is not None for v in results.get("loads", {}).values()):
        lines += [
            "",
            "Loading: "
            + "; ".join(f"{k} {v:.0f} s" for k, v in results["loads"].items() if v is not None),
        ]
    lines.append(END)
    return "\n".join(lines)


def write_report(text: str) -> None:
    path = HERE / "RESULTS.md"
    current = path.read_text() if path.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        path.write_text(head + text + tail)
    else:
        path.write_text(text + "\n\n" + current)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} vCPU ({cpu}), load average {load:.1f} at the start"
