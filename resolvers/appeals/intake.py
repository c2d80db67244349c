"""Registering an appeal (登记): validation, the petitioner, repeats, the deadline, the event."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write, on_postgresql
from db.models import (
    Category,
    Channel,
    DeadlineStart,
    EventKind,
    Level,
    Matter,
    OrganisationKind,
)
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.appeals import intake_reads, registering, routing
from resolvers.appeals.numbers import petition_prefix
from resolvers.deadlines.calendar import Deadline
from resolvers.deadlines.limits import DEFAULT_TIME_LIMITS, Limit, petition_deadline
from resolvers.deadlines.policies import acceptance_limit, handling_limit
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.services import Services

COLLECTIVE_THRESHOLD = 5  # 集体访: five or more people
REPEAT_WINDOW = timedelta(days=365)
MAX_PEOPLE = 10_000

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
    `received_at` (intake's page's preview)."""
    handling = await handling_limit(session, category)
    acceptance = await acceptance_limit(session, category)
    return clocks(services, handling, acceptance, received_at)


def clocks(
    services: Services, handling: Limit, acceptance: Limit | None, received_at: datetime
) -> Clocks:
    """The first deadline of an appeal received at `received_at`, from its time limits."""
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
    if caller.organisation_kind is OrganisationKind.DEPARTMENT:
        raise Forbidden("departments do not register appeals")
    cleaned = clean(data, now)
    s = cleaned.submission
    fingerprint = content_fingerprint(services, cleaned, given_received_at=data.received_at)
    if s.client_request_id:
        existing = await _by_request_id(session, caller, s.client_request_id)
        if existing is not None:
            return _same_content(existing, fingerprint)
    id_hash = services.keyed_hash(cleaned.id_number) if cleaned.id_number else None
    try:
        # The order and the locks are argued in `resolvers/appeals/registering.py`.
        reference = await intake_reads.read_reference(
            session, caller, s.category, s.community, lock_person=id_hash
        )
        if not on_postgresql(session):
            await begin_write(session)
        known = intake_reads.Known()
        if id_hash is not None:
            received = cleaned.received_at
            known = await intake_reads.read_known(
                session, id_hash, s.matter, received - REPEAT_WINDOW, received
            )
        registration = _registration(caller, services, cleaned, fingerprint, reference, known)
        petition, _events = await registering.write(session, registration)
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


def _registration(
    caller: Caller,
    services: Services,
    cleaned: CleanSubmission,
    fingerprint: str,
    reference: intake_reads.Reference,
    known: intake_reads.Known,
) -> registering.Registration:
    """Every row of the appeal as intake registers it: the deadline, the repeats, the
    events (computed before the writer lock is taken)."""
    s, details = cleaned.submission, cleaned.submission.petitioner
    level = s.level or LEVEL_OF_KIND.get(caller.organisation_kind, Level.DISTRICT)
    handling = reference.handling or DEFAULT_TIME_LIMITS[s.category]
    clock = clocks(services, handling, reference.acceptance, cleaned.received_at)
    due, acceptance, earlier = clock.due, clock.acceptance, known.earlier
    person = None
    if known.person_id is None:
        person = registering.with_defaults(registering.PEOPLE, {
            "name": details.name, "id_number": cleaned.id_number,
            "id_hash": services.keyed_hash(cleaned.id_number) if cleaned.id_number else None,
            "phone": cleaned.phone, "address": details.address or "",
            "community_id": reference.community_id,
        })  # fmt: skip
    petition = registering.with_defaults(
        registering.APPEALS,
        {
            "title": s.title, "description": s.description, "category": s.category,
            "matter": s.matter, "channel": s.channel, "level": level,
            "received_at": cleaned.received_at, "received_by_id": caller.organisation_id,
            "community_id": reference.community_id,
            "petitioner_name": details.name, "petitioner_phone": cleaned.phone,
            "petitioner_address": details.address or "", "people_count": s.people_count,
            "collective": s.people_count >= COLLECTIVE_THRESHOLD,
            "repeat_of_id": earlier[0].id if earlier else None,
            "repeat_count": len(earlier), "level_skipping": is_level_skipping(level, earlier),
            "due_at": due.due_at, "deadline_provisional": due.provisional,
            "time_limit_days": handling.days, "time_limit_unit": handling.unit,
            "time_limit_from": handling.counts_from,
            "handling_starts_at": (
                cleaned.received_at if handling.counts_from is DeadlineStart.RECEIPT else None
            ),
            "acceptance_due_at": clock.acceptance_due.due_at if clock.acceptance_due else None,
            "acceptance_limit_days": acceptance.days if acceptance else None,
            "acceptance_limit_unit": acceptance.unit if acceptance else None,
            "client_request_id": s.client_request_id,
            "client_request_fingerprint": fingerprint if s.client_request_id else None,
        },
        but=("number", "petitioner_id"),
    )  # fmt: skip
    submitted: dict[str, object] = {
        "channel": s.channel.name, "category": s.category.name,
        "matter": s.matter.name, "level": level.name,
    }  # fmt: skip
    events = [_event(caller, EventKind.SUBMITTED, cleaned.received_at, submitted)]
    if earlier:
        # Stored as intake found it, district-wide; each reader is shown its slice's part
        # (`resolvers/appeals/repeats.py: disclose_events`).
        events.append(_event(
            caller, EventKind.REPEAT_LINKED, models.utcnow(),
            {"repeatOf": earlier[0].number, "repeatCount": len(earlier)},
        ))  # fmt: skip
    return registering.Registration(
        counter=petition_prefix(cleaned.received_at.astimezone(services.tz).year),
        person=person,
        person_id=known.person_id,
        petition=petition,
        events=events,
        links=[(e.id, skips_over(level, e)) for e in earlier],
    )


def _event(
    caller: Caller, kind: EventKind, occurred_at: datetime, data: dict[str, object]
) -> dict[str, object]:
    """An event's row as `resolvers/events/timeline.py: record_event` writes it."""
    return registering.with_defaults(
        registering.TIMELINE,
        {
            "kind": kind, "occurred_at": occurred_at, "actor_user_id": caller.user_id,
            "actor_client_id": caller.client_id, "organisation_id": caller.organisation_id,
            "data": data,
        },
        but=("petition_id",),
    )  # fmt: skip


def is_level_skipping(level: Level, earlier: list[intake_reads.Earlier]) -> bool:
    """越级访: brought higher while a lower level still has the same matter open."""
    return any(skips_over(level, e) for e in earlier)


def skips_over(level: Level, earlier: intake_reads.Earlier) -> bool:
    """Whether an appeal at `level` goes over the head of this open, lower-level one."""
    return (
        LEVEL_RANK[level] > LEVEL_RANK[earlier.level]
        and earlier.status is not models.PetitionStatus.CLOSED
    )
