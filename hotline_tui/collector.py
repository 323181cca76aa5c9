"""The cyclic garbage collector while a command loads.

A command imports some six hundred modules, whose objects live as long as the process; the
cyclic garbage collector would scan them over and over while they load, and once more at exit,
a fifth of a plain command's time. So it is paused while the command loads
(:func:`pause_collector`) and, once the command's modules are in, they are frozen out of its
sight and it runs again (:func:`resume_collector`, called by the CLI before the command runs).
"""

from __future__ import annotations

import gc

__all__ = ["pause_collector", "resume_collector"]

_paused = False


def pause_collector() -> None:
    """Stop the cyclic garbage collector while a command's modules are imported."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Start the collector again (if :func:`pause_collector` stopped it), leaving every object
    made so far out of its scans: they are the loaded modules, kept to the end anyway."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
