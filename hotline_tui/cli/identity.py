"""Who runs the command: the OS account, and whether it may act as another hotline user."""

from __future__ import annotations

import getpass
import grp
import os


def os_user() -> str:
    return getpass.getuser()


def may_act_as_others(admin_group: str) -> bool:
    """Root, or a member of the configured admin group, may use ``--as``."""
    if os.geteuid() == 0:
        return True
    try:
        group = grp.getgrnam(admin_group)
    except KeyError:
        return False
    return group.gr_gid in os.getgroups() or os_user() in group.gr_mem
