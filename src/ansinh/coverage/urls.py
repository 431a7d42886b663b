"""Web pages of the coverage app: a commune's lists for action and their Excel download."""

from django.urls import path

from ansinh.coverage import views

app_name = "coverage"

urlpatterns = [
    path("<str:code>/", views.lists, name="lists"),
    path("<str:code>/table/", views.lists_table, name="table"),
    path("<str:code>/export.xlsx", views.lists_export, name="export"),
]
