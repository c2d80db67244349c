"""Registering an appeal (登记): validation, the petitioner, repeats, the deadline, the event."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import (
    Category,
    Channel,
    DeadlineStart,
    EventKind,
    Level,
    Matter,
    OrganisationKind,
    RegionKind,
)
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.appeals import routing
from resolvers.appeals.numbers import next_petition_number
from resolvers.deadlines.calendar import Deadline
from resolvers.deadlines.limits import Limit, petition_deadline
from resolvers.deadlines.policies import acceptance_limit, handling_limit
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.events.timeline import record_event
from resolvers.services import Services

COLLECTIVE_THRESHOLD = 5  # 集体访: five or more people
REPEAT_WINDOW = timedelta(days=365)
MAX_PEOPLE = 10_000
REPEAT_LINKS_PER_STATEMENT = 1_000

LEVEL_OF_KIND = {
    OrganisationKind.COMMUNITY_WINDOW: Level.COMMUNITY,
    OrganisationKind.SITE_STATION: Level.COMMUNITY,
    OrganisationKind.STREET_PLATFORM: Level.STREET,
}
LEVEL_RANK = {Level.COMMUNITY: 0, Level.STREET: 1, Level.DISTRICT: 2, Level.CITY: 3}


@dataclass
class PetitionerDetails:
    name: str
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass
class Submission:
    """An appeal as a caller registers it."""

    title: str
    description: str
    category: Category
    matter: Matter
    channel: Channel
    petitioner: PetitionerDetails
    received_at: datetime | None = None
    community: str | None = None
    level: Level | None = None
    people_count: int = 1
    client_request_id: str | None = None
    # What intake may add at once: the enterprises and the project it is about, a risk
    # the clerk saw, the organisation to route it to (`resolvers/appeals/routing.py`).
    extras: routing.Extras = field(default_factory=routing.Extras)


@dataclass
class Clocks:
    """An appeal's time limits at receipt and the deadline that runs first: the decision
    on acceptance where the category has an ACCEPTANCE policy (a formal 信访事项: 15 日),
    else handling (counted from receipt until the event it counts from happens)."""

    handling: Limit
    acceptance: Limit | None
    due: Deadline
    acceptance_due: Deadline | None


async def clocks_at_receipt(
    session: AsyncSession, services: Services, category: Category, received_at: datetime
) -> Clocks:
    """The time limits and the first deadline of an appeal of `category` received at
    `received_at` (intake and its page's preview)."""
    handling = await handling_limit(session, category)
    acceptance = await acceptance_limit(session, category)
    if acceptance is not None:
        first = petition_deadline(services, received_at, acceptance)
        return Clocks(handling, acceptance, first, first)
    return Clocks(handling, None, petition_deadline(services, received_at, handling), None)


@dataclass
class CleanSubmission:
    submission: Submission
    id_number: str | None
    phone: str | None
    received_at: datetime


def clean(submission: Submission, now: datetime) -> CleanSubmission:
    """Validate everything that needs no database, naming the field at fault."""
    s = submission
    s.title = validation.text(s.title, "title", max_length=200)
    s.description = validation.text(s.description, "description", max_length=5000)
    s.petitioner.name = validation.text(s.petitioner.name, "petitioner.name", max_length=64)
    s.petitioner.address = validation.text(
        s.petitioner.address, "petitioner.address", required=False, max_length=200
    )
    validation.whole_number(s.people_count, "peopleCount", low=1, high=MAX_PEOPLE)
    if s.client_request_id is not None:
        s.client_request_id = validation.text(s.client_request_id, "clientRequestId", max_length=64)
    s.extras = s.extras.cleaned()
    received_at = s.received_at or now
    if received_at.tzinfo is None:
        raise BadUserInput("receivedAt needs a time zone offset", field="receivedAt")
    validation.moment(received_at, "receivedAt")
    if received_at > now + timedelta(minutes=1):
        raise BadUserInput("receivedAt may not be in the future", field="receivedAt")
    if received_at < now - timedelta(days=366):
        raise BadUserInput("receivedAt may be at most a year ago", field="receivedAt")
    return CleanSubmission(
        submission=s,
        id_number=validation.resident_id(s.petitioner.id_number, "petitioner.idNumber"),
        phone=validation.phone(s.petitioner.phone, "petitioner.phone"),
        received_at=received_at,
    )


async def submit_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    data: Submission,
    now: datetime,
) -> models.Petition:
    """Register an appeal received by the caller's organisation.

    A retried submission with the same `client_request_id` and the same content
    returns the appeal the first one created, and creates nothing; the same id with
    other content is a `CONFLICT`.
    """
    caller.require_scope("petitions:write")
    cleaned = clean(data, now)
    s = cleaned.submission
    fingerprint = content_fingerprint(services, cleaned, given_received_at=data.received_at)
    if s.client_request_id:
        existing = await _by_request_id(session, caller, s.client_request_id)
        if existing is not None:
            return _same_content(existing, fingerprint)
    await begin_write(session)
    try:
        petition = await _create(session, caller, services, cleaned, fingerprint)
        await routing.complete(session, caller, services, now, petition, s.extras)
        await session.commit()
    except IntegrityError:
        await session.rollback()
        if not s.client_request_id:
            raise
        existing = await _by_request_id(session, caller, s.client_request_id)
        if existing is None:
            raise
        return _same_content(existing, fingerprint)
    except BaseException:
        await session.rollback()  # a refused party, project or routing: nothing is kept
        raise
    return petition


