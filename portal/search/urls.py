from django.urls import path

from . import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("json/", views.search_json, name="search_json"),
]
