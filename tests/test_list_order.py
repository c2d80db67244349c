"""One list read: `petitions(orderBy:)` sorts by receipt or deadline, both ways, with one
cursor format; `filter.dueSoon` is the worklist's 即将到期."""

from __future__ import annotations

import uuid

from tests.factories import submit

LIST = """
query List($filter: PetitionFilter, $first: Int, $after: String, $order: PetitionOrder!) {
  petitions(filter: $filter, first: $first, after: $after, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id number receivedAt dueAt } }
  }
}
"""

# Received on different days with different time limits: receipt order and deadline order
# differ (a consultation is due after one working day, a complaint after seven).
APPEALS = [
    ("2026-03-02T09:00:00+08:00", "COMPLAINT"),
    ("2026-03-03T09:00:00+08:00", "CONSULTATION"),
    ("2026-03-04T09:00:00+08:00", "SUGGESTION"),
    ("2026-03-05T09:00:00+08:00", "CONSULTATION"),
    ("2026-03-05T09:00:00+08:00", "CONSULTATION"),  # same deadline: the id breaks the tie
]


async def _walk(client, marker: str, order: str, size: int) -> list[dict]:
    nodes: list[dict] = []
    after = None
    while True:
        data = await client.data(
            LIST, {"filter": {"text": marker}, "first": size, "after": after, "order": order}
        )
        connection = data["petitions"]
        assert connection["totalCount"] == len(APPEALS)
        nodes += [e["node"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


async def test_every_order_pages_through_without_gaps_or_repeats(window):
    marker = f"排序{uuid.uuid4().hex[:6]}"
    for received, category in APPEALS:
        await submit(window, title=f"{marker} {category}", receivedAt=received, category=category)

    def key(field: str):
        return lambda n: (n[field], int(n["id"]))

    for order, field, descending in (
        ("RECEIVED_DESC", "receivedAt", True),
        ("RECEIVED_ASC", "receivedAt", False),
        ("DUE_ASC", "dueAt", False),
        ("DUE_DESC", "dueAt", True),
    ):
        nodes = await _walk(window, marker, order, size=2)
        assert len({n["number"] for n in nodes}) == len(APPEALS), order
        assert nodes == sorted(nodes, key=key(field), reverse=descending), order

    by_due = [n["dueAt"] for n in await _walk(window, marker, "DUE_ASC", size=10)]
    by_receipt = [n["dueAt"] for n in await _walk(window, marker, "RECEIVED_ASC", size=10)]
    assert by_due != by_receipt  # the orders really differ on these appeals


async def test_a_cursor_of_another_order_is_bad_user_input(window):
    marker = f"游标{uuid.uuid4().hex[:6]}"
    for received, category in APPEALS[:3]:
        await submit(window, title=marker, receivedAt=received, category=category)
    data = await window.data(
        LIST, {"filter": {"text": marker}, "first": 1, "order": "RECEIVED_DESC"}
    )
    cursor = data["petitions"]["pageInfo"]["endCursor"]

    error = await window.error(
        LIST, {"filter": {"text": marker}, "first": 1, "after": cursor, "order": "DUE_ASC"}
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "after"


async def test_due_soon_is_the_worklists_filter(window):
    marker = f"将到期{uuid.uuid4().hex[:6]}"
    # Received now: a consultation is due by the end of the next working day, a
    # complaint in seven working days.
    soon = await submit(window, title=marker, category="CONSULTATION")
    later = await submit(window, title=marker, category="COMPLAINT")

    due_soon = await window.data(
        LIST, {"filter": {"text": marker, "dueSoon": True}, "first": 10, "order": "DUE_ASC"}
    )
    not_due_soon = await window.data(
        LIST, {"filter": {"text": marker, "dueSoon": False}, "first": 10, "order": "DUE_ASC"}
    )

    assert [e["node"]["number"] for e in due_soon["petitions"]["edges"]] == [soon["number"]]
    assert [e["node"]["number"] for e in not_due_soon["petitions"]["edges"]] == [later["number"]]