def content_fingerprint(
    services: Services, cleaned: CleanSubmission, *, given_received_at: datetime | None
) -> str:
    """A keyed hash of what was submitted (personal data included, so keyed: the stored
    fingerprint reveals nothing). A receipt time left out is not part of the content."""
    s, person = cleaned.submission, cleaned.submission.petitioner
    content: dict[str, object] = {
        "title": s.title, "description": s.description, "category": s.category.name,
        "matter": s.matter.name, "channel": s.channel.name, "community": s.community,
        "level": s.level.name if s.level else None, "peopleCount": s.people_count,
        "receivedAt": given_received_at.astimezone(UTC).isoformat()
        if given_received_at else None,
        "petitioner": [person.name, cleaned.id_number, cleaned.phone, person.address or ""],
    }  # fmt: skip
    if s.extras:  # only when given: fingerprints of submissions without them stay the same
        content["extras"] = s.extras.fingerprint()
    return services.keyed_hash(json.dumps(content, sort_keys=True, ensure_ascii=False))


def _same_content(existing: models.Petition, fingerprint: str) -> models.Petition:
    """The first appeal for a retried request id, if the retry carries the same content.
    Appeals stored before fingerprints were kept have none and are returned as before."""
    stored = existing.client_request_fingerprint
    if stored is not None and stored != fingerprint:
        raise Conflict(
            "this clientRequestId was already used for a submission with other content",
            field="clientRequestId",
        )
    return existing


async def _by_request_id(
    session: AsyncSession, caller: Caller, request_id: str
) -> models.Petition | None:
    statement = select(models.Petition).where(
        models.Petition.received_by_id == caller.organisation_id,
        models.Petition.client_request_id == request_id,
    )
    return (await session.scalars(statement)).one_or_none()


async def _community(
    session: AsyncSession, caller: Caller, code: str | None
) -> models.Region | None:
    if code:
        region = (
            await session.scalars(select(models.Region).where(models.Region.code == code))
        ).one_or_none()
        if region is None or region.kind is not RegionKind.COMMUNITY:
            raise BadUserInput("no community with that code", field="communityCode")
        return region
    region = await session.get(models.Region, caller.region_id)
    return region if region is not None and region.kind is RegionKind.COMMUNITY else None


async def _petitioner(
    session: AsyncSession,
    services: Services,
    cleaned: CleanSubmission,
    community: models.Region | None,
) -> models.Petitioner:
    """The person with this ID number, or a new record made from these details.

    An existing record is left as it is: what a submitter gives is kept on its appeal
    (`Petition.petitioner_*`), and only the hall corrects the record itself
    (`resolvers/appeals/petitioners.py: update_petitioner`)."""
    details = cleaned.submission.petitioner
    id_hash = services.keyed_hash(cleaned.id_number) if cleaned.id_number else None
    person = None
    if id_hash:
        person = (
            await session.scalars(
                select(models.Petitioner).where(models.Petitioner.id_hash == id_hash).limit(1)
            )
        ).one_or_none()
    if person is None:
        person = models.Petitioner(
            name=details.name, id_number=cleaned.id_number, id_hash=id_hash,
            phone=cleaned.phone, address=details.address or "",
            community_id=community.id if community else None,
        )  # fmt: skip
        session.add(person)
        await session.flush()
    return person


