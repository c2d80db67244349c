"""What the bench sends and how: the workloads' requests, `wrk` with its Lua script, the
statement counts on the wire."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from bench import profile
from bench.loading import ADMIN_URL, OUT
from bench.pgcount import StatementCounter
from bench.servers import Server, process_tree_rss

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
