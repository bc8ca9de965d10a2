from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gendan.web"
    label = "web"

    def ready(self) -> None:
        from django.conf import settings

        from gendan.core.kept import forget_on_change
        from gendan.web.lists import PEOPLE

        # The people pickers list users by name, team and whether they are active.
        forget_on_change(PEOPLE, settings.AUTH_USER_MODEL)
