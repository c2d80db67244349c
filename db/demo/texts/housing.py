"""Wording of building and housing appeals: construction nuisance, homes and estates."""

from __future__ import annotations

from db.demo.texts.kinds import ASK, COMPLAIN, SUGGEST, Templates
from db.models import Matter

TEMPLATES: Templates = {
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
}
