"""``python -m figtab`` is the `figtab` command."""

from figtab.flows.cli import main

main()
