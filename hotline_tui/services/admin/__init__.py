"""Administration: installing and copying a database, users and log-in, the audit trail and
the status report."""
