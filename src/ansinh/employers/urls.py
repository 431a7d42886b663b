"""Web pages of the employers app: arrears dashboards, the communes' worklists, one unit's page."""

from django.urls import path

from ansinh.employers import views

app_name = "employers"

urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.check, name="check"),
    path("letters.docx", views.letters, name="letters"),
    path("offenders.xlsx", views.offenders, name="offenders"),
    path("inspection.xlsx", views.inspection, name="inspection"),
    path("units/<str:unit_code>/", views.unit, name="employer"),
    path("items/<int:item_id>/status/", views.item_status, name="item_status"),
    path("items/<int:item_id>/match/", views.item_match, name="item_match"),
    path("<str:code>/", views.overview, name="overview"),
    path("<str:code>/worklist/", views.worklist, name="worklist"),
    path("<str:code>/worklist/table/", views.worklist_table, name="worklist_table"),
]
