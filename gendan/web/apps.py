from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gendan.web"
    label = "web"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from gendan.core.kept import changed
        from gendan.web.lists import PEOPLE

        def people_changed(**_kwargs) -> None:
            changed(PEOPLE)

        # The people pickers list users by name, team and whether they are active.
        post_save.connect(
            people_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="people-save", weak=False
        )
        post_delete.connect(
            people_changed,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="people-delete",
            weak=False,
        )
