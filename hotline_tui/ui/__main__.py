"""``python -m hotline_tui.ui``: the console (as ``hotline console``)."""

import sys

from hotline_tui.ui.entry import main

sys.exit(main())
