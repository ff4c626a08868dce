"""URLs of the benchmarks' server: the portal's, plus the API baselines (bench_api_baselines)."""

import bench_api_baselines
from django.urls import include, path

urlpatterns = [
    path("bench/", include(bench_api_baselines.urlpatterns)),
    path("", include("portal.urls")),
]
