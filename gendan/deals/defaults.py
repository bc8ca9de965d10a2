"""The default pipeline template (DESIGN.md §1): Discovery → Proposal & quote → Negotiation &
signing, ending in Won or Lost."""

DEFAULT_PIPELINE = {"name": "Standard sales process", "name_zh": "标准销售流程"}

DEFAULT_STAGES = [
    {
        "name": "Discovery",
        "name_zh": "需求挖掘",
        "order": 10,
        "probability": 20,
        "kind": "open",
        "responsible_role": "ae",
        "goal": "The customer's real need · 客户的真实需求",
        "key_actions": [
            "Needs survey · 需求调研",
            "Pain points · 痛点分析",
            "Usage scenario · 使用场景",
        ],
        "required_fields": [],
        "max_days": 30,
    },
    {
        "name": "Proposal & quote",
        "name_zh": "方案/报价",
        "order": 20,
        "probability": 50,
        "kind": "open",
        "responsible_role": "sm",
        "goal": "A professional solution · 专业的解决方案",
        "key_actions": [
            "Proposal · 方案",
            "Quote · 报价",
            "Value statement · 价值陈述",
        ],
        "required_fields": ["amount", "expected_close_date"],
        "max_days": 21,
    },
    {
        "name": "Negotiation & signing",
        "name_zh": "谈判与签约",
        "order": 30,
        "probability": 80,
        "kind": "open",
        "responsible_role": "sm",
        "goal": "Agreement · 达成一致",
        "key_actions": [
            "Concessions · 让步策略",
            "Risk notes · 风险记录",
            "Contract · 合同",
        ],
        "required_fields": ["amount", "expected_close_date", "contact_id"],
        "max_days": 30,
    },
    {
        "name": "Won",
        "name_zh": "赢单",
        "order": 90,
        "probability": 100,
        "kind": "won",
        "responsible_role": "sm",
        "goal": "",
        "key_actions": [],
        "required_fields": ["amount"],
        "max_days": None,
    },
    {
        "name": "Lost",
        "name_zh": "输单",
        "order": 100,
        "probability": 0,
        "kind": "lost",
        "responsible_role": "sm",
        "goal": "",
        "key_actions": [],
        "required_fields": [],
        "max_days": None,
    },
]
