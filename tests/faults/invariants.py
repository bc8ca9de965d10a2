"""What the services write in one transaction, checked with SQL over the whole database: a
record never exists without the rows written with it (its timeline event, its stage history,
its sums, its deliveries). Each query lists the ids that break one rule."""

RULES = {
    # lead_create: the lead and its "created" event
    "lead without its created event": """
        SELECT l.id FROM leads_lead l WHERE NOT EXISTS (
            SELECT 1 FROM activities_timelineevent e WHERE e.lead_id = l.id AND e.kind = 'created')
    """,
    # deal_create: the deal, its first stage change and its "created" event
    "deal without its first stage change": """
        SELECT d.id FROM deals_deal d WHERE NOT EXISTS (
            SELECT 1 FROM deals_stagechange c WHERE c.deal_id = d.id AND c.from_stage_id IS NULL)
    """,
    "deal without its created event": """
        SELECT d.id FROM deals_deal d WHERE NOT EXISTS (
            SELECT 1 FROM activities_timelineevent e WHERE e.deal_id = d.id AND e.kind = 'created')
    """,
    # deal_move: the stage, the stage change and the stage_changed event together
    "deal not in the stage its history ends in": """
        SELECT d.id FROM deals_deal d WHERE d.stage_id <> (
            SELECT c.to_stage_id FROM deals_stagechange c WHERE c.deal_id = d.id
            ORDER BY c.changed_at DESC, c.id DESC LIMIT 1)
    """,
    "deal whose moves and stage_changed events differ": """
        SELECT d.id FROM deals_deal d WHERE
            (SELECT COUNT(*) FROM deals_stagechange c
             WHERE c.deal_id = d.id AND c.from_stage_id IS NOT NULL)
            <> (SELECT COUNT(*) FROM activities_timelineevent e
                WHERE e.deal_id = d.id AND e.kind = 'stage_changed')
    """,
    # activity_log: the follow-up and its timeline event
    "follow-up without its timeline event": """
        SELECT a.id FROM activities_activity a WHERE NOT EXISTS (
            SELECT 1 FROM activities_timelineevent e WHERE e.activity_id = a.id)
    """,
    # payment_record: the payment, the contract's received amount and the contract's event
    "contract whose received amount is not its payments'": """
        SELECT c.id FROM sales_contract c WHERE ABS(c.received_amount - COALESCE(
            (SELECT SUM(p.amount) FROM sales_payment p WHERE p.contract_id = c.id), 0)) > 0.001
    """,
    "contract whose payments and payment events differ": """
        SELECT c.id FROM sales_contract c WHERE
            (SELECT COUNT(*) FROM sales_payment p WHERE p.contract_id = c.id)
            <> (SELECT COUNT(*) FROM activities_timelineevent e
                WHERE e.contract_id = c.id AND e.kind = 'payment_recorded')
    """,
    # notify: the notification and its outbox rows, one per channel (e-mail, chat)
    "notification without its deliveries": """
        SELECT n.id FROM activities_notification n WHERE
            (SELECT COUNT(*) FROM activities_notificationdelivery d
             WHERE d.notification_id = n.id) <> 2
    """,
}


def violations(gendan) -> dict[str, list]:
    """{rule: [ids]} for every rule some row breaks; {} when the database is whole."""
    found = {}
    for name, query in RULES.items():
        rows = gendan.sql(query)
        if rows:
            found[name] = [row[0] for row in rows][:20]
    return found
