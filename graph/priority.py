"""The build's helper threads run at the lowest CPU priority: the build's own thread comes first.

On two cores the build's thread, the store's loader and the validation's query workers all want a
CPU. The build's thread is the one every later step waits for, so it keeps the normal priority and
the store's loader takes what it leaves, at the lowest priority: with the loader at the normal
priority, the build's thread waited for a CPU nearly a third of the time (measured on the 30x
tables). Work that only speeds up a step when a CPU would otherwise be idle (the validation's
second query worker) takes only idle CPU: at the normal priority, or even at the loader's, it
took the loader's CPU at 100x, where the load is what the end of the build waits for.
"""

from __future__ import annotations

import os
import threading


def lowest_priority() -> None:
    """Run the calling thread, and the threads it starts from now on, at the lowest priority (Linux
    sets it per thread and new threads inherit it); a thread pool's ``initializer``."""
    if hasattr(os, "setpriority"):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def idle_only() -> None:
    """Run the calling thread only on a CPU nothing else wants (Linux's SCHED_IDLE); else as
    ``lowest_priority``."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(threading.get_native_id(), os.SCHED_IDLE, os.sched_param(0))
    else:
        lowest_priority()
