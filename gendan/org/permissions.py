"""What each role may do, in one table: an action → the role codes allowed to take it.

A service checks `can(actor, action)` before it acts; a page asks the same to decide what it
shows (`can` in every template's context). A superuser counts as an administrator (`role_code`).
Record-level visibility is not here: it is the scope (`org/scoping.py`).
"""

from gendan.org.choices import RoleCode

ADMIN, SM, OPS, AE, SDR = RoleCode.ADMIN, RoleCode.SM, RoleCode.OPS, RoleCode.AE, RoleCode.SDR

PERMISSIONS: dict[str, frozenset[str]] = {
    # Reopen a won or lost deal.
    "reopen_deal": frozenset({SM, ADMIN}),
    # Create, change, enable and delete automation rules.
    "manage_rules": frozenset({ADMIN, SM}),
    # Read rules and their runs; see the settings pages.
    "read_rules": frozenset({ADMIN, SM, OPS}),
    "open_settings": frozenset({ADMIN, SM, OPS}),
    # Set sales targets.
    "set_targets": frozenset({SM, ADMIN}),
    # Manage the thresholds and recipients of alerts.
    "manage_alerts": frozenset({SM, ADMIN}),
    # Work the public pool (公海) of one's own team.
    "work_pool": frozenset({SDR, AE}),
    # Add, change, archive and delete custom fields.
    "manage_fields": frozenset({ADMIN}),
    # Change pipelines and their stages' rules (required fields, key actions).
    "manage_pipelines": frozenset({ADMIN}),
    # Publish, change and archive public lead forms.
    "manage_lead_forms": frozenset({ADMIN}),
    # Maintain the product catalogue.
    "manage_products": frozenset({ADMIN, OPS}),
    # See the duplicates page (查重) of the records in one's scope; set the duplicate rules.
    "read_duplicates": frozenset({ADMIN, SM, OPS}),
    "manage_duplicates": frozenset({ADMIN}),
    # Confirm, correct and void any payment (others only the ones they recorded).
    "administer_payments": frozenset({ADMIN, OPS, SM}),
    # Read the audit log (sign-ins, exports, role and user changes).
    "read_audit_log": frozenset({ADMIN}),
}

# The roles whose members see the pool of their own team.
POOL_ROLES = PERMISSIONS["work_pool"]

# Actions whose roles an administrator chooses: the action → the role's field that says so
# (set per role on the roles' settings, `PATCH /api/v1/roles/{id}`). A superuser may always.
ROLE_SETTINGS: dict[str, str] = {
    # Export a list (CSV / XLSX) of the records one sees.
    "export": "may_export",
}


def can(user, action: str) -> bool:
    """Whether `user` may take `action` (a key of PERMISSIONS or ROLE_SETTINGS)."""
    if user is None:
        return False
    setting = ROLE_SETTINGS.get(action)
    if setting is not None:
        if getattr(user, "is_superuser", False):
            return True
        role = user.role if getattr(user, "role_id", None) else None
        return bool(role is not None and getattr(role, setting))
    return getattr(user, "role_code", None) in PERMISSIONS[action]


def allowed_actions(user) -> dict[str, bool]:
    """Each action with whether `user` may take it, for templates: `{% if can.open_settings %}`."""
    return {action: can(user, action) for action in (*PERMISSIONS, *ROLE_SETTINGS)}
