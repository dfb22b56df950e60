"""`python -m kelurahan.cli`: the same as the `kelurahan` console script."""

import sys

from kelurahan.cli import main

sys.exit(main())
