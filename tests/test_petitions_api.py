"""`submitPetition`, `petitions` and `petition` over HTTP against the live server."""

from __future__ import annotations

import uuid
from datetime import datetime

from tests import factories
from tests.factories import submit

LIST = """
query List($filter: PetitionFilter, $first: Int, $after: String) {
  petitions(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { number title category status dueAt receivedBy { code } } }
  }
}
"""

BY_NUMBER = """
query One($number: String!) {
  petition(number: $number) {
    number title
    petitioner { name idNumber phone masked }
    events { kind cursor occurredAt organisation { code } }
  }
}
"""

BY_ID = "query One($id: ID!) { petition(id: $id) { number } }"


async def test_a_window_registers_an_appeal_with_a_working_day_deadline(window):
    # Given a complaint received on Friday 2026-02-13, before the Spring Festival
    received = "2026-02-13T10:00:00+08:00"

    # When the community window registers it
    appeal = await submit(window, receivedAt=received)

    # Then it is numbered for its year and due at the end of the 7th working day:
    # Saturday 02-14 and 02-28 are make-up working days, 02-15..02-23 a holiday.
    assert appeal["number"].startswith("PS-2026-")
    assert appeal["status"] == "RECEIVED"
    assert appeal["dueAt"] == "2026-03-02T23:59:59+08:00"
    assert appeal["deadlineProvisional"] is False
    assert appeal["receivedBy"]["code"] == factories.WINDOW


async def test_submission_writes_the_submitted_event(window):
    appeal = await submit(window)

    data = await window.data(BY_NUMBER, {"number": appeal["number"]})

    events = data["petition"]["events"]
    assert [e["kind"] for e in events] == ["SUBMITTED"]
    assert events[0]["organisation"]["code"] == factories.WINDOW


async def test_bad_input_names_the_field_and_stores_nothing(window):
    marker = f"无效{uuid.uuid4().hex[:6]}"
    cases = [
        ({"petitioner": {"idNumber": "440310198503120011"}}, "petitioner.idNumber"),
        ({"petitioner": {"phone": "138-0013"}}, "petitioner.phone"),
        ({"title": "   "}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"peopleCount": 0}, "peopleCount"),
        ({"communityCode": "PS-C-NOWHERE"}, "communityCode"),
        ({"receivedAt": "2099-01-01T00:00:00+08:00"}, "receivedAt"),
    ]
    for overrides, field in cases:
        variables = {"input": factories.submission(description=marker, **overrides)}
        error = await window.error(factories.SUBMIT, variables)
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (field, error)
        assert error["extensions"]["field"] == field
    data = await window.data(LIST, {"filter": {"text": marker}})
    assert data["petitions"]["totalCount"] == 0


