"""The scheduler front end: APScheduler 3 drives the ticks of
:mod:`hotline_tui.services.scheduling.jobs`.

``hotline scheduler run`` runs :func:`loop.run_forever`; a console that runs the scheduler
in-process uses :func:`embedded.start_if_free` (over :func:`loop.start_background`). What a tick
does, and what is due, is decided by the services from the database alone, so this package holds
only the clockwork.
"""
