"""What handlers write at the steps of an appeal's life: why an assignment is returned,
an extension asked or the clock stopped, and the notes of a backlog case's visits."""

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
