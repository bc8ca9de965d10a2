from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "gendan.org"
    label = "org"

    def ready(self) -> None:
        from django.conf import settings

        from gendan.core.kept import forget_on_change
        from gendan.org.people import PEOPLE

        # The people pickers list users by name, team and whether they are active.
        forget_on_change(PEOPLE, settings.AUTH_USER_MODEL)
