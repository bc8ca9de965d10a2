from django.core.management.base import BaseCommand, CommandError

from gendan.org import services
from gendan.org.models import User


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (send it as `Authorization: Bearer <token>`)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="A label to recognise the token by.")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is deactivated.")
        _token, key = services.token_create(user=user, name=name)
        self.stdout.write(key)
