"""gunicorn's settings for `make run` (Procfile) and production (docker-compose), read from the
environment: ``gunicorn jinyuan.wsgi -c jinyuan/gunicorn_conf.py --bind HOST:PORT``.

Threaded workers (gthread) with a fixed pool: every thread keeps one persistent PostgreSQL
connection (CONN_MAX_AGE) and the threads are reused, so the server holds at most
workers × threads connections however many requests it serves. Not named gunicorn.conf.py on
purpose: gunicorn would load that from the working directory for every gunicorn started there
(the benchmarks start their own).
"""

import os

# WEB_CONCURRENCY is the name gunicorn and most platforms use for the number of processes.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
accesslog = "-"
# Finish in-flight requests on stop, within what the supervisors allow before SIGKILL: honcho
# 5 s after Ctrl-C, docker 10 s. Requests are short; PDFs render in the worker.
graceful_timeout = 4
# gunicornc's control socket is one path per user (~/.gunicorn/gunicorn.ctl): a second gunicorn
# (tests, benchmarks, another checkout) would take it over. Nothing here uses it.
control_socket_disable = True
