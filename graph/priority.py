"""The build's helper threads run at the lowest CPU priority: the build's own thread comes first.

On two cores the build's thread, the store's loader and the validation's query workers all want a
CPU. The build's thread is the one every later step waits for, so it keeps the normal priority and
every helper shares, at an equal low priority, what it leaves: with the loader at the normal
priority, the build's thread waited for a CPU nearly a third of the time (measured on the 30x
tables), and with the validation's workers at the normal priority, the loader fell 25 s behind at
100x and the build ended later than before they were added.
"""

from __future__ import annotations

import os
import threading


def lowest_priority() -> None:
    """Run the calling thread, and the threads it starts from now on, at the lowest priority (Linux
    sets it per thread and new threads inherit it); a thread pool's ``initializer``."""
    if hasattr(os, "setpriority"):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
