"""``python -m siting``: the ``siting`` command line (:mod:`siting.cli`)."""

import sys

from siting.cli import main

sys.exit(main())
