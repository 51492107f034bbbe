"""A real IPython shell for the tests that run cells as a kernel would."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def ipython_shell() -> Iterator:
    """A fresh ``InteractiveShell``; afterwards the instance is cleared and the real
    ``__main__`` put back (the shell installs its own, and a scheduler job's spawned
    process in a later test needs the real one)."""
    from IPython.core.interactiveshell import InteractiveShell

    main = sys.modules["__main__"]
    shell = InteractiveShell.instance()
    try:
        yield shell
    finally:
        InteractiveShell.clear_instance()
        sys.modules["__main__"] = main