async def _create(
    session: AsyncSession,
    caller: Caller,
    services: Services,
    cleaned: CleanSubmission,
    fingerprint: str,
) -> models.Petition:
    s = cleaned.submission
    if caller.organisation_kind is OrganisationKind.DEPARTMENT:
        raise Forbidden("departments do not register appeals")
    community = await _community(session, caller, s.community)
    person = await _petitioner(session, services, cleaned, community)
    level = s.level or LEVEL_OF_KIND.get(caller.organisation_kind, Level.DISTRICT)
    clocks = await clocks_at_receipt(session, services, s.category, cleaned.received_at)
    due, limit, acceptance = clocks.due, clocks.handling, clocks.acceptance
    earlier = await _earlier_on_same_matter(session, person, s.matter, cleaned.received_at)
    petition = models.Petition(
        number=await next_petition_number(
            session, cleaned.received_at.astimezone(services.tz).year
        ),
        title=s.title,
        description=s.description,
        category=s.category,
        matter=s.matter,
        channel=s.channel,
        level=level,
        received_at=cleaned.received_at,
        received_by_id=caller.organisation_id,
        community_id=community.id if community else None,
        petitioner_id=person.id,
        petitioner_name=s.petitioner.name,
        petitioner_phone=cleaned.phone,
        petitioner_address=s.petitioner.address or "",
        people_count=s.people_count,
        collective=s.people_count >= COLLECTIVE_THRESHOLD,
        repeat_of_id=earlier[0].id if earlier else None,
        repeat_count=len(earlier),
        level_skipping=is_level_skipping(level, earlier),
        due_at=due.due_at,
        deadline_provisional=due.provisional,
        time_limit_days=limit.days,
        time_limit_unit=limit.unit,
        time_limit_from=limit.counts_from,
        handling_starts_at=(
            cleaned.received_at if limit.counts_from is DeadlineStart.RECEIPT else None
        ),
        acceptance_due_at=clocks.acceptance_due.due_at if clocks.acceptance_due else None,
        acceptance_limit_days=acceptance.days if acceptance else None,
        acceptance_limit_unit=acceptance.unit if acceptance else None,
        client_request_id=s.client_request_id,
        client_request_fingerprint=fingerprint if s.client_request_id else None,
    )
    session.add(petition)
    await session.flush()
    links = [
        {"petition_id": petition.id, "earlier_id": e.id, "skipped_over": skips_over(level, e)}
        for e in earlier
    ]
    # One statement per thousand links, not one per link (a frequent petitioner's
    # history is long).
    for start in range(0, len(links), REPEAT_LINKS_PER_STATEMENT):
        chunk = links[start : start + REPEAT_LINKS_PER_STATEMENT]
        await session.execute(insert(models.PetitionRepeat).values(chunk))
    record_event(
        session,
        petition=petition,
        kind=EventKind.SUBMITTED,
        caller=caller,
        occurred_at=cleaned.received_at,
        data={
            "channel": s.channel.name,
            "category": s.category.name,
            "matter": s.matter.name,
            "level": level.name,
        },
    )
    if earlier:
        # Stored as intake found it, district-wide; each reader is shown its slice's part
        # (`resolvers/appeals/repeats.py: disclose_events`).
        record_event(
            session,
            petition=petition,
            kind=EventKind.REPEAT_LINKED,
            caller=caller,
            data={"repeatOf": earlier[0].number, "repeatCount": len(earlier)},
        )
    return petition


def is_level_skipping(level: Level, earlier: list[models.Petition]) -> bool:
    """越级访: brought higher while a lower level still has the same matter open."""
    return any(skips_over(level, e) for e in earlier)


def skips_over(level: Level, earlier: models.Petition) -> bool:
    """Whether an appeal at `level` goes over the head of this open, lower-level one."""
    return (
        LEVEL_RANK[level] > LEVEL_RANK[earlier.level]
        and earlier.status is not models.PetitionStatus.CLOSED
    )


async def _earlier_on_same_matter(
    session: AsyncSession, person: models.Petitioner, matter: Matter, received_at: datetime
) -> list[models.Petition]:
    """The petitioner's appeals on the same matter in the last twelve months, newest first."""
    if person.id_hash is None:
        return []
    p = models.Petition
    statement = (
        select(p)
        .join(models.Petitioner, models.Petitioner.id == p.petitioner_id)
        .where(
            models.Petitioner.id_hash == person.id_hash,
            p.matter == matter,
            p.received_at >= received_at - REPEAT_WINDOW,
            p.received_at <= received_at,
        )
        .order_by(p.received_at.desc(), p.id.desc())
    )
    return list((await session.scalars(statement)).all())
