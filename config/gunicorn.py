"""Gunicorn's settings for production: `gunicorn -c config/gunicorn.py config.wsgi` (bin/serve).

Read from the environment like config/settings.py (README, "Production"). Gunicorn listens on
loopback for a TLS proxy in front (nginx, Caddy); static files are served by WhiteNoise inside
Django, so the proxy only forwards.
"""

from config.env import env_int, env_str

_host = env_str("HOST", "127.0.0.1")
_port = env_int("PORT", 8000)
# An IPv6 address is written in brackets: [::1]:8000.
bind = [f"[{_host}]:{_port}" if ":" in _host else f"{_host}:{_port}"]

# Sync workers; each renders one page or PDF at a time (a contract PDF takes about 0.2 s).
workers = env_int("WEB_CONCURRENCY", 2)
# A worker silent this long is killed and replaced; the slowest request is a PDF, well under it.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = timeout

# Access log to stdout and errors to stderr, for the process manager (systemd, a container) to keep.
accesslog = "-"
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")

# Which addresses may tell Gunicorn the request came over HTTPS (X-Forwarded-Proto): only the
# ones listed here, e.g. "127.0.0.1" for a proxy on the same machine. Empty (the default):
# nobody, whatever Gunicorn's own default would be. Django's DJANGO_BEHIND_TLS_PROXY is the
# other way to trust the proxy's header; setting either one is enough.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "")

# No `gunicornc` control socket: its default path ($HOME/.gunicorn/gunicorn.ctl) is shared by
# every Gunicorn on the machine.
control_socket_disable = True
