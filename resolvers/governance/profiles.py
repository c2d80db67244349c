"""Community profiles from the governance CSV: read, checked line by line, stored whole.

The file (UTF-8, a BOM allowed) has a header and one line per community:

    community,population,households,housing_units,public_facilities,public_services
    PS-C-LIULIAN,31200,10150,9800,14,22

`community` is the community's region code. A file with any wrong line stores nothing:
the report names every problem with its line, and the previous data stays.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import RegionKind
from resolvers.access.caller import Caller
from resolvers.admin.staff import sets_district_rules
from resolvers.errors import BadUserInput, Forbidden

log = logging.getLogger("petition_hub.governance")

COLUMNS = (
    "community",
    "population",
    "households",
    "housing_units",
    "public_facilities",
    "public_services",
)
NUMBERS = COLUMNS[1:]
MAX_BYTES = 1_000_000
MAX_VALUE = 10_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: the line (1 is the header), the column, and why — a
    message id with its parameters, as errors carry (`resolvers/errors.py`)."""

    line: int
    column: str
    template: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        return self.template.format(**dict(self.params))


def _problem(line: int, column: str, template: str, **params: object) -> Problem:
    return Problem(line, column, template, tuple(sorted(params.items())))


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    stored: int = 0
    problems: list[Problem] = field(default_factory=list)


class BadProfiles(BadUserInput):
    """The file was refused; `report.problems` says where and why."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            "the file has {count} problems; nothing was stored",
            field="file",
            params={"count": len(report.problems)},
        )
        self.report = report


DEMO_FILE = Path(__file__).parents[2] / "db" / "demo" / "governance.csv"


def require_hall_admin(caller: Caller | None) -> None:
    """The hall's administrators import; `None` is the operator at the command line."""
    if not sets_district_rules(caller):
        raise Forbidden("only the appeals hall's administrators import governance data")


def parse_profiles(text: str) -> tuple[list[dict[str, int | str]], list[Problem]]:
    """The file's rows as dicts, and every problem found (nothing is stored here)."""
    problems: list[Problem] = []
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        return [], [_problem(0, "", "the file is larger than 1 MB")]
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        return [], [_problem(1, "", "the header must be: {columns}", columns=",".join(COLUMNS))]
    rows: list[dict[str, int | str]] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            problems.append(
                _problem(
                    number,
                    "",
                    "{found} cells, expected {expected}",
                    found=len(cells),
                    expected=len(COLUMNS),
                )
            )
            continue
        row: dict[str, int | str] = {"community": cells[0].strip()}
        if not row["community"]:
            problems.append(_problem(number, "community", "the community code is empty"))
        elif row["community"] in seen:
            problems.append(
                _problem(
                    number,
                    "community",
                    "listed already on line {first}",
                    first=seen[str(row["community"])],
                )
            )
        seen.setdefault(str(row["community"]), number)
        for name, raw in zip(NUMBERS, cells[1:], strict=True):
            value = raw.strip()
            if not (value.isascii() and value.isdigit()) or int(value) > MAX_VALUE:
                problems.append(
                    _problem(
                        number,
                        name,
                        "{value} is not a whole number from 0 to {most}",
                        value=repr(value),
                        most=MAX_VALUE,
                    )
                )
            else:
                row[name] = int(value)
        rows.append(row)
    for row in rows:
        if (
            all(isinstance(row.get(n), int) for n in ("population", "households"))
            and int(row["households"]) > int(row["population"]) > 0
        ):
            problems.append(
                _problem(
                    seen[str(row["community"])], "households", "more households than residents"
                )
            )
    if not rows and not problems:
        problems.append(_problem(2, "", "the file lists no community"))
    return rows, problems


async def import_profiles(
    *, session: AsyncSession, caller: Caller | None, text: str, now: datetime
) -> ImportReport:
    """Replace every community profile with the file's, in one transaction; refuse the
    whole file (`BadProfiles`, nothing stored) if any line is wrong."""
    require_hall_admin(caller)
    rows, problems = parse_profiles(text)
    communities = {
        code: region_id
        for code, region_id in (
            await session.execute(
                select(models.Region.code, models.Region.id).where(
                    models.Region.kind == RegionKind.COMMUNITY
                )
            )
        ).all()
    }
    for row in rows:
        code = str(row["community"])
        if code and code not in communities:
            problems.append(
                _problem(
                    _line_of(text, code),
                    "community",
                    "no community has the code {code}",
                    code=repr(code),
                )
            )
    report = ImportReport(problems=sorted(problems, key=lambda p: (p.line, p.column)))
    if report.problems:
        raise BadProfiles(report)
    await begin_write(session)
    await session.execute(delete(models.CommunityProfile))
    session.add_all(
        [
            models.CommunityProfile(
                community_id=communities[str(row["community"])],
                imported_at=now,
                **{n: int(row[n]) for n in NUMBERS},
            )
            for row in rows
        ]
    )
    await session.commit()
    report.stored = len(rows)
    log.info("governance data imported", extra={"communities": report.stored})
    return report


def _line_of(text: str, code: str) -> int:
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if line.split(",", 1)[0].strip() == code:
            return number
    return 0


async def list_profiles(session: AsyncSession) -> dict[int, models.CommunityProfile]:
    """Every community's profile, by the community's region id (no personal data)."""
    rows = await session.scalars(select(models.CommunityProfile))
    return {row.community_id: row for row in rows}
