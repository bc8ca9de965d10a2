"""The words the demo is made of: team and city names, name pools, companies, products, and
the sentences of follow-ups and tasks, with the weights they are drawn by."""

from gendan.activities.choices import Outcome, TaskPriority
from gendan.core.risk import RiskLevel


def _pairs(words: str) -> tuple:
    """("王", "wang"), ... from "王 wang ..."."""
    items = words.split()
    return tuple(zip(items[::2], items[1::2], strict=True))


TEAMS = (
    ("华东销售部", "east", ("上海", "杭州", "南京", "苏州", "宁波", "合肥")),
    ("华南销售部", "south", ("广州", "深圳", "东莞", "佛山", "厦门", "福州")),
    ("华北销售部", "north", ("北京", "天津", "济南", "青岛", "石家庄")),
    ("西南销售部", "west", ("成都", "重庆", "昆明", "贵阳")),
    ("华中销售部", "central", ("武汉", "长沙", "郑州", "南昌")),
    ("西北销售部", "northwest", ("西安", "兰州", "银川", "乌鲁木齐")),
    ("东北销售部", "northeast", ("沈阳", "大连", "长春", "哈尔滨")),
    ("大客户部", "ka", ("北京", "上海", "深圳", "广州")),
)
ALL_CITIES = tuple(dict.fromkeys(city for _n, _c, cities in TEAMS for city in cities))

