"""The `gendan` command: every Django management command plus Gendan's own.

`gendan run`, `gendan demo`, `gendan token` are management commands of the Gendan apps, so
they appear in `gendan help` next to `migrate`, `createsuperuser` and the rest.
"""

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "gendan"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
