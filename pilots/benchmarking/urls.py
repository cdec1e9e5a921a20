"""Benchmarking addresses: the member's pages, staff's, and the public bulletin."""

from django.urls import path, re_path

from . import views, views_bulletin, views_staff

app_name = "benchmarking"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/<int:year>-<int:half>/", views.report_form, name="report"),
    path("reports/<int:pk>/", views_staff.report_detail, name="report_detail"),
    path("staff/", views_staff.overview, name="staff"),
    path("staff/institutions/<int:pk>/", views_staff.institution, name="institution"),
    path("bulletin/", views_bulletin.bulletin, name="bulletin"),
    re_path(
        r"^bulletin/(?P<year>[0-9]{4})-(?P<half>[12])\.(?P<fmt>csv|xlsx)$",
        views_bulletin.bulletin_download,
        name="bulletin_download",
    ),
]