SURNAMES = _pairs(
    "王 wang 李 li 张 zhang 刘 liu 陈 chen 杨 yang 黄 huang 赵 zhao 吴 wu 周 zhou 徐 xu 孙 sun "
    "马 ma 朱 zhu 胡 hu 郭 guo 何 he 高 gao 林 lin 罗 luo 郑 zheng 梁 liang 谢 xie 宋 song "
    "唐 tang 许 xu 韩 han 冯 feng 邓 deng 曹 cao 彭 peng 曾 zeng 肖 xiao 田 tian 董 dong "
    "潘 pan 袁 yuan 蔡 cai 蒋 jiang 余 yu 杜 du 叶 ye 程 cheng 魏 wei 苏 su 吕 lv 丁 ding "
    "沈 shen 姚 yao 卢 lu"
)
GIVEN_NAMES = _pairs(
    "伟 wei 芳 fang 娜 na 敏 min 静 jing 丽 li 强 qiang 磊 lei 军 jun 洋 yang 勇 yong 艳 yan "
    "杰 jie 娟 juan 涛 tao 明 ming 超 chao 秀英 xiuying 霞 xia 平 ping 刚 gang 建华 jianhua "
    "文 wen 晓东 xiaodong 海燕 haiyan 志强 zhiqiang 俊 jun 鹏 peng 辉 hui 婷 ting 雪 xue "
    "琳 lin 宇 yu 浩 hao 子涵 zihan 欣怡 xinyi 思远 siyuan 嘉怡 jiayi 建国 jianguo 立新 lixin "
    "晨 chen 佳 jia 一鸣 yiming 天宇 tianyu 晓明 xiaoming 丹 dan 峰 feng 斌 bin 亮 liang "
    "颖 ying 倩 qian 慧 hui 玲 ling 凯 kai 博 bo 雨桐 yutong 梓轩 zixuan 国庆 guoqing "
    "红梅 hongmei 春生 chunsheng"
)
TITLES = (
    "总经理",
    "副总经理",
    "IT总监",
    "信息部经理",
    "采购经理",
    "财务总监",
    "运营总监",
    "销售总监",
    "技术负责人",
    "行政主管",
    "董事长助理",
    "首席信息官",
    "项目经理",
    "数字化负责人",
)
BRANDS = _pairs(
    "云帆 yunfan 恒信 hengxin 华拓 huatuo 瑞丰 ruifeng 嘉禾 jiahe 博远 boyuan 鼎盛 dingsheng "
    "启明 qiming 星耀 xingyao 长风 changfeng 汇通 huitong 宏图 hongtu 远航 yuanhang "
    "智联 zhilian 凯德 kaide 天合 tianhe 明达 mingda 金桥 jinqiao 东升 dongsheng "
    "锦程 jincheng 新元 xinyuan 信达 xinda 海纳 haina 同创 tongchuang 睿思 ruisi "
    "优联 youlian 卓越 zhuoyue 九州 jiuzhou 万象 wanxiang 中科 zhongke 蓝海 lanhai "
    "天成 tiancheng 正和 zhenghe 安泰 antai 华晟 huasheng 盛世 shengshi 百川 baichuan "
    "青禾 qinghe 凌云 lingyun 聚力 juli 飞越 feiyue 峰达 fengda 德润 derun 思创 sichuang "
    "朗程 langcheng 银河 yinhe 鑫源 xinyuan 立信 lixin"
)
INDUSTRIES = (
    ("软件与互联网", (("科技", "keji"), ("信息技术", "it"), ("网络科技", "net"), ("软件", "soft"))),
    ("制造业", (("精密机械", "jixie"), ("电子", "dianzi"), ("智能装备", "zhuangbei"))),
    ("医疗健康", (("医疗器械", "yiliao"), ("生物科技", "bio"), ("医药", "yiyao"))),
    ("零售与消费品", (("食品", "shipin"), ("商贸", "shangmao"), ("日化", "rihua"))),
    ("物流运输", (("物流", "wuliu"), ("供应链", "scm"), ("国际货运", "huoyun"))),
    ("教育培训", (("教育科技", "edu"), ("文化传播", "wenhua"))),
    ("金融服务", (("融资租赁", "zulin"), ("投资管理", "touzi"))),
    ("能源化工", (("新能源", "energy"), ("化工", "huagong"), ("环保科技", "huanbao"))),
    ("建筑地产", (("建设工程", "jianshe"), ("置业", "zhiye"), ("装饰工程", "zhuangshi"))),
    ("汽车", (("汽车零部件", "autoparts"), ("汽车服务", "auto"))),
)
COMPANY_SUFFIXES = ("有限公司", "股份有限公司", "集团有限公司")
CUSTOMER_SIZES = ("1-10", "11-50", "11-50", "51-200", "51-200", "201-1000", "1000+")
DISTRICTS = ("高新区", "经济技术开发区", "工业园区", "新城区", "滨江区", "城东区")
ROADS = ("人民路", "中山路", "解放路", "科技路", "创业路", "建设路", "长江路", "世纪大道", "文化路")
PRODUCTS = (
    "CRM系统",
    "数据中台",
    "私有云平台",
    "ERP实施",
    "网络安全运维",
    "视频会议系统",
    "智能客服平台",
    "财务共享平台",
    "供应链协同平台",
    "MES生产管理系统",
    "协同办公平台",
    "BI数据分析平台",
)
REPEATS = ("二期", "扩容", "年度续约", "增购")
SOURCES = ("campaign", "referral", "import", "website", "cold_call", "other")
LEAD_TAGS = ("高意向", "展会", "预算充足", "决策人", "需二次跟进", "价格敏感")
LEAD_NOTES = {
    "campaign": ("参加行业峰会时留下名片，对{product}感兴趣。", "线上研讨会报名，关注{product}。"),
    "referral": ("由老客户介绍，{company}有{product}需求。",),
    "import": ("展会名单导入。", "行业协会名录导入。"),
    "website": ("官网表单留资：希望了解{product}。", "官网在线咨询，要求试用。"),
    "cold_call": ("陌拜名单，前台转接到{name}。",),
    "other": ("朋友圈广告留资。",),
}
DISQUALIFY_REASONS = ("无预算", "联系方式无效", "非目标客户", "重复线索", "已采购竞品", "暂无需求")
LOST_REASONS = ("价格太高", "选择了竞争对手", "预算取消", "需求变化", "无决策人")
LOST_SUMMARIES = {
    "价格太高": "{contact}反馈我方报价比预算高出不少，采购决定暂不推进。",
    "选择了竞争对手": "{contact}告知最终选择了其他供应商，对方有更多同行业案例。",
    "预算取消": "客户今年的信息化预算被整体削减，项目取消。",
    "需求变化": "客户业务调整，原来的需求不再成立，项目终止。",
    "无决策人": "一直没能见到真正的决策人，{contact}也推动不了，项目搁置。",
}
RISKS = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)
PRIORITIES = (TaskPriority.LOW, TaskPriority.NORMAL, TaskPriority.HIGH)
OUTCOMES = (Outcome.POSITIVE, Outcome.NEUTRAL, Outcome.NEGATIVE, Outcome.NO_REPLY)
OUTCOME_WEIGHTS = {
    "open": (40, 35, 10, 15),
    "won": (55, 30, 5, 10),
    "lost": (20, 30, 30, 20),
    "lead": (30, 40, 10, 20),
    "lead_lost": (10, 30, 35, 25),
    "after": (55, 35, 10, 0),
}
CHANNELS = ("call", "visit", "wechat", "email", "meeting")
CHANNEL_WEIGHTS = {
    "lead": (45, 5, 30, 15, 5),
    "discovery": (35, 25, 25, 5, 10),
    "proposal": (10, 20, 15, 25, 30),
    "negotiation": (15, 25, 20, 5, 35),
    "won": (5, 40, 10, 5, 40),
    "after": (30, 45, 25, 0, 0),
}
CHANNEL_PREFIX = {
    "call": "电话沟通：",
    "visit": "上门拜访：",
    "wechat": "微信沟通：",
    "email": "邮件往来：",
    "meeting": "会议：",
}
NO_REPLY = {
    "call": ("电话未接通，已发短信说明来意。", "连续两次电话无人接听，明天上午再打。"),
    "visit": ("上门未见到{contact}，前台说在外出差，留下了资料。",),
    "wechat": ("微信消息未回复。", "发了产品资料，{contact}还没回复。"),
    "email": ("资料邮件已发送，暂无回复。", "跟进邮件石沉大海，改用电话联系。"),
    "meeting": ("约好的线上会议对方没有参加，待重新约时间。",),
}
SUMMARIES = {
    "lead": {
        "positive": (
            "{name}确认今年有{product}采购计划，预算大约{budget}万元，约了下周详细沟通。",
            "{name}对我们的行业案例很感兴趣，希望安排一次产品演示。",
            "与{name}聊了现有系统的痛点：数据分散、跟进全靠Excel，意向明确。",
            "{name}说公司正在做信息化规划，愿意把我们列入候选供应商。",
        ),
        "neutral": (
            "首次沟通，{name}目前还在调研阶段，先发产品资料和报价区间。",
            "{name}表示需要和部门负责人商量，两周后再联系。",
            "介绍了产品功能，{name}比较关注价格，要了同行业案例。",
            "加了{name}的微信，发送了公司介绍和客户案例。",
        ),
        "negative": (
            "{name}表示今年没有相关预算，明年再看。",
            "对方已经在用竞品，短期内不考虑更换。",
            "{name}反馈公司规模较小，暂时用不上这类系统。",
        ),
    },
    "discovery": {
        "positive": (
            "与{contact}做了需求调研，梳理出{n}个核心场景，客户希望{month}月前上线。",
            "{contact}带IT和业务部门一起参加交流，确认了痛点：审批慢、数据口径不统一。",
            "了解了客户现有系统架构，{contact}认可我们的方案方向。",
            "产品演示效果不错，{contact}要求下一步出初步方案。",
        ),
        "neutral": (
            "{contact}提供了部分业务流程资料，财务模块还需要补充调研。",
            "客户内部还在评估要不要自建，需要我们提供投资回报测算。",
            "和{contact}确认了项目时间表，下周约决策层一起沟通。",
        ),
        "negative": (
            "{contact}说预算还没批下来，项目可能延后。",
            "客户对实施周期有顾虑，担心影响正常业务。",
        ),
    },
    "proposal": {
        "positive": (
            "提交了解决方案和报价，总价{amount}万元，{contact}反馈方案贴合需求。",
            "技术交流会很顺利，客户IT认可我们的架构和安全方案。",
            "{contact}确认了方案，已进入内部比价流程。",
        ),
        "neutral": (
            "客户要求调整方案、去掉部分模块，需要重新报价。",
            "{contact}表示还在对比另外两家供应商的方案。",
            "补充了数据迁移和培训计划，客户还在评估。",
        ),
        "negative": (
            "客户认为{amount}万元的报价偏高，要求降价两成以上。",
            "{contact}反馈竞品给出了更低的价格。",
        ),
    },
    "negotiation": {
        "positive": (
            "和{contact}就付款方式达成一致：按3-6-1分期。",
            "合同条款基本谈妥，已提交客户法务审核。",
            "商务谈判顺利，客户同意在{month}月底前签约。",
        ),
        "neutral": (
            "客户法务对违约条款提出修改意见，正在协商。",
            "{contact}希望延长免费维保期，需要内部审批。",
            "采购部门要求再给一轮优惠，等领导决定。",
        ),
        "negative": (
            "客户决策人临时变更，签约时间推迟。",
            "采购要求的折扣超出我方底线，谈判陷入僵局。",
        ),
    },
    "won": {
        "positive": (
            "合同已签署，金额{final}万元，转交项目经理启动交付。",
            "{contact}签回合同并安排了首付款，准备项目启动会。",
        ),
    },
    "after": {
        "positive": (
            "季度回访{contact}，系统运行稳定，用户满意度较高。",
            "回访时{contact}提到明年有扩容计划，可以跟进增购。",
            "{contact}愿意作为标杆客户接受同行参观。",
        ),
        "neutral": (
            "回访{contact}，反馈报表导出偏慢，已提交工单。",
            "上线满三个月，给关键用户做了一次使用培训。",
        ),
        "negative": ("客户反馈实施团队响应慢，需要尽快改进。",),
    },
}
DEAL_TASKS = {
    "discovery": ("整理{short}需求调研纪要", "约{contact}做产品演示", "收集{short}现有系统资料"),
    "proposal": ("编写{short}解决方案", "提交报价单给{contact}", "安排{short}技术交流会"),
    "negotiation": ("跟进{short}合同条款审核", "确认付款方式和回款节点", "申请特殊折扣审批"),
}
LEAD_TASKS = ("回电{name}，确认采购时间", "给{name}发送产品资料", "确认{name}的预算和决策流程")
OWN_TASKS = ("提交本周销售周报", "整理下月客户拜访计划", "更新本月商机预测", "准备销售例会材料")
