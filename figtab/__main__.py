"""``python -m figtab`` is the `figtab` command."""

from figtab.flows.cli import main

if __name__ == "__main__":
    main()
