from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    SDR = "sdr", _("SDR")
    AE = "ae", _("Sales consultant")
    SE = "se", _("Sales engineer")
    SM = "sm", _("Sales manager")
    AM = "am", _("Account manager")
    PM = "pm", _("Project manager")
    OPS = "ops", _("Sales operations")
    ADMIN = "admin", _("Administrator")


class Scope(models.TextChoices):
    OWN = "own", _("Own records")
    TEAM = "team", _("Team and sub-teams")
    ALL = "all", _("All records")


DEFAULT_SCOPES = {
    RoleCode.SDR: Scope.OWN,
    RoleCode.AE: Scope.OWN,
    RoleCode.SE: Scope.OWN,
    RoleCode.AM: Scope.OWN,
    RoleCode.PM: Scope.OWN,
    RoleCode.SM: Scope.TEAM,
    RoleCode.OPS: Scope.TEAM,
    RoleCode.ADMIN: Scope.ALL,
}

# Chinese names from the glossary, used for the seeded roles.
ROLE_NAMES_ZH = {
    RoleCode.SDR: "销售开发",
    RoleCode.AE: "销售顾问",
    RoleCode.SE: "销售支持",
    RoleCode.SM: "销售经理",
    RoleCode.AM: "客户经理",
    RoleCode.PM: "项目经理",
    RoleCode.OPS: "销售助理/运营",
    RoleCode.ADMIN: "管理员",
}


class DuplicateRecord(models.TextChoices):
    """The records the duplicate check (查重) compares."""

    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("Customer")
    CONTACT = "contact", _("Contact")


class DuplicateField(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    COMPANY = "company", _("Company name")


class DuplicateAction(models.TextChoices):
    OFF = "off", _("Off")
    WARN = "warn", _("Warn")
    BLOCK = "block", _("Block")


# The fields each record is compared on: a customer by its name, a contact by how to reach it.
DUPLICATE_FIELDS = {
    DuplicateRecord.LEAD: (DuplicateField.PHONE, DuplicateField.EMAIL, DuplicateField.COMPANY),
    DuplicateRecord.CUSTOMER: (DuplicateField.COMPANY,),
    DuplicateRecord.CONTACT: (DuplicateField.PHONE, DuplicateField.EMAIL),
}


class AuditKind(models.TextChoices):
    """What the administrators' audit log records (org/audit.py)."""

    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKOUT = "lockout", _("Locked out")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    EXPORT = "export", _("Export")
    EXPORT_REFUSED = "export_refused", _("Export refused")
    ROLE_CHANGED = "role_changed", _("Role changed")
    USER_CREATED = "user_created", _("User created")
    USER_CHANGED = "user_changed", _("User's role or team changed")
    USER_DEACTIVATED = "user_deactivated", _("User deactivated")
    USER_REACTIVATED = "user_reactivated", _("User reactivated")


class AuditVia(models.TextChoices):
    WEB = "web", _("Web app")
    API = "api", _("API")
    ADMIN = "admin", _("Admin site")
    COMMAND = "command", _("Command")


# Roles that may export lists when the organisation is set up (Role.may_export; see
# docs/audit.md): the administrators, the sales managers and sales operations.
EXPORTING_ROLES = frozenset({RoleCode.ADMIN, RoleCode.SM, RoleCode.OPS})
