"""Settings of the benchmarks' gunicorn (never of a deployment): the portal's, plus the API
baselines' addresses (bench_urls.py) and, on request, the page cache switched off."""

import os

from portal.settings import *  # noqa: F403
from portal.settings import REST_FRAMEWORK

ROOT_URLCONF = "bench_urls"
PUBLIC_PAGE_CACHE = os.environ.get("BENCH_PUBLIC_PAGE_CACHE", "true") != "false"
# Anonymous clients are throttled to a few requests per minute: a load test would measure 429s.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
