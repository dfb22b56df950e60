"""`python -m kelurahan.cli`: the same as the `kelurahan` console script."""

from kelurahan.cli import run

run()
