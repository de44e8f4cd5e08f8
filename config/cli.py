"""The `alliances` console script: the platform's management entry point.

`alliances estimate|ties|rake ...` run the survey statistics engine on files and need no
database, so they are dispatched before Django is set up. Everything else is a Django
management command (`alliances migrate`, `alliances runserver`, `alliances worker`...).
"""

from __future__ import annotations

import os
import sys

STATISTICS_COMMANDS = frozenset({"estimate", "ties", "rake"})


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in STATISTICS_COMMANDS:
        from alliances.observatory.estimation.cli import main as statistics_main

        return statistics_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
