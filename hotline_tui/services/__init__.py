"""Services: one function per user action (permission check, one transaction, audit record).

The console, the ``hotline`` command and the scheduler all call these; none has its own rules.
"""
