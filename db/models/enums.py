"""The domain's fixed vocabularies. Names are the stored values and the GraphQL values."""

from __future__ import annotations

import enum


class RegionKind(enum.Enum):
    DISTRICT = "区"
    STREET = "街道"
    COMMUNITY = "社区"
    GRID = "网格"


class OrganisationKind(enum.Enum):
    APPEALS_HALL = "区群众诉求服务大厅"
    STREET_PLATFORM = "街道综合性群众诉求服务平台"
    COMMUNITY_WINDOW = "社区群众诉求服务窗口"
    SITE_STATION = "群众诉求服务特色站点"
    GOVERNANCE_CENTRE = "区综治中心"
    SOCIAL_GOVERNANCE_CENTRE = "区社会治理综合服务中心"
    COURT_STATION = "区人民法院诉讼服务站"
    LABOUR_MEDIATION_COMMITTEE = "劳动争议调解委员会"
    LABOUR_ARBITRATION = "劳动人事争议仲裁院"
    MEDIATION_STUDIO = "调解工作室"
    SITE_MEDIATION_ROOM = "工地调解室"
    METRO_DISPUTE_CENTRE = "地铁项目工地劳资纠纷分级调解中心"
    NON_LITIGATION_BASE = "诉源治理非诉纠纷试点基地"
    PSYCH_CARE_CENTRE = "区社会心理关爱服务中心"
    CREDIT_CENTRE = "公共信用信息服务中心"
    DEPARTMENT = "职能部门"


class SiteKind(enum.Enum):
    RESIDENTIAL_ESTATE = "住宅小区"
    CONSTRUCTION_SITE = "建筑工地"
    ENTERPRISE_PARK = "企业园区"
    SCHOOL = "学校"
    HOSPITAL = "医院"


class Role(enum.Enum):
    DISPATCHER = "分办员"
    HANDLER = "承办人"
    MEDIATOR = "调解员"
    COUNSELLOR = "心理咨询师"
    CREDIT_OFFICER = "信用专员"
    LEADER = "领导"
    ADMIN = "管理员"


class Category(enum.Enum):
    CONSULTATION = "咨询"
    SUGGESTION = "建议"
    COMPLAINT = "投诉"
    REPORT = "举报"
    ASSISTANCE = "求助"
    PETITION = "信访事项"


class Matter(enum.Enum):
    LABOUR_WAGES = "劳资欠薪"
    LABOUR_CONTRACT = "劳动合同"
    HOMESTEAD_LAND = "宅基地与土地"
    FAMILY = "婚姻家庭"
    CONSTRUCTION_NUISANCE = "施工扰民"
    HOUSING = "住房"
    ENVIRONMENT = "环境"
    TRAFFIC = "交通"
    PUBLIC_SERVICES = "公共服务"
    OTHER = "其他"


class Channel(enum.Enum):
    WALK_IN = "走访"
    HOTLINE = "来电"
    LETTER = "来信"
    ONLINE = "网上"
    SITE_STATION = "站点"


class Level(enum.Enum):
    COMMUNITY = "社区"
    STREET = "街道"
    DISTRICT = "区"
    CITY = "市"


class PetitionStatus(enum.Enum):
    RECEIVED = "已登记"
    ACCEPTED = "已受理"
    ASSIGNED = "已交办"
    IN_PROGRESS = "办理中"
    ANSWERED = "已答复"
    FEEDBACK = "已回访"
    CLOSED = "已办结"
    RETURNED = "已退回"
    SUSPENDED = "已挂起"
    EXTENDED = "已延期"
    REOPENED = "已重启"
    ESCALATED = "已转入调解仲裁诉讼"

    @property
    def is_open(self) -> bool:
        return self is not PetitionStatus.CLOSED


OPEN_STATUSES = tuple(s for s in PetitionStatus if s.is_open)
# Statuses in which the deadline clock runs: the appeal still awaits its answer.
AWAITING_ANSWER = (
    PetitionStatus.RECEIVED,
    PetitionStatus.ACCEPTED,
    PetitionStatus.ASSIGNED,
    PetitionStatus.IN_PROGRESS,
    PetitionStatus.RETURNED,
    PetitionStatus.EXTENDED,
    PetitionStatus.REOPENED,
)


class AssignmentRole(enum.Enum):
    LEAD = "主办"
    ASSISTING = "协办"


class AssignmentStatus(enum.Enum):
    PENDING = "待签收"
    ACCEPTED = "已签收"
    RETURNED = "已退回"
    COMPLETED = "已办结"
    WITHDRAWN = "已撤回"


class Satisfaction(enum.Enum):
    SATISFIED = "满意"
    BASICALLY_SATISFIED = "基本满意"
    DISSATISFIED = "不满意"
    REFUSED = "拒绝评价"
    UNREACHABLE = "无法联系"


class Escalation(enum.Enum):
    """Where an appeal goes when the hub's handling cannot settle it (访调心裁)."""

    MEDIATION = "调解"
    ARBITRATION = "仲裁"
    LITIGATION = "诉讼"