async def test_a_wrong_type_is_bad_user_input(window):
    error = await window.error(factories.SUBMIT, {"input": {"title": 5}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_pages_follow_cursors_without_gaps_or_repeats(window):
    marker = f"分页{uuid.uuid4().hex[:6]}"
    numbers = {(await submit(window, title=f"{marker} {i}"))["number"] for i in range(7)}

    seen: list[str] = []
    after = None
    while True:
        data = await window.data(LIST, {"filter": {"text": marker}, "first": 3, "after": after})
        connection = data["petitions"]
        assert connection["totalCount"] == 7
        seen += [e["node"]["number"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert len(seen) == 7 and set(seen) == numbers


async def test_filters_narrow_the_list(window, hall):
    marker = f"筛选{uuid.uuid4().hex[:6]}"
    await submit(
        window, title=f"{marker} 咨询社保", category="CONSULTATION", matter="PUBLIC_SERVICES"
    )
    await submit(
        window,
        title=f"{marker} 投诉噪音",
        category="COMPLAINT",
        matter="CONSTRUCTION_NUISANCE",
        receivedAt="2026-01-05T09:00:00+08:00",
    )
    await submit(hall, title=f"{marker} 马峦", communityCode=factories.OTHER_COMMUNITY)

    async def count(**conditions):
        data = await hall.data(LIST, {"filter": {"text": marker, **conditions}})
        return data["petitions"]["totalCount"]

    assert await count() == 3
    assert await count(category=["CONSULTATION"]) == 1
    assert await count(matter=["CONSTRUCTION_NUISANCE", "PUBLIC_SERVICES"]) == 2
    assert await count(status=["CLOSED"]) == 0
    assert await count(organisation=factories.WINDOW) == 2
    assert await count(community=factories.OTHER_COMMUNITY) == 1
    assert await count(street="PS-S-PINGSHAN") == 2
    assert await count(receivedTo="2026-02-01T00:00:00+08:00") == 1
    assert await count(receivedFrom="2026-02-01T00:00:00+08:00") == 2
    # Received in January with seven working days: long overdue by now.
    assert await count(overdue=True) == 1
    assert await count(text=f"{marker} 噪音") == 1


async def test_free_text_finds_chinese_words_in_the_description(window):
    marker = uuid.uuid4().hex[:8]
    await submit(window, title=f"求助 {marker}", description="宅基地边界纠纷，邻里多次协商未果")

    data = await window.data(LIST, {"filter": {"text": "宅基地边界"}, "first": 50})

    assert any(marker in e["node"]["title"] for e in data["petitions"]["edges"])


async def test_an_appeal_outside_the_slice_looks_absent(window, court):
    appeal = await submit(window)

    by_number = await court.data(BY_NUMBER, {"number": appeal["number"]})
    by_id = await court.data(BY_ID, {"id": appeal["id"]})
    nonexistent = await court.data(BY_NUMBER, {"number": "PS-2026-999999"})
    listed = await court.data(LIST, {"filter": {"text": appeal["title"]}})

    assert by_number == nonexistent == {"petition": None}
    assert by_id == {"petition": None}
    assert all(e["node"]["number"] != appeal["number"] for e in listed["petitions"]["edges"])


async def test_the_street_platform_sees_its_communities_appeals(
    window, street_platform, client_for
):
    appeal = await submit(window)
    other_street = await client_for(factories.OTHER_STREET)

    assert (await street_platform.data(BY_ID, {"id": appeal["id"]}))["petition"] is not None
    assert (await other_street.data(BY_ID, {"id": appeal["id"]}))["petition"] is None


async def test_personal_data_is_masked_outside_the_handling_slice(window, street_platform, hall):
    person = {"idNumber": factories.resident_id(), "phone": "13912345678"}
    appeal = await submit(window, petitioner=person)

    for_hall = (await hall.data(BY_NUMBER, {"number": appeal["number"]}))["petition"]
    for_street = (await street_platform.data(BY_NUMBER, {"number": appeal["number"]}))["petition"]

    assert for_hall["petitioner"]["idNumber"] == person["idNumber"]
    assert for_hall["petitioner"]["masked"] is False
    masked = for_street["petitioner"]
    assert masked["masked"] is True
    assert masked["idNumber"] == person["idNumber"][:4] + "*" * 10 + person["idNumber"][-4:]
    assert masked["phone"] == "139****5678"


async def test_a_retried_submission_returns_the_same_appeal(window):
    request_id = uuid.uuid4().hex
    person = {"idNumber": factories.resident_id()}
    first = await submit(window, clientRequestId=request_id, petitioner=person)
    again = await submit(window, clientRequestId=request_id, petitioner=person)
    assert again["number"] == first["number"] and again["id"] == first["id"]


async def test_a_repeat_on_the_same_matter_is_linked(window):
    person = {"idNumber": factories.resident_id()}
    await submit(window, petitioner=person, receivedAt="2026-06-01T10:00:00+08:00")
    second = await submit(window, petitioner=person)
    other_matter = await submit(window, petitioner=person, matter="FAMILY")

    assert second["repeatCount"] == 1
    assert other_matter["repeatCount"] == 0


async def test_received_at_is_kept_and_shown_in_local_time(window):
    appeal = await submit(window, receivedAt="2026-03-10T01:30:00Z")
    assert datetime.fromisoformat(appeal["receivedAt"]).utcoffset().total_seconds() == 8 * 3600
    assert appeal["receivedAt"] == "2026-03-10T09:30:00+08:00"


async def test_collective_appeals_are_flagged(window):
    appeal = await submit(window, peopleCount=12)
    assert appeal["collective"] is True
