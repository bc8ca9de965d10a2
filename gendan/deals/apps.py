from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "gendan.deals"
    label = "deals"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from gendan.deals.models import Deal, DealCollaborator
        from gendan.deals.totals import deals_changed

        # Whatever changes what a board adds up: a deal, who works on it, who is in which team.
        for model in (Deal, DealCollaborator, settings.AUTH_USER_MODEL):
            post_save.connect(deals_changed, sender=model, dispatch_uid=f"deal-totals-save-{model}")
            post_delete.connect(
                deals_changed, sender=model, dispatch_uid=f"deal-totals-delete-{model}"
            )
