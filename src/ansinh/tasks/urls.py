"""Web pages of the tasks app: the to-do list, every occurrence, a plan's tasks and timeliness."""

from django.urls import path

from ansinh.tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("all/", views.all_duties, name="duties"),
    path("plans/<int:plan_id>/", views.plan_tasks, name="plan"),
    path("occurrences/<int:occurrence_id>/submit/", views.submit, name="submit"),
    path("occurrences/<int:occurrence_id>/file/", views.attachment, name="attachment"),
]
