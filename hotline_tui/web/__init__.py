"""The web front end (``hotline serve``): the citizens' self-service page and the Open311
GeoReport v2 API, an ASGI application (Starlette, run by uvicorn) on the same services as the
console, the CLI and the scheduler. It acts as the public channels' accounts
(:mod:`hotline_tui.services.public.accounts`) and imports no other front end.
"""
