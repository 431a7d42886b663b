"""Web pages of targets and attainment: dashboard, plans and allocation, import of actuals."""

from django.urls import path

from ansinh.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/<str:code>/", views.unit_dashboard, name="unit"),
    path("units/<str:code>/children/", views.unit_children, name="unit_children"),
    path("units/<str:code>/export.xlsx", views.unit_export, name="unit_export"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/allocate/", views.plan_allocate, name="plan_allocate"),
    path("plans/<int:plan_id>/targets/<int:target_id>/override/", views.target_override, name="target_override"),
    path("plans/<int:plan_id>/targets/<int:target_id>/lock/", views.target_lock, name="target_lock"),
    path("import/", views.actuals_import, name="import"),
]
