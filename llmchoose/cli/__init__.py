"""The `llmchoose` command line: thin commands over the core library.

Each command parses its options, calls one core function and renders the result. The
application itself lives in :mod:`llmchoose.cli.app`; this entry point answers
``--version`` before importing it, so that answer never waits for typer or rich.
"""

from __future__ import annotations

import gc
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``llmchoose`` command."""
    args = sys.argv[1:] if argv is None else argv
    if list(args) == ["--version"]:
        from llmchoose import __version__

        print(f"llmchoose {__version__}")
        sys.exit(0)
    # A command runs for well under a second and its memory goes with the process, while
    # the cycle collector would scan the knowledge base's many objects again and again:
    # about a tenth of a ranking run, for next to no memory (measured: the same peak).
    collecting = gc.isenabled()
    gc.disable()
    try:
        from llmchoose.cli.app import main as run_app

        run_app(argv)
    finally:
        if collecting:  # a caller in the same process gets its collector back
            gc.enable()
