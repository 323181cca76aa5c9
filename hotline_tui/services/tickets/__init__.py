"""Work-order services: intake, dispatch, handling, review, return visits, supervision, queries.

Each public function is one user action: permission check, one transaction (``uow.write``) that
writes the change, the audit events and the counters, and a version check. The ``*_op`` functions
do the work inside a transaction and are shared with the demo generator, which runs many of them
per transaction with an injected clock.
"""
