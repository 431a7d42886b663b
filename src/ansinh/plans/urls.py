"""Web pages of plan reading: upload, review, save."""

from django.urls import path

from ansinh.plans import views

app_name = "plans"

urlpatterns = [
    path("read/", views.read, name="read"),
    path("drafts/<int:draft_id>/", views.draft, name="draft"),
]
