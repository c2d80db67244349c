"""Error messages follow the page's language; the GraphQL API keeps its English ones.

An error carries a message id (an English template with `{named}` holes) and its
parameters. `test_every_raised_template_has_its_chinese` reads the source: every
template a resolver (or a page view) raises must have its Chinese in the pages'
catalogue, with the same holes; no message is an f-string.
"""

from __future__ import annotations

import ast
import inspect
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from db.models import PetitionStatus, Role
from resolvers import errors, validation
from resolvers.access.authority import Standing, refusal
from resolvers.care import records
from resolvers.errors import BadUserInput, Conflict, HubError, RateLimited
from resolvers.workflow.transitions import Action, next_status
from tests import factories
from tests.factories import SUBMIT, submission, submit
from tests.test_pages_intake import form
from tests.test_pages_petition import version_of
from tests.test_transitions import caller
from web.errors import error_text, translated

ROOT = Path(__file__).parent.parent
SCANNED = sorted(
    [*ROOT.glob("resolvers/**/*.py"), *ROOT.glob("web/**/*.py"), *ROOT.glob("schema/**/*.py")]
)
ERRORS = {
    name: cls
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, HubError)
}
CATALOGUE = ROOT / "web/translations/zh/LC_MESSAGES/messages.po"
HOLE = re.compile(r"\{(\w+)\}")


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` assignments (a message may be raised by name)."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _super_init_message(node: ast.AST) -> str | None:
    """`super().__init__("a message", …)`: the message a HubError subclass gives itself."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "__init__"
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def raised_messages() -> list[tuple[str, str]]:
    """(where, template) for every HubError built in the scanned code; an f-string or
    anything else unreadable as `<…>`."""
    found: list[tuple[str, str]] = []
    for path in SCANNED:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if _super_init_message(node) is not None:  # an error class's own message
                found.append(
                    (f"{path.relative_to(ROOT)}:{node.lineno}", str(_super_init_message(node)))
                )
                continue
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name = node.func.id
            if name not in ERRORS and name != "not_found":
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            first = node.args[0] if node.args else None
            if first is None:
                default = inspect.signature(ERRORS[name].__init__).parameters["message"].default
                assert isinstance(default, str), f"{where}: {name}() without a message"
                message = default
            elif isinstance(first, ast.Constant) and isinstance(first.value, str):
                message = first.value
            elif isinstance(first, ast.Name) and first.id in constants:
                message = constants[first.id]
            else:
                message = f"<cannot read {ast.unparse(first)}>"
            if name == "not_found" and not message.startswith("<"):
                message = errors.not_found(message).template
            found.append((where, message))
    return found


def test_the_scan_finds_the_resolvers_messages():
    messages = [m for _, m in raised_messages()]
    assert "the resident ID number's check digit is wrong" in messages
    assert "wrong username or password" in messages  # raised through a constant
    assert "{kind} not found" in messages  # not_found("petition")
    assert "an appeal that is {status} cannot {action}" in messages
    assert len(messages) > 70


def test_no_message_is_an_f_string():
    unreadable = [
        f"{where}: {message}" for where, message in raised_messages() if message.startswith("<")
    ]
    assert unreadable == [], "use a template and params=:\n" + "\n".join(unreadable)


def test_every_raised_template_has_its_chinese():
    missing = [
        f"{where}: {message!r}"
        for where, message in raised_messages()
        if translated(message, "zh") is None
    ]
    assert missing == [], f"no Chinese in {CATALOGUE.relative_to(ROOT)} for:\n" + "\n".join(missing)


def test_every_error_entry_is_raised_and_keeps_its_holes():
    raised = {m for _, m in raised_messages()}
    with CATALOGUE.open("rb") as source:
        entries = [m for m in read_po(source) if m.id and "error" in m.auto_comments]
    for entry in entries:
        assert entry.id in raised, f"no code raises {entry.id!r}"
        assert set(HOLE.findall(entry.string)) == set(HOLE.findall(entry.id)), entry.id


def test_every_action_and_standing_has_its_chinese():
    assert [a for a in Action if translated(a.value, "zh") is None] == []
    assert [s for s in Standing if translated(s.value, "zh") is None] == []


def _raised(call, *args, **kwargs) -> HubError:
    with pytest.raises(HubError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_real_errors_in_chinese_and_in_english():
    good = factories.resident_id()
    wrong_digit = _raised(
        validation.resident_id, good[:-1] + ("0" if good[-1] != "0" else "1"), "petitioner.idNumber"
    )
    closed = _raised(next_status, PetitionStatus.CLOSED, Action.ANSWER)
    required = _raised(validation.text, " ", "title", max_length=10)
    too_long = _raised(validation.text, "x" * 11, "petitioner.name", max_length=10)

    assert error_text(wrong_digit, "zh") == "身份证号码校验位错误"
    assert error_text(wrong_digit, "en") == "the resident ID number's check digit is wrong"
    assert error_text(closed, "zh") == "已办结的诉求不能答复"
    assert error_text(closed, "en") == "an appeal that is CLOSED cannot answer"
    assert error_text(required, "zh") == "请填写标题"
    assert error_text(too_long, "zh") == "信访人姓名最多10个字符"
    unanswered = BadUserInput("every case gets a reply: answer the appeal before closing it")
    assert error_text(unanswered) == "件件有回音：请先答复再办结"
    not_lead = refusal(caller(), Action.CLOSE, frozenset({Standing.ASSIGNEE}))
    assert not_lead is not None
    assert error_text(not_lead) == "只有区群众诉求服务大厅、主办单位可以办结"
    no_role = refusal(
        caller(roles={Role.COUNSELLOR}, user=True),
        Action.ASSIGN_LEAD,
        frozenset({Standing.DISPATCHER}),
    )
    assert no_role is not None
    roles = f"{Role.DISPATCHER.value}、{Role.LEADER.value}"
    assert error_text(no_role) == f"交办主办需要以下角色之一：{roles}"
    assert (
        error_text(
            RateLimited(
                "too many failed sign-ins; try again in {minutes} minutes", params={"minutes": 15}
            )
        )
        == "登录失败次数过多，请15分钟后再试"
    )
    assert error_text(errors.not_found("petition")) == "未找到该诉求"


def test_a_sessions_time_reads_right_for_a_care_session_and_a_mediation():
    # heldAt names a care session's time (心理疏导) and a mediation session's alike
    now = datetime.now(UTC)
    future = _raised(records._when, now + timedelta(days=1), now, "heldAt")
    assert error_text(future, "zh") == "开展时间不能晚于当前时间"
    assert error_text(future, "en") == "heldAt cannot be in the future"


def test_an_untranslated_message_falls_back_to_its_code_and_never_crashes():
    assert error_text(BadUserInput("something new")) == "输入有误：something new"
    assert error_text(Conflict("something new")) == "数据已被他人更改：something new"
    assert error_text(HubError("boom")) == "出错了：boom"
    # an unknown value in a template's hole stays as it was
    odd = BadUserInput(
        "an appeal that is {status} cannot {action}", params={"status": "LOST", "action": "fly"}
    )
    assert error_text(odd) == "LOST的诉求不能fly"


async def test_the_intake_page_shows_its_errors_in_the_page_language(sign_in_as, client_for):
    hall = await sign_in_as("hall_dispatcher")
    good = factories.resident_id()
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")

    zh = await hall.post("/petitions/new", form(id_number=wrong))
    checked = await hall.post("/petitions/new/check", form(id_number=wrong), htmx=True)
    en = await hall.post("/petitions/new?lang=en", form(id_number=wrong))
    api = await (await client_for(factories.WINDOW)).error(
        SUBMIT, {"input": submission(petitioner={"name": "钱某", "idNumber": wrong})}
    )
    await hall.get("/petitions?lang=zh")

    assert zh.status_code == en.status_code == 400
    assert re.search(r'id="err-id_number" role="alert">身份证号码校验位错误<', zh.text)
    assert "身份证号码校验位错误" in checked.text and "check digit" not in checked.text
    assert re.search(
        r'id="err-id_number" role="alert">the resident ID number&#39;s check '
        r"digit is wrong<",
        en.text,
    )
    assert api["message"] == "the resident ID number's check digit is wrong"
    assert api["extensions"]["code"] == "BAD_USER_INPUT"
    assert api["extensions"]["field"] == "petitioner.idNumber"


async def test_a_refused_action_shows_its_reason_in_chinese(sign_in_as, client_for):
    made = await submit(await client_for(factories.WINDOW))
    page = f"/petitions/{made['number']}"
    hall = await sign_in_as("hall_dispatcher")
    version = version_of((await hall.get(page)).text)

    refused = await hall.post(f"{page}/act/answer", {"version": version, "answer": "x"})
    english = await hall.post(f"{page}/act/answer?lang=en", {"version": version, "answer": "x"})

    shown = re.search(r'id="action-error">([^<]*)<', refused.text)
    assert refused.status_code == 400 and shown, refused.text
    assert shown.group(1).startswith("无法完成：")
    assert shown.group(1) == "无法完成：已登记的诉求不能答复"
    shown_en = re.search(r'id="action-error">([^<]*)<', english.text)
    assert shown_en and shown_en.group(1).endswith("an appeal that is RECEIVED cannot answer")


async def test_the_sign_in_page_refuses_in_the_page_language(server):
    import httpx

    from tests.test_signin import sign_in

    async with httpx.AsyncClient(base_url=server.url, timeout=30) as browser:
        user = f"nobody-{uuid.uuid4().hex[:6]}"
        zh = await sign_in(browser, user, "not the password")
        await browser.get("/login?lang=en")
        en = await sign_in(browser, user, "not the password")

    assert zh.status_code == en.status_code == 401
    assert "用户名或密码错误" in zh.text and "wrong username or password" not in zh.text
    assert "wrong username or password" in en.text
