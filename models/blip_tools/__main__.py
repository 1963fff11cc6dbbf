"""`python -m blip_tools <subcommand>` (what `npm run models -- <subcommand>` runs)."""

import sys

from .cli import main

sys.exit(main())
