"""The subscription fan-out, measured from outside: N `graphql-transport-ws` subscribers on
one hub, then M mutations (`addNote`, one event each) at a steady rate.

    .venv/bin/python -m bench.fanout --url http://127.0.0.1:8100 --token … --appeal ID

Reports, as JSON on the last line: whether every subscriber got every event exactly once
and in cursor order, the delivery latency (from the mutation's request to each
subscriber's receipt) p50/p99/max, and the mutation's round trip with no subscriber and
with all of them. `bench.run` calls it; it is a plain client, any hub will do.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import statistics
import sys
import time
from typing import Any

import httpx
import websockets

SUBSCRIBE = """subscription { petitionEvents(kinds: [NOTE_ADDED]) {
  cursor kind data organisation { code } petition { id number status } } }"""
NOTE = """mutation($id: ID!, $text: String!) {
  addNote(id: $id, text: $text) { id version } }"""


def cursor_id(cursor: str) -> int:
    return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())


class Subscriber:
    def __init__(self) -> None:
        self.received: list[tuple[int, str, float]] = []  # (event id, text, when)
        self.ready = asyncio.Event()

    async def run(self, url: str, token: str, stop: asyncio.Event) -> None:
        """Subscribe, then note every event until `stop`."""
        async with websockets.connect(
            url,
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            max_queue=None,
            ping_interval=None,
        ) as ws:
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
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), 0.5)
                except TimeoutError:
                    continue
                now = time.perf_counter()
                message = json.loads(raw)
                if message["type"] == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                    continue
                if message["type"] != "next":
                    raise RuntimeError(f"unexpected message {message}")
                event = message["payload"]["data"]["petitionEvents"]
                self.received.append((cursor_id(event["cursor"]), event["data"]["text"], now))


async def mutate(http: httpx.AsyncClient, appeal: str, text: str) -> float:
    started = time.perf_counter()
    response = await http.post(
        "/graphql", json={"query": NOTE, "variables": {"id": appeal, "text": text}}
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def measure(
    url: str, token: str, appeal: str, subscribers: int, events: int, rate: float
) -> dict[str, Any]:
    ws_url = url.replace("http", "ws", 1) + "/graphql"
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        # The mutation's round trip with nobody listening
        alone = []
        for n in range(20):
            started = await mutate(http, appeal, f"alone-{n}")
            alone.append((time.perf_counter() - started) * 1000)

        stop = asyncio.Event()
        subs = [Subscriber() for _ in range(subscribers)]
        tasks = []
        for sub in subs:  # connect in small waves: the server's accept queue is finite
            tasks.append(asyncio.create_task(sub.run(ws_url, token, stop)))
            if len(tasks) % 50 == 0:
                await asyncio.gather(*(s.ready.wait() for s in subs[: len(tasks)]))
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in subs)), 120)
        # Every subscription past its start: each has received a first note.
        await mutate(http, appeal, "warm-up")
        deadline = time.perf_counter() + 120
        while any(not s.received for s in subs) and time.perf_counter() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        for sub in subs:
            sub.received.clear()
        await asyncio.sleep(1)

        print("measuring", file=sys.stderr, flush=True)  # (for a profiler to start now)
        sent: dict[str, float] = {}
        round_trips = []
        for n in range(events):
            text = f"bench-{n}"
            started = await mutate(http, appeal, text)
            sent[text] = started
            round_trips.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))
        deadline = time.perf_counter() + 30
        while any(len(s.received) < events for s in subs) and time.perf_counter() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)

    latencies = []
    exact = 0
    for sub in subs:
        ids = [i for i, _, _ in sub.received]
        texts = [t for _, t, _ in sub.received]
        if texts == list(sent) and ids == sorted(set(ids)):
            exact += 1
        latencies += [(when - sent[t]) * 1000 for _, t, when in sub.received if t in sent]
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
        "mutation_alone_p50_ms": round(statistics.median(alone), 1),
        "mutation_p50_ms": round(statistics.median(round_trips), 1),
        "mutation_p99_ms": round(percentile(round_trips, 0.99), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--appeal", required=True, help="the id of an appeal the token may note")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20, help="mutations per second")
    args = parser.parse_args()
    result = asyncio.run(
        measure(args.url, args.token, args.appeal, args.subscribers, args.events, args.rate)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
