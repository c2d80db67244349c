"""The appeal page's timeline a page at a time: the newest events first, earlier ones on
demand ("更早的记录", an htmx partial or a whole page without it), and a page whose
statements do not grow with the timeline."""

from __future__ import annotations

import re
import uuid

from resolvers.appeals.timeline import TIMELINE_PAGE
from tests import factories
from tests.factories import submit

NOTE = "mutation($id: ID!, $text: String!) { addNote(id: $id, text: $text) { id } }"
EARLIER = re.compile(r'<li class="earlier"><a href="([^"]+)"')


def notes_in(html: str, marker: str) -> list[int]:
    """The numbers of the notes `marker` names, in the order the page shows them."""
    return [int(n) for n in re.findall(rf"{marker} (\d+)", html)]


def earlier_link(html: str) -> str | None:
    found = EARLIER.search(html)
    return found.group(1).replace("&amp;", "&") if found else None


async def noted(client_for, sign_in_as, notes: int, marker: str) -> dict:
    """An appeal with `notes` notes (the API's and, the last, a staff member's)."""
    made = await submit(await client_for(factories.WINDOW), title=f"时间线 {marker}")
    hall_api = await client_for(factories.HALL)
    for i in range(1, notes):
        await hall_api.data(NOTE, {"id": made["id"], "text": f"{marker} {i}"})
    hall = await sign_in_as("hall_dispatcher")
    added = await hall.post(
        f"/petitions/{made['number']}/act/note", {"text": f"{marker} {notes}"}, htmx=True
    )
    assert added.status_code == 200 and 'role="alert"' not in added.text
    return made


async def test_the_timeline_shows_the_newest_events_and_pages_to_earlier_ones(
    sign_in_as, client_for
):
    marker = f"备注{uuid.uuid4().hex[:6]}"
    total = 2 * TIMELINE_PAGE + 5
    made = await noted(client_for, sign_in_as, total, marker)
    hall = await sign_in_as("hall_dispatcher")

    page = (await hall.get(f"/petitions/{made['number']}")).text
    first = notes_in(page, marker)
    assert first == list(range(total, total - TIMELINE_PAGE, -1))  # the newest, newest first
    assert "大厅分办员" in page  # who wrote the newest note
    seen, link, pages = list(first), earlier_link(page), 1
    while link:
        partial = await hall.get(link, htmx=True)
        assert partial.status_code == 200
        assert partial.text.lstrip().startswith("<li>") and "<html" not in partial.text
        seen += notes_in(partial.text, marker)
        link, pages = earlier_link(partial.text), pages + 1
        if link is None:  # the last page ends with the appeal's first event
            assert "登记" in partial.text or "Submitted" in partial.text
    assert seen == list(range(total, 0, -1)), seen  # every note once, newest first
    assert pages == 3

    # Without htmx the link is the appeal page showing that page of the timeline.
    whole = await hall.get(earlier_link(page))
    assert whole.status_code == 200 and "<html" in whole.text
    assert notes_in(whole.text, marker) == list(range(total - TIMELINE_PAGE, 5, -1))
    assert "最新的记录" in whole.text and 'id="actions"' in whole.text


async def test_an_odd_cursor_is_a_400_and_another_slice_a_404(sign_in_as, client_for):
    marker = f"游标{uuid.uuid4().hex[:6]}"
    made = await noted(client_for, sign_in_as, 3, marker)
    hall, court = await sign_in_as("hall_dispatcher"), await sign_in_as("court_clerk")
    url = f"/petitions/{made['number']}/timeline"

    odd = await hall.get(f"{url}?before=abc", htmx=True)
    huge = await hall.get(f"{url}?before={'9' * 30}")
    outside = await court.get(f"{url}?before=999999999", htmx=True)
    beyond = await hall.get(f"{url}?before=999999999999", htmx=True)

    assert odd.status_code == huge.status_code == 400 and "before" in odd.text
    assert outside.status_code == 404 and marker not in outside.text
    assert beyond.status_code == 200 and notes_in(beyond.text, marker) == [3, 2, 1]
    assert earlier_link(beyond.text) is None


async def test_the_appeal_page_costs_the_same_for_a_short_and_a_long_timeline(
    server, sign_in_as, client_for
):
    marker = f"语句{uuid.uuid4().hex[:6]}"
    short = await noted(client_for, sign_in_as, 2, marker)
    long = await noted(client_for, sign_in_as, 3 * TIMELINE_PAGE, marker)
    hall = await sign_in_as("hall_dispatcher")

    counts = {}
    for name, made in (("short", short), ("long", long)):
        await hall.get(f"/petitions/{made['number']}")  # the session's touch
        server.statements.reset()
        page = await hall.get(f"/petitions/{made['number']}")
        counts[name] = server.statements.count
        assert page.status_code == 200 and marker in page.text

    assert counts["short"] == counts["long"], counts
    # 23 on PostgreSQL, 26 on SQLite (its BEGINs are statements): the session, the appeal,
    # a batch per kind of thing, the audit of the unmasked read, the steps' checks
    assert counts["long"] <= 26, counts
