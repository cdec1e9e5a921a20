from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("json/", views.search_json, name="search_json"),
    path("suggest/", views.suggest_json, name="search_suggest"),
]