class EventKind(enum.Enum):
    SUBMITTED = "登记"
    ACCEPTED = "受理"
    CLASSIFIED = "分类"
    ASSIGNED = "交办"
    ASSIGNMENT_ACCEPTED = "签收"
    ASSIGNMENT_RETURNED = "退回"
    ASSIGNMENT_COMPLETED = "承办完成"
    NOTE_ADDED = "备注"
    SUSPENDED = "挂起"
    RESUMED = "恢复"
    EXTENSION_REQUESTED = "申请延期"
    EXTENSION_APPROVED = "批准延期"
    EXTENSION_REJECTED = "驳回延期"
    ANSWERED = "答复"
    FEEDBACK_RECORDED = "回访"
    CLOSED = "办结"
    REOPENED = "重启"
    BACKLOG_MARKED = "列为积案"
    BACKLOG_CLEARED = "积案销号"
    ESCALATED = "转入调解仲裁诉讼"
    DEADLINE_APPROACHING = "即将到期"
    OVERDUE = "已超期"
    REPEAT_LINKED = "关联重复访"
    DEADLINE_RECOMPUTED = "期限重算"
    PETITIONER_UPDATED = "更正信访人信息"
    # The 访调心裁 chain (resolvers/disputes/): each stage's steps on the appeal's timeline.
    PARTIES_NAMED = "明确当事方"
    MEDIATION_OPENED = "调解立案"
    MEDIATION_SESSION = "调解会"
    TIER_ESCALATED = "调解升级"
    MEDIATION_CONCLUDED = "调解结案"
    PAYMENT_RECORDED = "履行付款"
    INSTALMENT_MISSED = "逾期未付"
    CONFIRMATION_ASKED = "申请司法确认"
    CONFIRMATION_DECIDED = "司法确认结果"
    ARBITRATION_OPENED = "仲裁立案"
    HEARING_SCHEDULED = "仲裁开庭排期"
    AWARD_MADE = "仲裁裁决"
    AWARD_PAID = "裁决履行"
    LITIGATION_OPENED = "诉讼立案"
    JUDGMENT_GIVEN = "判决"
    JUDGMENT_PAID = "判决履行"
    RISK_FLAGGED = "风险标记"
    SCREENED = "心理筛查"
    RISK_ALERT = "风险预警"
    CRISIS = "危机干预"
    BACKLOG_REVIEWED = "积案评估"
    BACKLOG_SUPERVISED = "积案督办"
    # Credit supervision (resolvers/credit/): a public record taking effect or repaired.
    CREDIT_RECORDED = "信用记录"
    CREDIT_REPAIRED = "信用修复"


class PolicyStage(enum.Enum):
    """The step of the procedure a time limit applies to."""

    HANDLING = "办理"
    ACCEPTANCE = "受理告知"
    EXTENSION = "延期"
    MEDIATION = "调解"
    ARBITRATION = "仲裁"
    METRO_SITE = "工地层级调解"
    METRO_CENTRE = "地铁集团中心调解"
    METRO_REGULATOR = "区监管部门调解"


class PartyRole(enum.Enum):
    """An enterprise's part in an appeal (and in a project)."""

    EMPLOYER = "用人单位"
    MAIN_CONTRACTOR = "总承包单位"
    SUBCONTRACTOR = "分包单位"


class MediationKind(enum.Enum):
    """The four kinds of the "four-in-one" labour dispute mediation platform (四位一体)."""

    ADMINISTRATIVE = "行政调解"
    ARBITRATION = "仲裁调解"
    JUDICIAL = "司法调解"
    SOCIAL = "社会化调解"


class MediationStatus(enum.Enum):
    OPEN = "调解中"
    AGREED = "达成协议"
    NO_AGREEMENT = "调解不成"
    WITHDRAWN = "撤回"
    REFUSED = "拒绝调解"


class MetroTier(enum.Enum):
    """The metro centre's tiers (分级调解): site, the metro group's centre, the regulators."""

    SITE = "工地层级"
    CENTRE = "地铁集团中心"
    REGULATOR = "区监管部门"


class SessionPlace(enum.Enum):
    SITE_MEDIATION_ROOM = "工地调解室"
    STUDIO = "调解工作室"
    ONLINE_JUDICIAL_ROOM = "司法在线调解室"
    CENTRE = "调解中心"
    OTHER = "其他"


class ConfirmationStatus(enum.Enum):
    """司法确认 of a mediation agreement by the court station."""

    REQUESTED = "已申请"
    CONFIRMED = "已确认"
    REFUSED = "不予确认"


class ArbitrationStatus(enum.Enum):
    FILED = "已立案"
    HEARING_SCHEDULED = "已排期开庭"
    AWARDED = "已裁决"
    WITHDRAWN = "已撤回"


class LitigationStatus(enum.Enum):
    FILED = "已立案"
    JUDGED = "已判决"
    WITHDRAWN = "已撤诉"


class TimeUnit(enum.Enum):
    """What a time limit counts: working days on the official calendar, or days (日) by the
    civil code's rule (民法典 art. 201, 203: a last day off work moves to the next working day)."""

    WORKING_DAYS = "工作日"
    CALENDAR_DAYS = "日"


class DeadlineStart(enum.Enum):
    """The event a time limit counts from (that day itself not counted)."""

    RECEIPT = "收到之日"
    ACCEPTANCE = "受理之日"
    ASSIGNMENT = "交办之日"
    PREVIOUS_DEADLINE = "原期限届满之日"


class CalendarSource(enum.Enum):
    CHINESECALENDAR = "chinesecalendar"
    IMPORT = "导入"
