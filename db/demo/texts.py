"""Wording of the demo appeals: title, description and answer per matter and kind of ask.

Templates use `str.format` fields filled by `appeals.Generator`: {site} a construction
site, {company} an employer, {builder} a construction firm, {property} a property
management firm, {amount} yuan, {months}, {n} people, {estate} a residential estate,
{road}, {community}, {school}, {hospital}.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from db.demo.places import ROADS
from db.models import Category, Matter

if TYPE_CHECKING:
    from db.demo.world import Site, World

ASK, SUGGEST, COMPLAIN = "ask", "suggest", "complain"

ESTATES = [
    "金碧花园",
    "东城雅苑",
    "龙田花园",
    "聚龙苑",
    "怡心花园",
    "坪环新村",
    "汤坑新村",
    "秀新家园",
    "沙田新居",
    "竹坑小区",
    "六联新村",
    "翠景花园",
    "和平公寓",
    "金沙苑",
]
SCHOOLS = ["龙田实验学校", "坪山第二小学", "坑梓中学", "石井学校", "六联小学", "马峦幼儿园"]
HOSPITALS = ["坪山区人民医院", "坪山区中医院", "坑梓社康中心", "龙田社康中心"]
GENERIC_SITES = [
    "坪山中心区某在建楼盘工地",
    "碧岭片区城市更新项目工地",
    "龙田某厂房改造工地",
    "坑梓某安置房项目工地",
    "石井某道路改造工程",
    "坪环某学校扩建工地",
]

T = tuple[str, str, str]  # title, description, answer
TEMPLATES: dict[Matter, dict[str, list[T]]] = {
    Matter.LABOUR_WAGES: {
        ASK: [
            (
                "咨询{site}工资结算与支付时间",
                "本人在{site}做木工，想了解班组工资何时结算、如何查询实名制工资专户的发放记录。",
                "已告知工资专户查询方式，总包单位承诺每月15日前发放上月工资。",
            ),
            (
                "咨询被拖欠工资如何申请调解",
                "{company}拖欠本人{months}个月工资约{amount}元，"
                "想了解申请劳动争议调解需要准备哪些材料。",
                "已告知申请劳动争议调解、仲裁的途径和所需材料，并引导至劳动争议调解委员会窗口。",
            ),
        ],
        SUGGEST: [
            (
                "建议工地公示农民工工资发放情况",
                "建议{site}在门口设置工资公示牌，按月公示班组工资发放情况，方便工友监督。",
                "建议已采纳，已督促施工总包单位设置维权信息告示牌并按月公示。",
            )
        ],
        COMPLAIN: [
            (
                "{site}拖欠农民工工资",
                "反映{site}分包单位{builder}拖欠{n}名农民工"
                "{months}个月工资共计约{amount}元，多次讨要未果，请求协调支付。",
                "经调解，{builder}同意分{months}期支付拖欠工资{amount}元，首期已到账。",
            ),
            (
                "{company}拖欠工资{amount}元",
                "本人在{company}工作，离职后公司拖欠"
                "{months}个月工资{amount}元未结清，请求督促支付。",
                "经劳动监察约谈，{company}已一次性支付拖欠工资{amount}元。",
            ),
            (
                "反映{site}班组长卷款，工人工资无着落",
                "{site}班组长领取工程款后失联，"
                "{n}名工人约{amount}元工资无人支付，请求总包单位先行垫付。",
                "经协调，总包单位从农民工工资专户先行垫付{amount}元，已发放到位。",
            ),
        ],
    },
    Matter.LABOUR_CONTRACT: {
        ASK: [
            (
                "咨询未签劳动合同的二倍工资",
                "本人入职{company}已{months}个月未签订书面劳动合同，咨询能否主张二倍工资差额。",
                "已解释劳动合同法相关规定，并告知申请劳动仲裁的时效和途径。",
            ),
            (
                "咨询社保断缴与补缴",
                "{company}未按规定为本人缴纳社保，想了解如何补缴。",
                "已告知社保补缴流程，并转劳动监察核查用人单位缴费情况。",
            ),
        ],
        SUGGEST: [
            (
                "建议园区开展劳动法律宣讲",
                "建议在{community}工业园区定期开展劳动合同、社保方面的普法宣讲。",
                "建议已采纳，已列入本季度普法进园区活动安排。",
            )
        ],
        COMPLAIN: [
            (
                "{company}违法解除劳动合同",
                "本人在{company}工作{months}年，公司未提前"
                "通知即解除劳动合同且拒付经济补偿，请求处理。",
                "经调解，双方达成协议，公司支付经济补偿{amount}元。",
            ),
            (
                "反映{company}未缴社保、加班无加班费",
                "{company}长期安排加班未支付加班费，亦未缴纳社保，涉及员工约{n}人。",
                "已责令用人单位限期补缴社会保险、补发加班费，并纳入信用监管。",
            ),
        ],
    },
    Matter.HOMESTEAD_LAND: {
        ASK: [
            (
                "咨询宅基地确权办理流程",
                "本人系{community}原村民，咨询祖屋宅基地确权及历史遗留建筑处理的办理流程。",
                "已按历史遗留问题处理政策答复，并告知确权办理流程和所需材料。",
            )
        ],
        SUGGEST: [
            (
                "建议加快{community}历史遗留问题处理",
                "建议明确历史遗留违法建筑处理时间表，保障原村民合法权益。",
                "建议已转规划和自然资源部门研究，将结合城市更新统筹推进。",
            )
        ],
        COMPLAIN: [
            (
                "与亲属宅基地权属纠纷",
                "本人与亲属就{community}一处宅基地的使用权发生纠纷，对方擅自加建，请求调处。",
                "经街道组织双方现场调处，达成调解协议，对方拆除加建部分。",
            ),
            (
                "反映{community}股份合作公司土地分红不公",
                "{community}股份合作公司土地收益分配不透明，涉及股民约{n}人，请求核查。",
                "已督促股份合作公司公开收益分配方案，并召开股东代表大会说明情况。",
            ),
            (
                "对宅基地纠纷处理结果不服",
                "对街道关于{community}宅基地纠纷的处理意见不服，请求上级部门重新调处。",
                "经心理疏导和多次上门沟通，诉求人接受处理意见，案结事了。",
            ),
        ],
    },
    Matter.FAMILY: {
        ASK: [
            (
                "咨询离婚财产分割与子女抚养",
                "咨询离婚时房产分割及子女抚养费标准。",
                "已告知相关法律规定和诉讼服务站的联系方式。",
            ),
            (
                "咨询赡养纠纷调解渠道",
                "兄弟姐妹对父母赡养费用分担有争议，想申请调解。",
                "已引导至阿潘调解工作室预约调解。",
            ),
        ],
        SUGGEST: [
            (
                "建议社区增设家事调解服务",
                "建议在{community}党群服务中心增设家事调解和心理咨询服务。",
                "建议已采纳，心理关爱服务中心将每月安排咨询师驻点。",
            )
        ],
        COMPLAIN: [
            (
                "家庭矛盾请求调解",
                "本人与配偶因家庭琐事长期争吵，对方多次威胁，请求社区和调解组织介入。",
                "经调解，双方达成和解，签订家庭协议，社区定期回访。",
            ),
            (
                "子女拒不履行赡养义务",
                "本人年逾七旬，子女拒不支付赡养费，请求调解。",
                "经调解，子女同意按月支付赡养费，社区定期回访。",
            ),
        ],
    },
    Matter.CONSTRUCTION_NUISANCE: {
        ASK: [
            (
                "咨询夜间施工许可情况",
                "{estate}附近{site}夜间施工，咨询是否办理夜间施工许可。",
                "经核实，该工地已办理夜间施工许可，许可时段已告知诉求人。",
            )
        ],
        SUGGEST: [
            (
                "建议{site}设置降尘和隔音设施",
                "建议{site}加装围挡喷淋和隔音屏，减少对{estate}居民的影响。",
                "已督促{builder}加装喷淋和隔音屏。",
            )
        ],
        COMPLAIN: [
            (
                "{site}夜间施工噪音扰民",
                "{site}连续多晚施工至凌晨，噪音严重影响{estate}居民休息，请求查处。",
                "已责令{builder}停止违规夜间施工，并加强夜间巡查。",
            ),
            (
                "{road}施工扬尘严重",
                "{road}沿线施工未覆盖裸土，扬尘严重，渣土车带泥上路。",
                "已督促施工单位落实覆盖、冲洗等降尘措施。",
            ),
            (
                "{site}施工导致房屋开裂",
                "{site}打桩施工后{estate}多户房屋墙体开裂，请求鉴定并赔偿。",
                "已委托第三方进行房屋安全鉴定，{builder}承诺按鉴定结果赔偿。",
            ),
        ],
    },
    Matter.HOUSING: {
        ASK: [
            (
                "咨询保障性住房申请条件",
                "咨询坪山区公共租赁住房和保障性租赁住房的申请条件及轮候情况。",
                "已答复保障性住房申请条件和轮候规则。",
            ),
            (
                "咨询租房押金退还",
                "租住{estate}，退租时房东拒退押金，咨询处理途径。",
                "已告知可申请社区人民调解或向法院起诉。",
            ),
        ],
        SUGGEST: [
            (
                "建议{estate}加装电梯",
                "{estate}多为七层住宅，建议推动既有住宅加装电梯。",
                "已告知既有住宅加装电梯的申请流程和补贴政策。",
            )
        ],
        COMPLAIN: [
            (
                "{estate}物业服务差、乱收费",
                "{estate}物业公司{property}擅自上调物业费，公共区域长期无人保洁。",
                "已约谈{property}，责令整改并公示收费依据。",
            ),
            (
                "{estate}房屋漏水维修无人处理",
                "{estate}外墙渗水多次报修，物业推诿，请求督促维修。",
                "已督促物业和业主委员会完成维修。",
            ),
            (
                "开发商逾期交房",
                "所购{estate}商品房逾期{months}个月未交付，请求协调。",
                "已约谈开发企业，明确交房时间表并按合同支付逾期违约金。",
            ),
        ],
    },
    Matter.ENVIRONMENT: {
        ASK: [
            (
                "咨询工业废气排放标准",
                "{community}附近工厂有异味，咨询废气排放标准和监测结果。",
                "已答复排放标准，近期监测结果达标。",
            )
        ],
        SUGGEST: [
            (
                "建议加强坪山河沿岸保洁",
                "建议加强坪山河{community}段的垃圾清理和巡查。",
                "建议已采纳，已增加该河段保洁频次。",
            )
        ],
        COMPLAIN: [
            (
                "{company}夜间偷排废水",
                "{company}夜间通过雨水管偷排废水，河道发黑发臭。",
                "经现场检查，已对{company}立案查处并责令整改。",
            ),
            (
                "{community}工厂废气异味扰民",
                "{community}某工业园厂房排放刺激性气味，居民夜间无法开窗。",
                "已安排夜间监测，对超标企业责令整改。",
            ),
            (
                "{estate}周边餐饮油烟扰民",
                "{estate}楼下餐饮店油烟直排，影响居民生活。",
                "已督促餐饮店安装油烟净化设施。",
            ),
        ],
    },
    Matter.TRAFFIC: {
        ASK: [
            (
                "咨询{road}交通管制时间",
                "咨询{road}因施工实行交通管制的起止时间和绕行方案。",
                "已答复管制时间和绕行方案。",
            )
        ],
        SUGGEST: [
            (
                "建议增设公交线路",
                "建议增开{community}至坪山中心区的公交线路。",
                "建议已转交通部门研究，纳入年度线网优化计划。",
            ),
            (
                "建议{road}路口增设红绿灯",
                "{road}与支路交叉口车流量大，建议增设信号灯。",
                "经现场勘查，已纳入信号灯建设计划。",
            ),
        ],
        COMPLAIN: [
            (
                "{road}违章停车严重",
                "{road}两侧长期违章停车，占用车道，早晚高峰拥堵。",
                "已联合交警部门加强巡查和违停整治。",
            ),
            (
                "泥头车超速闯红灯",
                "{road}泥头车频繁超速、闯红灯，存在安全隐患。",
                "已通报交警部门开展专项整治，并约谈运输企业。",
            ),
        ],
    },
    Matter.PUBLIC_SERVICES: {
        ASK: [
            (
                "咨询{school}学位申请",
                "咨询非深户子女申请{school}学位所需积分和材料。",
                "已答复学位申请政策和办理时间。",
            ),
            (
                "咨询医保异地备案",
                "咨询在{hospital}就医的异地医保备案办理流程。",
                "已告知异地就医备案的线上办理方式。",
            ),
        ],
        SUGGEST: [
            (
                "建议{community}增设社康服务点",
                "{community}人口增长快，建议增设社康服务点。",
                "建议已转卫生健康部门研究，纳入社康机构布局规划。",
            ),
            (
                "建议延长党群服务中心开放时间",
                "建议{community}党群服务中心周末开放。",
                "建议已采纳，周六上午开放。",
            ),
        ],
        COMPLAIN: [
            (
                "{hospital}排队时间过长",
                "在{hospital}就诊排队时间过长，窗口服务态度差。",
                "已转卫生健康部门核查，医院已增开窗口并改进服务流程。",
            ),
            (
                "{community}路灯损坏长期未修",
                "{community}{road}段多盏路灯损坏，夜间出行不便。",
                "已督促相关单位完成维修。",
            ),
            (
                "{school}校车接送不规范",
                "{school}校车超载、接送时间不固定，家长担忧安全。",
                "已责令学校和校车运营单位整改，并加强检查。",
            ),
        ],
    },
    Matter.OTHER: {
        ASK: [
            (
                "咨询居住证办理",
                "咨询在{community}办理居住证需要的材料和时限。",
                "已答复办理材料和流程。",
            ),
            (
                "咨询企业信用修复",
                "{company}被列入经营异常名录，咨询信用修复程序。",
                "已告知信用修复的条件和线上申请渠道。",
            ),
        ],
        SUGGEST: [
            (
                "建议社区开展防诈骗宣传",
                "建议{community}定期开展防电信诈骗宣传。",
                "建议已采纳，社区将联合派出所每月开展宣传。",
            )
        ],
        COMPLAIN: [
            (
                "邻里纠纷请求调解",
                "与{estate}邻居因房屋漏水、噪音产生矛盾，请求调解。",
                "经社区调解，双方达成一致。",
            ),
            (
                "{community}流浪犬伤人隐患",
                "{community}流浪犬较多，已有居民被咬伤。",
                "已通知相关部门处置并加强巡查。",
            ),
        ],
    },
}

RETURN_REASONS = [
    "不属于本单位职责范围，请重新分办",
    "诉求地址不在本辖区",
    "事项涉及劳动争议，应由劳动争议调解机构办理",
    "材料不全，无法核实诉求内容",
]
EXTENSION_REASONS = [
    "涉及多方主体，需进一步调查取证",
    "需等待房屋安全鉴定结果",
    "调解需分期履行，需延期跟踪",
    "涉及历史遗留问题，需多部门会商",
]
SUSPENSION_REASONS = ["等待司法程序结果", "诉求人暂时无法联系", "等待仲裁裁决", "等待鉴定结论"]
BACKLOG_NOTES = [
    "上门走访，诉求人拒绝开门",
    "上门走访，与诉求人面谈约一小时",
    "安排心理咨询师进行心理疏导",
    "召开多部门联席会议研究化解方案",
    "电话回访，诉求人情绪较为激动",
    "组织双方现场调解，未达成一致",
]


def group(category: Category) -> str:
    """Which templates fit a category: asking, suggesting, or complaining and the like."""
    if category is Category.CONSULTATION:
        return ASK
    if category is Category.SUGGESTION:
        return SUGGEST
    return COMPLAIN


def fill(
    rng: random.Random,
    world: World,
    matter: Matter,
    category: Category,
    community: str,
    site: Site | None,
    n: int,
) -> dict[str, str]:
    """Title, description and answer for an appeal, and what it is about (school, hospital)."""
    title, description, answer = rng.choice(TEMPLATES[matter][group(category)])
    builder = rng.choice(world.building_companies)
    if site is not None:
        builder = rng.choice(site.companies[1:] or site.companies)
        site_name = site.spec.short
    else:
        site_name = rng.choice(GENERIC_SITES)
    if n == 1:
        n = rng.randint(3, 40)
    months = rng.randint(1, 6)
    if matter is Matter.LABOUR_WAGES and "{n}" in title + description:
        amount = n * rng.randint(40, 300) * 100
    else:
        amount = rng.randint(30, 600) * 100
    fields = {
        "site": site_name,
        "company": rng.choice(world.companies),
        "builder": builder,
        "property": rng.choice(world.property_companies),
        "amount": str(amount),
        "months": str(months),
        "n": str(n),
        "estate": rng.choice(ESTATES),
        "road": rng.choice(ROADS),
        "community": community + "社区",
        "school": rng.choice(SCHOOLS),
        "hospital": rng.choice(HOSPITALS),
    }
    said = title + description
    return {
        "title": title.format_map(fields),
        "description": description.format_map(fields),
        "answer": answer.format_map(fields),
        "about": "school" if "{school}" in said else "hospital" if "{hospital}" in said else "",
    }
