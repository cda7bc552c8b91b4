"""`python -m ui.cli`: the `footnote` command from a source tree."""

from ui.cli import main

main()
