"""Wording of labour appeals: unpaid wages, contracts and social insurance."""

from __future__ import annotations

from db.demo.texts.kinds import ASK, COMPLAIN, SUGGEST, Templates
from db.models import Matter

TEMPLATES: Templates = {
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
}
