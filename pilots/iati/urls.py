"""The IATI files under /api/v1/iati/ (included by the API's URLs)."""

from django.urls import path

from . import views

urlpatterns = [
    path("activities.xml", views.ActivitiesView.as_view(), name="iati-activities"),
    path("<slug:slug>.xml", views.ActivityView.as_view(), name="iati-activity"),
]
