"""The weekly review as words: figures formatted with their change, and the short text summary
printed by `gendan report weekly` and posted to the chat channels."""

from decimal import Decimal

from django.utils.translation import gettext as _

from gendan.ui.templatetags.gendan import local_name
from gendan.ui.templatetags.gendan import money as money_text


def number(value, kind: str = "count") -> str:
    """One figure: count 3, money ¥1,200.00, rate 25.0%, days 2.5."""
    if value is None:
        return "—"
    if kind == "money":
        return money_text(value)
    if kind == "rate":
        return f"{float(value):.1%}"
    if kind == "days":
        return f"{float(value):.1f}"
    return str(value)


def delta(value, kind: str = "count") -> str:
    """A change with its sign: +3, -¥50.00, +5.0 pts (rates), +1.5 (days); ±0 when nothing
    changed and — when unknown."""
    if value is None:
        return "—"
    if not value:
        return "±0"
    if kind == "money":
        sign = "-" if Decimal(value) < 0 else "+"
        return sign + money_text(abs(Decimal(value)))
    if kind == "rate":
        return _("%(points)s pts") % {"points": f"{float(value) * 100:+.1f}"}
    if kind == "days":
        return f"{float(value):+.1f}"
    return f"{int(value):+d}"


def figure(cmp: dict, kind: str = "count") -> str:
    """ "value (±change)" of a compared figure."""
    return f"{number(cmp['value'], kind)} ({delta(cmp['delta'], kind)})"


def title(review: dict) -> str:
    return _("Weekly review %(from)s – %(to)s") % {
        "from": review["week"]["from"].isoformat(),
        "to": review["week"]["to"].isoformat(),
    }


def bottleneck_lines(review: dict) -> list[str]:
    lines = []
    drop = review["bottleneck"]["largest_drop"]
    if drop:
        lines.append(
            _("Largest drop: %(stage)s, %(rate)s move on to the next stage")
            % {
                "stage": local_name(drop),
                "rate": figure(drop["conversion_to_next"], "rate"),
            }
        )
    stay = review["bottleneck"]["longest_stay"]
    if stay:
        lines.append(
            _("Longest stay: %(stage)s, median %(days)s days")
            % {
                "stage": local_name(stay),
                "days": figure(stay["median_days"], "days"),
            }
        )
    return lines


def summary_text(review: dict, *, link: str = "") -> str:
    """A few lines for the terminal and the chat robots; changes against the week before."""
    totals = review["totals"]
    lines = [
        title(review),
        _("New deals: %(deals)s · Follow-ups: %(follow_ups)s · Won: %(won)s, %(amount)s")
        % {
            "deals": figure(review["funnel"]["deals"]),
            "follow_ups": figure(totals["follow_ups"]),
            "won": figure(totals["deals_won"]),
            "amount": figure(totals["amount"], "money"),
        },
        *bottleneck_lines(review),
        _("Deals at risk: %(count)s · Overdue payments: %(overdue)s")
        % {
            "count": number(review["at_risk"]["count"]["value"]),
            "overdue": figure(review["overdue"]["amount"], "money"),
        },
    ]
    lost = review["lost_reasons"]
    if lost["rows"]:
        reasons = ", ".join(f"{r['reason']} {r['deals']['value']}" for r in lost["rows"][:3])
        lines.append(
            _("Deals lost: %(deals)s; top reasons: %(reasons)s")
            % {
                "deals": figure(lost["deals"]),
                "reasons": reasons,
            }
        )
    best = [r for r in review["reps"] if r["deals_won"]["value"] or r["amount"]["value"]][:3]
    if best:
        lines.append(
            _("Top reps: %(reps)s")
            % {
                "reps": ", ".join(
                    f"{r['name']} {number(r['amount']['value'], 'money')}" for r in best
                )
            }
        )
    if link:
        lines.append(link)
    return "\n".join(lines)
