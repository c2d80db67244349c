"""The domain's error messages in the page's language.

The resolvers raise `HubError`s with English messages, which the GraphQL API returns
as they are (with `extensions.code`). A page shows `error_text(error, language)`:
the English message for `en`, else its Chinese translation from the tables below.

`PLAIN` maps fixed messages; `PATTERNS` maps the f-string messages through their
templates: each `{name}` becomes a named regex group, and the Chinese template reuses
the group, first put into Chinese by `CONVERTERS[name]` when there is one (a status,
an action, a field name…). A message found in neither table gets a generic Chinese
sentence for its error code followed by the English detail. `tests/test_error_text.py`
checks that every message the resolvers and views raise has a translation here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2 import pass_context

from db.models import Escalation, PetitionStatus, Role
from resolvers.access.authority import Standing
from resolvers.errors import HubError
from resolvers.workflow.transitions import Action

ACTIONS: dict[Action, str] = {
    Action.ACCEPT: "受理",
    Action.CLASSIFY: "重新分类",
    Action.ASSIGN_LEAD: "交办主办",
    Action.ASSIGN_ASSISTING: "交办协办",
    Action.ACCEPT_ASSIGNMENT: "签收",
    Action.RETURN_LEAD: "退回主办",
    Action.RETURN_ASSISTING: "退回协办",
    Action.ADD_NOTE: "添加备注",
    Action.SUSPEND: "挂起",
    Action.RESUME: "恢复办理",
    Action.REQUEST_EXTENSION: "申请延期",
    Action.APPROVE_EXTENSION: "批准延期",
    Action.REJECT_EXTENSION: "驳回延期",
    Action.ANSWER: "答复",
    Action.RECORD_FEEDBACK: "记录回访",
    Action.CLOSE: "办结",
    Action.REOPEN: "重启",
    Action.MARK_BACKLOG: "列为积案",
    Action.CLEAR_BACKLOG: "积案销号",
    Action.ESCALATE: "转入调解仲裁诉讼",
}

STANDINGS: dict[Standing, str] = {
    Standing.HALL: "区群众诉求服务大厅",
    Standing.DISPATCHER: "区大厅或诉求所在街道的平台",
    Standing.RECEIVER: "登记该诉求的单位",
    Standing.ASSIGNEE: "在办交办的承办单位",
    Standing.LEAD: "主办单位",
    Standing.MEMBER: "可查看该诉求的单位",
}

# Field names as the resolvers and forms give them → the labels the pages use.
FIELDS: dict[str, str] = {
    "title": "标题", "description": "诉求内容", "name": "姓名",
    "petitioner.name": "信访人姓名", "petitioner.idNumber": "身份证号",
    "petitioner.phone": "电话", "phone": "电话", "petitioner.address": "地址",
    "address": "地址", "peopleCount": "人数", "communityCode": "所涉社区",
    "community": "所涉社区", "receivedAt": "登记时间", "category": "类别", "matter": "事项",
    "channel": "渠道", "answer": "答复内容", "comment": "回访意见", "reason": "理由",
    "instructions": "交办意见", "text": "内容", "days": "延期工作日",
    "workingDays": "工作日数", "owner": "责任人", "clientRequestId": "请求编号",
    "first": "每页条数", "dueAt": "期限", "code": "代码", "organisation": "单位",
    "organisationCode": "单位", "to": "去向", "satisfaction": "满意度", "stage": "阶段",
    "role": "角色", "roles": "角色", "username": "用户名", "password": "密码",
    "expires": "有效期", "scopes": "权限范围", "file": "文件",
}

KINDS: dict[str, str] = {"petition": "该诉求"}

PLAIN: dict[str, str] = {
    # resolvers/admin/staff.py
    "only administrators may do this": "只有管理员可以执行此操作",
    "you administer only your own organisation": "您只能管理本单位",
    "no such user": "没有该用户",
    "you cannot deactivate your own account": "不能停用自己的账号",
    # resolvers/workflow/assignments.py
    "no active organisation with that code": "没有该代码对应的在用单位",
    "dueAt needs a time zone offset": "期限须注明时区",
    "dueAt must lie in the coming year": "期限须在今后一年之内",
    "that organisation already has an active assignment": "该单位已有在办的交办",
    "the appeal already has an active lead": "该诉求已有主办单位",
    "your organisation has no pending assignment on this appeal":
        "本单位在该诉求上没有待签收的交办",
    # resolvers/access/audit.py
    "only administrators read the audit log": "只有管理员可以查看审计日志",
    # resolvers/access/tokens.py
    "a username has 1 to 64 characters": "用户名须为1至64个字符",
    "a password has at least 10 characters": "密码至少需要10个字符",
    "that username is taken": "该用户名已被占用",
    "no such token": "没有该令牌",
    # resolvers/deadlines/calendars.py
    "the file must hold one JSON object": "文件须包含一个JSON对象",
    "`year` must be a whole number between 2000 and 2200": "`year`须为2000至2200之间的整数",
    "a year's schedule lists its holidays": "年度安排须列出节假日",
    # resolvers/workflow/suspension.py
    "no extension request is waiting": "没有待审批的延期申请",
    "an extension request is already waiting for a decision": "已有延期申请在等待审批",
    # resolvers/appeals/intake.py
    "receivedAt needs a time zone offset": "登记时间须注明时区",
    "receivedAt may not be in the future": "登记时间不能晚于现在",
    "receivedAt may be at most a year ago": "登记时间最早只能补录到一年前",
    "departments do not register appeals": "职能部门不登记诉求",
    "no community with that code": "没有该代码对应的社区",
    # resolvers/workflow/outcome.py
    "every case gets a reply: answer the appeal before closing it": "件件有回音：请先答复再办结",
    "every case gets a reply: record the petitioner's feedback (or the refusal) before closing":
        "件件有回音：请先记录信访人的回访意见（或其拒绝回访）再办结",
    # resolvers/pagination.py, resolvers/events/stream.py, resolvers/appeals/worklist.py
    "not a cursor this API gave out": "不是本接口给出的翻页位置",
    "not a cursor this page gave out": "翻页位置无效，已从第一页显示",
    # resolvers/deadlines/policies.py
    "only the appeals hall's administrators set time limits":
        "只有区群众诉求服务大厅的管理员可以设置办理时限",
    "a handling time limit is set per category": "办理时限按类别设置",
    # resolvers/access/signin.py
    "wrong username or password": "用户名或密码错误",
    # resolvers/stats/figures.py
    "the period ends before it starts": "统计期间的结束早于开始",
    "a period is at most three years": "统计期间最长三年",
    "a period lies between 1900 and 2200": "统计期间须在1900年至2200年之间",
    # resolvers/events/stream.py
    "the token was revoked or has expired": "令牌已被撤销或已过期",
    # resolvers/workflow/transitions.py
    "the status before the suspension is not known": "挂起前的状态未知",
    # resolvers/workflow/triage.py
    "give a category, a matter or both": "请填写类别或事项（或两者）",
    "the appeal is not a backlog case": "该诉求不是积案",
    # resolvers/validation.py
    "a resident ID number has 18 characters": "身份证号码应为18位",
    "not a valid phone number": "不是有效的电话号码",
    "the resident ID number's check digit is wrong": "身份证号码校验位错误",
    "not a valid resident ID number": "不是有效的身份证号码",
    "the credit code's check character is wrong": "统一社会信用代码校验位错误",
    "not a valid unified social credit code": "不是有效的统一社会信用代码",
    # resolvers/workflow/steps.py
    "give the appeal's id or number": "请提供诉求的ID或编号",
    "the appeal changed underneath: reload it": "该诉求刚被他人更改，请刷新后再操作",
    # resolvers/errors.py
    "Authentication required: send a bearer token": "需要身份认证：请提供Bearer令牌",
    # schema/hygiene.py
    "text may not contain NUL characters (U+0000)": "文本不能包含NUL字符（U+0000）",
    # web/views
    "people count must be a whole number": "人数须为整数",
    "not a date and time": "不是有效的日期和时间",
    "not a date": "不是有效的日期",
    "choose a JSON file": "请选择一个JSON文件",
    "working days must be a whole number": "工作日数须为整数",
    "choose a stage": "请选择阶段",
    "choose an organisation you administer": "请选择您管理的单位",
    "choose at least one role": "请至少选择一个角色",
}

# English templates (the f-strings, placeholders renamed) → Chinese templates.
# More specific templates come before more general ones with the same ending.
PATTERNS: list[tuple[str, str]] = [
    # resolvers/workflow/assignments.py
    ("{organisation} does not take {escalation}", "{organisation}不受理{escalation}"),
    # resolvers/access/tokens.py
    ("unknown scope {scope}; known: {known}", "未知的权限范围{scope}；可用的有：{known}"),
    ("no organisation with code {code}", "没有代码为{code}的单位"),
    # resolvers/access/authority.py
    ("only {standing} may {action}", "只有{standing}可以{action}"),
    ("to {action} a staff member needs one of the roles {roles}",
     "{action}需要以下角色之一：{roles}"),
    # resolvers/deadlines/calendars.py
    ("`{key}` must be a list of objects", "`{key}`须为对象列表"),
    ("{where}.name: give the holiday's name (1–32 characters)",
     "{where}.name：请填写节假日名称（1至32个字符）"),
    ("{where}: a date is written YYYY-MM-DD", "{where}：日期格式为YYYY-MM-DD"),
    ("{where}: {day} is not in {year}", "{where}：{day}不在{year}年内"),
    ("not JSON: {detail}", "不是有效的JSON：{detail}"),
    ("{where}: `to` ({last}) is before `from` ({first})",
     "{where}：结束日期`to`（{last}）早于开始日期`from`（{first}）"),
    ("{where}: {day} is a weekday; a make-up working day is a weekend",
     "{where}：{day}是工作日；调休上班日应在周末"),
    ("{where}: {day} is also listed as a holiday", "{where}：{day}同时被列为节假日"),
    ("{where}: {day} is listed twice as a holiday", "{where}：{day}被重复列为节假日"),
    ("{where}: {day} is listed twice", "{where}：{day}重复列出"),
    ("{where}: {value} is not a real date (YYYY-MM-DD)",
     "{where}：{value}不是有效日期（YYYY-MM-DD）"),
    # resolvers/access/caller.py
    ("this operation needs the {scope} scope", "此操作需要{scope}权限范围"),
    # resolvers/workflow/suspension.py
    ("extensions may add at most {most} working days in all ({granted} granted so far)",
     "延期累计不得超过{most}个工作日（已批准{granted}个）"),
    # resolvers/errors.py
    ("{kind} not found", "未找到{kind}"),
    # resolvers/pagination.py
    ("{field} must be between 0 and {maximum}", "{field}须在0至{maximum}之间"),
    # resolvers/access/signin.py
    ("too many failed sign-ins; try again in {minutes} minutes",
     "登录失败次数过多，请{minutes}分钟后再试"),
    # resolvers/workflow/transitions.py
    ("an appeal that is {status} cannot {action}", "{status}的诉求不能{action}"),
    # resolvers/validation.py
    ("{field} needs at least {count} characters", "{field}至少需要{count}个字符"),
    ("{field} may have at most {count} characters", "{field}最多{count}个字符"),
    ("{field} must be between {low} and {high}", "{field}须在{low}至{high}之间"),
    ("{field} is required", "请填写{field}"),
    # resolvers/workflow/steps.py
    ("the appeal is at version {seen}, not {expected}: reload it",
     "该诉求已更新到第{seen}版（您看到的是第{expected}版），请刷新后再操作"),
    # web/views
    ("{field} must be a whole number", "{field}须为整数"),
    ("choose a {field}", "请选择{field}"),
]

# A message in neither table: a Chinese sentence per code, then the English detail.
FALLBACK: dict[str, str] = {
    "BAD_USER_INPUT": "输入有误：",
    "UNAUTHENTICATED": "未通过身份认证：",
    "FORBIDDEN": "无权执行此操作：",
    "NOT_FOUND": "未找到：",
    "CONFLICT": "数据已被他人更改：",
    "RATE_LIMITED": "操作过于频繁：",
}
GENERIC = "出错了："


def _action(value: str) -> str:
    return ACTIONS[Action(value)]


def _standing(value: str) -> str:
    """Standings joined by ' or ' (one standing's own text holds ' or ' too)."""
    for standing, label in STANDINGS.items():
        if value == standing.value:
            return label
        if value.startswith(standing.value + " or "):
            return label + "、" + _standing(value[len(standing.value) + 4:])
    raise KeyError(value)


def _roles(value: str) -> str:
    return "、".join(Role[name].value for name in value.split(", "))


def _field(value: str) -> str:
    return FIELDS[value]


CONVERTERS: dict[str, Callable[[str], str]] = {
    "status": lambda name: PetitionStatus[name].value,
    "action": _action,
    "standing": _standing,
    "roles": _roles,
    "escalation": lambda name: Escalation[name.upper()].value,
    "field": _field,
    "kind": lambda kind: KINDS[kind],
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def literal_parts(template: str) -> tuple[str, ...]:
    """The text between a template's placeholders (what an f-string's literals must be)."""
    return tuple(_PLACEHOLDER.split(template)[::2])


def _compile(template: str) -> re.Pattern[str]:
    pieces = _PLACEHOLDER.split(template)
    regex = "".join(re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>.+?)"
                    for i, piece in enumerate(pieces))
    return re.compile(regex, re.DOTALL)


COMPILED: list[tuple[re.Pattern[str], str]] = [
    (_compile(english), chinese) for english, chinese in PATTERNS
]


def _convert(name: str, value: str) -> str:
    convert = CONVERTERS.get(name)
    if convert is None:
        return value
    try:
        return convert(value)
    except (KeyError, ValueError):
        return value  # an unknown value stays as the resolver wrote it


def chinese(message: str) -> str | None:
    """The Chinese for one English message, or None when no table has it."""
    if message in PLAIN:
        return PLAIN[message]
    for regex, template in COMPILED:
        found = regex.fullmatch(message)
        if found:
            values = {k: _convert(k, v) for k, v in found.groupdict().items()}
            return template.format(**values)
    return None


def error_text(error: HubError, language: str = "zh") -> str:
    """The error's message for a page in `language`: English for `en`, else Chinese."""
    message = error.message
    if language == "en":
        return message
    translated = chinese(message)
    if translated is not None:
        return translated
    return FALLBACK.get(error.code, GENERIC) + message


@pass_context
def template_error_text(context: Any, error: HubError | None) -> str:
    """`error_text` in templates, in the language the page renders in."""
    if error is None:
        return ""
    return error_text(error, context.get("language", "zh"))
