from django.db import models
from django.utils.translation import gettext_lazy as _


class StageKind(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class DealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class CollaboratorRole(models.TextChoices):
    SE = "se", _("Sales engineer")
    SM = "sm", _("Sales manager")
    AE = "ae", _("Sales consultant")
    AM = "am", _("Account manager")
    PM = "pm", _("Project manager")
    OTHER = "other", _("Other")


# Deal fields a stage may require before a deal enters it.
REQUIRED_FIELD_CHOICES = (
    "amount",
    "expected_close_date",
    "contact_id",
    "customer_id",
    "next_follow_up_at",
    "collaborators",
)

# How the settings page and the move dialog name them.
REQUIRED_FIELD_LABELS = {
    "amount": _("Amount"),
    "expected_close_date": _("Expected close date"),
    "contact_id": _("Contact"),
    "customer_id": _("Customer"),
    "next_follow_up_at": _("Next follow-up"),
    "collaborators": _("Collaborators"),
}
