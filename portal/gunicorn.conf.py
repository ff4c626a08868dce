"""Gunicorn, the production application server: `gunicorn -c portal/gunicorn.conf.py portal.wsgi`.

It listens on HOST:PORT behind the reverse proxy (README, « Deployment »). Each worker is a
process of GUNICORN_THREADS threads, each holding at most one database connection (CONN_MAX_AGE
keeps it between requests).
"""

import os

from portal.env import envint, envstr

host = envstr("HOST", default="127.0.0.1")
port = envint("PORT", 8000, minimum=1)
bind = f"{host}:{port}"
# Gunicorn's rule of thumb, capped: the portal is database-bound and each worker holds a
# connection that PostgreSQL's max_connections must cover.
workers = envint("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 8), minimum=1)
# Threads in each worker: a client's keep-alive connection stays open and is served in turn,
# instead of being closed after each answer (sync workers) and left to reconnect behind the
# others, which made the slowest twentieth of requests wait seconds under load.
worker_class = "gthread"
threads = envint("GUNICORN_THREADS", 4, minimum=1)
# A slow import page may take a while; anything longer is stuck and gets restarted.
timeout = 60
graceful_timeout = 30
# Workers are recycled now and then, so that no slow leak accumulates.
max_requests = 20000
max_requests_jitter = 2000
# Access log on standard output, collected with the rest by systemd's journal.
accesslog = "-"
errorlog = "-"
# No runtime control socket: one fixed path per user would be shared by every instance on the
# machine, and the portal is managed by systemd (restart, reload with SIGHUP).
control_socket_disable = True
