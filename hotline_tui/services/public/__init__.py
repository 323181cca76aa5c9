"""The public channels' services (``hotline serve``): a citizen's request and its progress, the
Open311 view of orders, and the partner systems' keys. Each acts as a channel account
(:mod:`hotline_tui.services.public.accounts`) through the same services and checks as a person.
"""
