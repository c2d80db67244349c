"""Benchmark: the staff pages over the 25,000-appeal Pingshan demo, on SQLite.

    make bench-pages            # or: .venv/bin/python -m bench.pages [--runs N] [--reuse]

Loads `petition-hub demo` into a fresh SQLite file under `bench/out/`, builds the app
with `create_app` and drives it in-process (httpx over ASGI: routing, session, CSRF,
the resolvers and their SQL, jinja2 — everything but the socket), signed in as the
demo's staff. Times each page `--runs` times after a warm-up and prints the median.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import text

from db.config import load_settings
from web.app import create_app

OUT = Path(__file__).parent / "out" / "pages"
PASSWORD = "pingshan-demo"


def load_demo(database: Path, appeals: int) -> float:
    database.unlink(missing_ok=True)
    env = os.environ | {
        "PETITION_HUB_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "PETITION_HUB_SECRET_KEY": "bench",
    }
    tool = Path(sys.executable).parent / "petition-hub"
    started = time.perf_counter()
    subprocess.run([tool, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [tool, "demo", "--appeals", str(appeals)], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/petitions",
        },
    )
    assert response.status_code == 303, response.text


async def timed(
    client: httpx.AsyncClient, url: str, runs: int, headers: dict[str, str] | None = None
) -> list[float]:
    for _ in range(3):
        assert (await client.get(url, headers=headers)).status_code == 200, url
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return times


async def measure(database: Path, runs: int) -> list[tuple[str, str, list[float]]]:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{database}",
        secret_key="bench",
        var_dir=database.parent,
        watch_interval=0,
    )
    app = create_app(settings)
    results = []
    async with app.router.lifespan_context(app):
        async with app.state.engine.connect() as connection:
            busiest = (
                await connection.execute(
                    text(
                        "SELECT p.number FROM petitions p JOIN petition_events e ON e.petition_id = p.id"
                        " WHERE p.status <> 'CLOSED' GROUP BY p.number ORDER BY count(*) DESC LIMIT 1"
                    )
                )
            ).scalar_one()
            lmc_case = (
                await connection.execute(
                    text(
                        "SELECT p.number FROM petitions p JOIN assignments a ON a.petition_id = p.id"
                        " JOIN organisations o ON o.id = a.organisation_id WHERE o.code = 'PS-LMC'"
                        " ORDER BY p.received_at DESC LIMIT 1"
                    )
                )
            ).scalar_one()
        transport = httpx.ASGITransport(app=app)
        for username, pages in (
            (
                "hall.dispatcher",
                [
                    ("worklist (25 of 25,000)", "/petitions", None),
                    ("worklist, htmx partial", "/petitions", {"HX-Request": "true"}),
                    ("worklist, search 工资, by deadline", "/petitions?q=工资&sort=due", None),
                    ("worklist, overdue", "/petitions?due=overdue", None),
                    (f"appeal page {busiest}", f"/petitions/{busiest}", None),
                    ("intake form", "/petitions/new", None),
                ],
            ),
            (
                "lmc.handler",
                [
                    ("worklist (its slice)", "/petitions", None),
                    (f"appeal page {lmc_case}", f"/petitions/{lmc_case}", None),
                ],
            ),
        ):
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                await sign_in(client, username)
                for label, url, headers in pages:
                    results.append((username, label, await timed(client, url, runs, headers)))
    await app.state.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appeals", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="measure the existing file")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "hub.db"
    if not (args.reuse and database.exists()):
        seconds = load_demo(database, args.appeals)
        print(f"loaded the demo ({args.appeals} appeals) in {seconds:.1f} s")
    results = asyncio.run(measure(database, args.runs))
    print("\n| signed in as | page | median | p90 | best |\n|---|---|---|---|---|")
    for username, label, times in results:
        ordered = sorted(times)
        p90 = ordered[int(len(ordered) * 0.9) - 1]
        print(
            f"| {username} | {label} | **{statistics.median(times):.1f} ms** | "
            f"{p90:.1f} ms | {ordered[0]:.1f} ms |"
        )


if __name__ == "__main__":
    main()
