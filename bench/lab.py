"""JupyterLab for the benchmarks: ``python -m jupyterlab``, plus one signal.

On SIGUSR2 the server runs a full garbage collection and then freezes what it holds
(``gc.freeze``), so later collections look only at what is allocated after it. The start-up
benchmark sends it to both servers before each round. Without it, the Studio stack's server
(its AWS clients' service models, jupyter-collaboration) pauses 400 to 600 ms in a full
collection about once every page load or two, blocking every request in flight: whichever load
it lands in is slower by that much, with or without this extension. Frozen, a load's own
collections look at that load's objects only. Long-running Python services freeze their
start-up heap the same way.
"""

from __future__ import annotations

import gc
import signal
import sys


def _freeze(signum, frame) -> None:
    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    signal.signal(signal.SIGUSR2, _freeze)
    from jupyterlab.labapp import main

    sys.exit(main())
