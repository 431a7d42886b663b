"""Web pages of the periodic reports: the page with its history, making a report, downloading its files."""

from django.urls import path

from ansinh.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("make/", views.report_make, name="make"),
    path("<int:report_id>/report.docx", views.report_download, {"which": "docx"}, name="docx"),
    path("<int:report_id>/annex.xlsx", views.report_download, {"which": "xlsx"}, name="xlsx"),
]
