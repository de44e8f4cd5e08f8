#!/usr/bin/env python
"""Same as the `alliances` console script, for people used to manage.py."""

import sys

from config.cli import main

if __name__ == "__main__":
    sys.exit(main())
