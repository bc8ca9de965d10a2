"""Risk (风险) as every layer names it: the levels, the reasons' codes and their texts, and how
reasons grade into a level. What computes them is automation's (automation/risk.py)."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Schema


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# code -> (weight, text). The text is translated when it is read (`reason_text`).
SIGNALS = {
    "no_reply_twice": (2, gettext_lazy("Two follow-ups in a row without a reply")),
    "objections": (1, gettext_lazy("%(count)s follow-ups with an objection")),
    "requirement_changed": (1, gettext_lazy("Requirements changed %(count)s times")),
    "stalled": (1, gettext_lazy("%(days)s days in the stage, past its limit of %(max_days)s")),
    "no_follow_up": (1, gettext_lazy("No follow-up for %(days)s days (stage limit %(max_days)s)")),
    # customers
    "deal_at_risk": (0, gettext_lazy("Deal %(name)s is at %(level)s risk")),
    "no_activity": (1, gettext_lazy("No activity with the customer for %(days)s days")),
}
LEVELS = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)


def reason(code: str, **params) -> dict:
    """A stored reason: its code, its figures and the English text (translated on reading)."""
    with translation.override("en"):
        return {"code": code, **params, "text": reason_text({"code": code, **params})}


def reason_text(item: dict) -> str:
    """The reason's text in the active language (stored reasons keep their parameters)."""
    signal = SIGNALS.get(item.get("code"))
    if signal is None:
        return str(item.get("text", item.get("code", "")))
    params = {k: v for k, v in item.items() if k not in ("code", "text")}
    if "level" in params:
        params["level"] = str(RiskLevel(params["level"]).label)
    try:
        return str(signal[1]) % params
    except (KeyError, TypeError, ValueError):
        return str(signal[1])


def reasons_out(reasons) -> list[dict]:
    """Reasons as the API shows them: text in the reader's language."""
    return [{**item, "text": reason_text(item)} for item in reasons or [] if isinstance(item, dict)]


def grade(reasons: list[dict]) -> str:
    weight = sum(SIGNALS.get(r["code"], (1,))[0] for r in reasons)
    return LEVELS[min(weight, 2)]


class RiskReasonOut(Schema):
    """A risk signal: a stable `code`, its text in the reader's language, and its figures."""

    model_config = {"extra": "allow"}

    code: str
    text: str
