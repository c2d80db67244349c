"""The English catalogue's source: `python -m web.translations.english` rewrites
`en/LC_MESSAGES/messages.po` from the templates' message ids and these translations.

Message ids are the Chinese texts the templates show (and the enums' values);
`tests/test_pages_i18n.py` fails when a template's message has no English.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from db.models import care, enums

HERE = Path(__file__).parent
TEMPLATES = HERE.parent / "templates"
PO = HERE / "en" / "LC_MESSAGES" / "messages.po"

PLURALS = {
    "%(num)d名工人": ("%(num)d worker", "%(num)d workers"),
    "共%(num)d件": ("%(num)d case", "%(num)d cases"),
    "已超期%(num)d个工作日": ("%(num)d working day overdue", "%(num)d working days overdue"),
    "剩余%(num)d个工作日": ("%(num)d working day left", "%(num)d working days left"),
    "%(num)d个工作日": ("%(num)d working day", "%(num)d working days"),
    "%(num)d人": ("%(num)d person", "%(num)d people"),
    "此信访人此前已有%(num)d件诉求": ("this petitioner has %(num)d earlier appeal",
                                "this petitioner has %(num)d earlier appeals"),
    "待批延期：%(num)d天": ("extension awaiting approval: %(num)d day",
                        "extension awaiting approval: %(num)d days"),
    "%(num)d日": ("%(num)d day", "%(num)d days"),
    "已延期%(num)d日": ("extended by %(num)d day", "extended by %(num)d days"),
    "第%(num)d次": ("visit no. %(num)d", "visit no. %(num)d"),
    "已延期%(num)d个工作日": ("extended by %(num)d working day",
                         "extended by %(num)d working days"),
}

EN = {
    # psychological care and backlog cases
    "心理风险": "Psychological risk", "建议心理筛查": "Screening suggested",
    "下次评估": "Next review", "督办期限": "Supervision due", "已销号": "Closed (销号)",
    "积案看板": "Backlog board", "心理关爱": "Psychological care",
    "心理数据仅本中心可见，每次查看均记入审计日志。":
        "Psychological data is seen by this centre only; every view is audited.",
    "关爱对象": "People under care", "风险等级": "Risk level", "最近筛查": "Last screened",
    "疏导次数": "Sessions", "拒访": "Refused visits", "暂无关爱对象": "No one under care",
    "关爱档案": "Care record", "量表": "Instrument", "得分": "Score",
    "记录": "Notes", "疏导方案": "Counselling plans", "评估日期": "Review dates",
    "暂无": "None", "疏导与走访": "Sessions and home visits", "方式": "Kind",
    "咨询师": "Counsellor", "参与人": "Participants", "时长（分钟）": "Minutes",
    "包案领导": "Leader in charge", "案龄（天）": "Age (days)",
    "按期评估": "Reviews on time", "督办": "Supervision", "评估逾期": "Review overdue",
    "督办逾期": "Supervision overdue", "化解中": "Being settled", "暂无积案": "No backlog cases",
    "今天到期": "due today", "计时暂停": "clock paused",
    "坪山群众诉求服务": "Pingshan appeals service", "跳到正文": "Skip to content",
    "坪山区群众诉求服务综合体 · 信访超市": "Pingshan Appeals Service Complex · Petition Hub",
    "主导航": "Main navigation", "工作台": "Worklist", "登记诉求": "Register an appeal",
    "积案": "Backlog", "管理": "Administration", "退出": "Sign out",
    "审计日志": "Audit log", "时间": "Time", "操作": "Actions", "途径": "Path",
    "对象": "Object", "单位": "Organisation", "用户": "User", "暂无记录。": "Nothing yet.",
    "下一页": "Next page", "节假日安排": "Holiday schedule", "年份": "Year", "查看": "Show",
    "导入失败：": "Import refused: ",
    "已导入 %(year)s 年安排：%(changes)s 天变化，重算 %(recomputed)s 个期限。":
        "Imported the %(year)s schedule: %(changes)s days changed, %(recomputed)s "
        "deadlines recomputed.",
    "官方安排": "Official schedule",
    "暂定（按法定节日推算，调休未知）":
        "Provisional (statutory holidays estimated; make-up working days unknown)",
    "放假": "Holidays", "调休上班": "Make-up working days",
    "导入年度安排（JSON）": "Import a year's schedule (JSON)", "文件": "File",
    "导入": "Import", "工作人员": "Staff", "接口令牌": "API tokens", "节假日": "Calendar",
    "办理时限": "Time limits", "代码": "Code", "名称": "Name", "类型": "Kind",
    "状态": "Status", "启用": "Active", "停用": "Deactivate", "无法完成：": "Could not do it: ",
    "类别": "Category", "环节": "Stage", "工作日": "Working days", "说明": "Description",
    "新增或修改": "Add or change", "保存": "Save",
    "新令牌（只显示这一次，请立即复制保存）：":
        "New token (shown only this once: copy it now):",
    "前缀": "Prefix", "权限": "Scopes", "最近使用": "Last used", "有效期至": "Expires",
    "已吊销": "Revoked", "已过期": "Expired", "有效": "Valid", "吊销": "Revoke",
    "新建令牌": "New token", "有效期至（可选）": "Expires (optional)", "创建": "Create",
    "用户名": "Username", "姓名": "Name", "角色": "Role", "新建工作人员": "New staff member",
    "初始密码（至少10位）": "Initial password (10 characters or more)",
    "未找到": "Not found",
    "没有这个页面或诉求，或者它不在您单位的办理范围内。":
        "There is no such page or appeal, or it is outside your organisation's slice.",
    "无法处理的输入": "Input that cannot be handled",
    "请求中含有无法保存的字符（如NUL字符 U+0000）。请删除后重试。":
        "The request contains a character that cannot be stored (such as NUL, U+0000). "
        "Remove it and try again.",
    "返回工作台": "Back to the worklist", "期限": "Due", "暂定": "provisional",
    "集体访": "Collective", "重复访提示": "Repeat appeal", "无法登记：": "Not registered: ",
    "信访人": "Petitioner", "身份证号": "Resident ID", "电话": "Phone", "地址": "Address",
    "人数": "People", "诉求": "Appeal", "请选择": "Choose…", "事项": "Matter",
    "渠道": "Channel", "所涉社区": "Community concerned",
    "本单位所在社区": "This organisation's community",
    "登记时间（补录时填写）": "Received at (when registered later)", "标题": "Title",
    "诉求内容": "What the appeal says", "登记": "Register",
    "此诉求刚被他人更改，页面已刷新为最新状态，请确认后再操作。":
        "Someone else changed this appeal just now; the page shows it as it is now. "
        "Check, then try again.",
    "刷新": "Reload",
    "您的角色在此状态下没有可执行的操作。":
        "Your role has no action on this appeal in its present state.",
    "受理": "Accept", "签收": "Take the assignment", "交办": "Assign", "主办": "Lead",
    "协办": "Assisting", "期限（可选）": "Due (optional)", "交办意见": "Instructions",
    "答复": "Answer", "答复内容": "Answer", "记录回访": "Record feedback",
    "满意度": "Satisfaction", "回访意见": "Comment", "办结": "Close", "已化解": "Resolved",
    "退回": "Return", "退回理由": "Reason for returning", "申请延期": "Request extension",
    "延期工作日": "Working days", "延期理由": "Reason", "批准延期": "Approve extension",
    "驳回延期": "Reject extension", "驳回理由": "Reason", "挂起": "Suspend",
    "挂起理由": "Reason", "恢复办理": "Resume", "转入调解仲裁诉讼": "Escalate",
    "去向": "To", "理由": "Reason", "重启": "Reopen", "重启理由": "Reason",
    "列为积案": "Mark as backlog", "责任人": "Owner", "积案销号": "Clear backlog",
    "重新分类": "Reclassify", "添加备注": "Add note", "备注": "Note", "重复访": "Repeat",
    "越级访": "Level-skipping", "诉求信息": "The appeal", "级": " level",
    "社区": "Community", "办理期限": "Deadline", "回访": "Feedback",
    "个人信息已脱敏：仅大厅和当前承办单位可见。":
        "Personal data masked: only the hall and the organisations handling it now see it.",
    "交办时间": "Assigned", "尚未交办。": "Not assigned yet.", "办理过程": "Timeline",
    "系统": "System", "搜索": "Search", "标题或内容，如：欠薪": "Title or text, e.g. 欠薪",
    "全部": "All", "即将到期": "Due soon", "已超期": "Overdue", "仅积案": "Backlog only",
    "排序": "Sort", "按登记时间": "By receipt", "按办理期限": "By deadline",
    "筛选": "Filter", "共 %(total)s 件": "%(total)s appeals", "导出": "Export",
    "编号": "Number", "登记单位": "Received by", "积案责任人": "Backlog owner",
    "主办单位": "Lead", "登记日期": "Received", "没有符合条件的诉求。": "No appeal matches.",
    "翻页": "Pages", "回到第一页": "First page", "工作人员登录": "Staff sign-in",
    "登录": "Sign in", "密码": "Password",
    # the leaders' pages: the data screen, statistics, governance data
    "统计": "Statistics", "大屏": "Screen", "治理数据": "Governance data",
    "基层治理数据": "Grassroots governance data", "问题清单": "Problems", "行": "Line",
    "列": "Column", "问题": "Problem",
    "文件未导入，原有数据保持不变。": "Nothing was imported; the previous data stays.",
    "已导入 %(n)s 个社区的数据。": "Imported the figures of %(n)s communities.",
    "社区数据（CSV）": "Community figures (CSV)",
    ("格式：community,population,households,housing_units,public_facilities,"
     "public_services（见 README）。"):
        "Format: community,population,households,housing_units,public_facilities,"
        "public_services (see the README).",
    "常住人口": "Residents", "户数": "Households", "公共设施": "Public facilities",
    "尚未导入": "Not imported yet", "目标值": "Targets", "办结率": "Completion rate",
    "按期办结率": "On-time rate", "化解率": "Resolution rate", "满意率": "Satisfaction rate",
    "街道：": "Street: ", "返回全区": "Back to the district", "导出 Excel": "Export Excel",
    "导出 CSV": "Export CSV", "上月月报": "Last month's report", "受理量": "Received",
    "在办": "Open", "超期": "Overdue", "数据大屏": "Data screen", "起": "From", "止": "To",
    "分组": "Group by", "受理单位": "Receiving organisation", "查询": "Show",
    "可视化数据大屏": "Data screen",
    "坪山区群众诉求服务 · 数据大屏": "Pingshan appeals service · data screen",
    "实时": "Live", "统计表": "Tables", "关键指标": "Key figures", "今日受理": "Received today",
    "本年受理": "Received this year", "目标": "Target", "受理趋势": "Trend",
    "受理趋势（按周 / 按月）": "Appeals received (weekly / monthly)",
    "走访金字塔": "Visit pyramid", "倒金字塔预警": "Inverted pyramid",
    "类别与事项": "Categories and matters", "街道与社区": "Streets and communities",
    "街道与社区：每万人诉求量与超期": "Streets and communities: appeals per 10,000 residents, "
        "and overdue",
    "清单": "Lists", "无": "None", "每万人诉求量": "Per 10,000 residents", "按周": "Weekly",
    "按月": "Monthly", "连接中断，正在重连": "Connection lost, reconnecting",
}

# The 访调心裁 chain's pages (web/templates/disputes/).
EN |= {
    "调解案件": "Mediation cases", "此案件刚被他人更改，请确认后再操作。":
    "Someone else just changed this case; check it and try again.",
    "调解组织": "Mediator", "转入单位": "Referred by", "立案": "Opened",
    "请求金额": "Amount claimed", "协议金额": "Amount agreed", "协议内容": "Terms",
    "司法确认": "Judicial confirmation", "当事方": "Parties", "分级调解": "Tiered mediation",
    "层级": "Tier", "结果": "Outcome", "超期升级": "Escalated when its limit passed",
    "已结束": "Ended", "进行中": "Under way", "参加人员": "Attendees",
    "尚无调解会记录。": "No session recorded yet.", "分期履行": "Instalments",
    "期次": "Instalment", "到期日": "Due on", "金额": "Amount", "已付": "Paid",
    "付款记录": "Payments", "记录调解会": "Record a session", "调解时间": "Held at",
    "地点类型": "Kind of place", "地点": "Place",
    "参加人员（用、分隔）": "Attendees (separated by 、)",
    "调解笔录": "Minutes", "调解结果": "Outcome", "协议金额（元）": "Amount agreed (yuan)",
    "分期（每行：日期 金额）": "Instalments (one a line: date amount)",
    "理由（未达成协议时必填）": "Reason (needed without an agreement)",
    "记录付款": "Record a payment", "金额（元）": "Amount (yuan)", "付款日期": "Paid on",
    "决定": "Decision", "确认有效": "Confirm", "您在此案件上没有可执行的操作。":
    "You have no step to take on this case.", "访调心裁": "Petition, mediation, care, arbitration",
    "元": "yuan", "已付清": "Paid", "待付": "Due", "开庭": "Hearing",
    "裁决金额": "Amount awarded", "已履行": "Paid", "未履行": "Unpaid",
    "诉讼（待编案号）": "Lawsuit (no case number yet)",
    "尚未转入调解、仲裁或诉讼。": "Not yet in mediation, arbitration or court.",
    "转入调解": "Refer to mediation", "调解类型": "Kind of mediation",
    "地铁项目分级调解（先由工地层级调解）": "Metro tiered mediation (the site tier first)",
    "案号": "Case number", "没有符合条件的调解案件。": "No mediation case matches.",
    "地铁项目分级调解看板": "Metro tier board", "待司法确认": "Awaiting judicial confirmation",
    "本层级期限": "This tier's limit", "暂无案件": "No cases",
}

# The enums' values (what the pages show for a status, a category…).
ENUMS = {
    # psychological care (RiskLevel, RiskFlagKind, CareSessionKind) and its events
    "低风险": "Low risk", "中风险": "Medium risk", "高风险": "High risk", "危机": "Crisis",
    "扬言自伤自杀": "Threat of self-harm", "堵门缠访": "Blocking offices",
    "言辞过激": "Extreme words", "现场疏导": "On-site counselling", "上门走访": "Home visit",
    "热线": "Hotline", "风险标记": "Risk flagged", "心理筛查": "Screening",
    "风险预警": "Risk alert", "危机干预": "Crisis intervention",
    "积案评估": "Backlog case reviewed", "积案督办": "Backlog case supervised",
    # Category, Matter, Channel, Level
    "咨询": "Consultation", "建议": "Suggestion", "投诉": "Complaint", "举报": "Report",
    "求助": "Assistance", "信访事项": "Petition", "劳资欠薪": "Unpaid wages",
    "劳动合同": "Labour contract", "宅基地与土地": "Homestead and land", "婚姻家庭": "Family",
    "施工扰民": "Construction nuisance", "住房": "Housing", "环境": "Environment",
    "交通": "Traffic", "公共服务": "Public services", "其他": "Other", "走访": "Walk-in",
    "来电": "Phone", "来信": "Letter", "网上": "Online", "站点": "Site station",
    "区": "District", "街道": "Street", "市": "City", "网格": "Grid",
    # PetitionStatus
    "已登记": "Received", "已受理": "Accepted", "已交办": "Assigned", "办理中": "In progress",
    "已答复": "Answered", "已回访": "Feedback", "已办结": "Closed", "已退回": "Returned",
    "已挂起": "Suspended", "已延期": "Extended", "已重启": "Reopened",
    "已转入调解仲裁诉讼": "Escalated",
    # AssignmentStatus, Satisfaction, Escalation
    "待签收": "Pending", "已签收": "Accepted", "已撤回": "Withdrawn",
    "满意": "Satisfied", "基本满意": "Basically satisfied", "不满意": "Dissatisfied",
    "拒绝评价": "Refused", "无法联系": "Unreachable", "调解": "Mediation",
    "仲裁": "Arbitration", "诉讼": "Litigation",
    # EventKind
    "分类": "Classified", "承办完成": "Assignment completed", "恢复": "Resumed",
    "关联重复访": "Linked as a repeat", "期限重算": "Deadline recomputed",
    "更正信访人信息": "Petitioner's record corrected",
    # Role
    "分办员": "Dispatcher", "承办人": "Handler", "调解员": "Mediator",
    "心理咨询师": "Counsellor", "信用专员": "Credit officer", "领导": "Leader",
    "管理员": "Administrator",
    # PolicyStage
    "办理": "Handling", "受理告知": "Acceptance", "延期": "Extension",
    # TimeUnit (工作日 is above), DeadlineStart
    "日": "Days", "收到之日": "Receipt", "受理之日": "Acceptance", "交办之日": "Assignment",
    "原期限届满之日": "The previous deadline",
    # Time limits in 日 and 工作日
    "时限": "Time limit", "起算": "Counts from", "天数": "Days", "计算单位": "Unit",
    "按环节惯例": "The stage's usual event", "受理告知期限": "Acceptance decision due",
    "延期天数": "Days of extension",
    "工作日：只计官方日历上的工作日。日：按日历日计算，期间开始之日不计入，最后一日是法定休假日的，以休假日结束的次日为最后一日（民法典第二百零一条、第二百零三条）。":
        "Working days count only the working days of the official calendar. Days count "
        "calendar days: the starting day is not counted, and when the last day is a rest day "
        "the period ends on the next working day (Civil Code art. 201, 203).",
    # OrganisationKind
    "区群众诉求服务大厅": "District appeals hall",
    "街道综合性群众诉求服务平台": "Street appeals platform",
    "社区群众诉求服务窗口": "Community window", "群众诉求服务特色站点": "Site station",
    "区综治中心": "Comprehensive governance centre",
    "区社会治理综合服务中心": "Social governance service centre",
    "区人民法院诉讼服务站": "Court litigation service station",
    "劳动争议调解委员会": "Labour dispute mediation committee",
    "劳动人事争议仲裁院": "Labour arbitration", "调解工作室": "Mediation studio",
    "工地调解室": "Site mediation room",
    "地铁项目工地劳资纠纷分级调解中心": "Metro-project dispute centre",
    "诉源治理非诉纠纷试点基地": "Non-litigation pilot base",
    "区社会心理关爱服务中心": "Psychological care centre",
    "公共信用信息服务中心": "Public credit centre", "职能部门": "Department",
    # The 访调心裁 chain: EventKind, PolicyStage
    "明确当事方": "Parties named", "调解立案": "Mediation opened", "调解会": "Mediation session",
    "调解升级": "Tier escalated", "调解结案": "Mediation concluded",
    "履行付款": "Payment recorded", "逾期未付": "Instalment missed",
    "申请司法确认": "Judicial confirmation asked", "司法确认结果": "Judicial confirmation decided",
    "仲裁立案": "Arbitration opened", "仲裁开庭排期": "Hearing scheduled",
    "仲裁裁决": "Award made", "裁决履行": "Award paid", "诉讼立案": "Lawsuit filed",
    "判决": "Judgment", "工地层级调解": "Metro site tier",
    "地铁集团中心调解": "Metro centre tier", "区监管部门调解": "Regulators' tier",
    # PartyRole, MediationKind, MediationStatus, MetroTier, SessionPlace
    "用人单位": "Employer", "总承包单位": "Main contractor", "分包单位": "Subcontractor",
    "行政调解": "Administrative mediation", "仲裁调解": "Arbitral mediation",
    "司法调解": "Judicial mediation", "社会化调解": "Social mediation",
    "调解中": "Being mediated", "达成协议": "Agreed", "调解不成": "No agreement",
    "撤回": "Withdrawn", "拒绝调解": "Refused", "工地层级": "Site",
    "地铁集团中心": "Metro centre", "区监管部门": "District regulators",
    "调解中心": "Mediation centre", "司法在线调解室": "Online judicial mediation room",
    # ConfirmationStatus, ArbitrationStatus, LitigationStatus
    "已申请": "Asked", "已确认": "Confirmed", "不予确认": "Refused", "已立案": "Filed",
    "已排期开庭": "Hearing scheduled", "已裁决": "Awarded", "已判决": "Judged",
    "已撤诉": "Withdrawn",
}


def template_messages() -> list[str]:
    """Every message id the templates use (singular form for plurals)."""
    found: dict[str, None] = {}
    for _, _, message, _, _ in extract_from_dir(
        str(TEMPLATES), method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found[message if isinstance(message, str) else message[0]] = None
    return list(found)


def enum_values() -> list[str]:
    kinds = [enums.Category, enums.Matter, enums.Channel, enums.Level, enums.PetitionStatus,
             enums.AssignmentRole, enums.AssignmentStatus, enums.Satisfaction,
             enums.Escalation, enums.EventKind, enums.Role, enums.PolicyStage,
             enums.OrganisationKind, enums.TimeUnit, enums.DeadlineStart, enums.PartyRole,
             enums.MediationKind, enums.MediationStatus, enums.MetroTier, enums.SessionPlace,
             enums.ConfirmationStatus, enums.ArbitrationStatus, enums.LitigationStatus,
             care.RiskLevel, care.RiskFlagKind, care.CareSessionKind]
    return list(dict.fromkeys(str(member.value) for kind in kinds for member in kind))


def build() -> Catalog:
    catalog = Catalog(locale="en", project="petition-hub", fuzzy=False)
    everything = {**EN, **ENUMS}
    for message in dict.fromkeys(template_messages() + enum_values()):
        if message in PLURALS:
            catalog.add((message, message), PLURALS[message])
        elif message in everything:
            catalog.add(message, everything[message])
        else:
            catalog.add(message, "")
    return catalog


def main() -> None:
    catalog = build()
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as out:
        write_po(out, catalog, width=100, omit_header=False, sort_output=False)
    missing = [m.id for m in catalog if m.id and not m.string]
    if missing:
        sys.exit(f"no English for: {missing}")


if __name__ == "__main__":
    main()
