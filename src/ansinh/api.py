"""The JSON API: one NinjaAPI, mounted at /api/ by ansinh.urls, with every router under /api/v1/.

Authentication and error answers live here, in one place, so the routers stay thin: a route parses its
input, calls a service or selector, and returns a schema. Domain errors (`AnSinhError`) become JSON with
their status code; anything unexpected is logged and answered with a plain 500 (no stack trace leaks).
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from ansinh.accounts.api import BearerAuth
from ansinh.accounts.api import router as accounts_router
from ansinh.units.api import router as core_router
from ansinh.core.errors import AnSinhError
from ansinh.coverage.api import router as coverage_router
from ansinh.employers.api import router as employers_router
from ansinh.targets.api import router as targets_router
from ansinh.reports.api import router as reports_router
from ansinh.tasks.api import router as tasks_router
from ansinh.plans.api import router as plans_router
from ansinh.rules.api import router as rules_router

logger = logging.getLogger(__name__)


class _Utf8JSON(JSONRenderer):
    """Vietnamese stays readable in curl and logs ("Không có…", not "Kh\\u00f4ng c\\u00f3…")."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="An Sinh API",
    version="1",
    description="Chỉ tiêu, kết quả thực hiện và mức độ hoàn thành BHXH, BHYT, BHTN theo đơn vị hành chính.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[BearerAuth(), django_auth],
    renderer=_Utf8JSON(),
)


@api.exception_handler(AnSinhError)
def _domain_error(request: HttpRequest, exc: AnSinhError) -> HttpResponse:
    """Every domain error, in the same shape; an import rejection lists each bad row."""
    errors = [{"line": e.line, "field": e.field, "message": e.message} for e in getattr(exc, "errors", [])]
    return api.create_response(request, {"detail": exc.message, "errors": errors}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Chưa đăng nhập: gửi mã truy cập (Authorization: Bearer …) hoặc đăng nhập trên trang web.", "errors": []},
        status=401,
    )


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: log it with its trace for us, tell the caller only that it happened."""
    logger.exception("Unexpected error in %s %s", request.method, request.path)
    return api.create_response(
        request, {"detail": "Lỗi hệ thống không mong muốn; đã ghi nhận để xử lý.", "errors": []}, status=500
    )


api.add_router("/v1/auth", accounts_router)
api.add_router("/v1/units", core_router)
api.add_router("/v1/coverage", coverage_router)
api.add_router("/v1/employers", employers_router)
api.add_router("/v1/tasks", tasks_router)
api.add_router("/v1/plans", plans_router)
api.add_router("/v1/reports", reports_router)
api.add_router("/v1/rules", rules_router)
api.add_router("/v1/", targets_router)
