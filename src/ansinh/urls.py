"""Top-level routes: the web pages, the JSON API under /api/v1/, and the language switch."""

from django.urls import include, path

from ansinh.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("accounts/", include("ansinh.accounts.urls")),
    path("coverage/", include("ansinh.coverage.urls")),
    path("employers/", include("ansinh.employers.urls")),
    path("tasks/", include("ansinh.tasks.urls")),
    path("plans/", include("ansinh.plans.urls")),
    path("reports/", include("ansinh.reports.urls")),
    path("rules/", include("ansinh.rules.urls")),
    path("", include("ansinh.targets.urls")),
]
