"""Chinese by default, English on request (remembered in the session), from Babel catalogues."""

from __future__ import annotations

from tests import factories
from tests.factories import submit
from web.translations import english


def test_every_message_of_the_templates_has_its_english():
    missing = [m.id for m in english.build() if m.id and not m.string]
    assert missing == []


async def test_the_pages_are_chinese_until_english_is_asked_for(sign_in_as, client_for, anonymous):
    made = await submit(await client_for(factories.WINDOW), title="语言切换")
    hall = await sign_in_as("hall_dispatcher")
    page = f"/petitions/{made['number']}"

    chinese = await hall.get(page)
    english_page = await hall.get(f"{page}?lang=en")
    remembered = await hall.get("/petitions", htmx=True)
    back = await hall.get("/petitions?lang=zh")

    assert 'lang="zh-CN"' in chinese.text and "办理过程" in chinese.text
    assert 'lang="en"' in english_page.text and "Timeline" in english_page.text
    assert "Complaint" in english_page.text and "Received" in english_page.text
    assert "working days left" in remembered.text and "工作台" not in remembered.text
    assert "工作台" in back.text
    login = await anonymous.get("/login?lang=en")
    assert "Staff sign-in" in login.text
