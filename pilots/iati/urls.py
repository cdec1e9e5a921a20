"""The IATI files under /api/v1/iati/ (included by the API's URLs)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("activities.xml", views.ActivitiesView.as_view(), name="iati-activities"),
    path("<slug:slug>.xml", views.ActivityView.as_view(), name="iati-activity"),
    re_path(r"^[\s\S]*$", views.NoSuchFile.as_view()),  # any other address here: the files' own 404, in XML
]
