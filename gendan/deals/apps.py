from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "gendan.deals"
    label = "deals"

    def ready(self) -> None:
        from django.conf import settings

        from gendan.core.kept import forget_on_change
        from gendan.deals.models import Deal, DealCollaborator
        from gendan.deals.totals import KIND

        # Whatever changes what a board adds up: a deal, who works on it, who is in which team.
        forget_on_change(KIND, Deal, DealCollaborator, settings.AUTH_USER_MODEL)
