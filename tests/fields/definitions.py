"""The two fields the custom-field tests define: a deal choice and a lead number."""

SEGMENT = {
    "record_type": "deal",
    "key": "segment",
    "label_zh": "行业细分",
    "label_en": "Industry segment",
    "type": "choice",
    "choices": [
        {"value": "manufacturing", "label_zh": "制造业", "label_en": "Manufacturing"},
        {"value": "retail", "label_zh": "零售", "label_en": "Retail", "color": "#27ae60"},
    ],
}
PLANT = {
    "record_type": "lead",
    "key": "plant_size",
    "label_zh": "工厂面积",
    "label_en": "Plant size",
    "type": "number",
}
