"""The JSON API, version 1: `/api/v1/`, its OpenAPI 3 schema and its documentation page."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from .api import RequestLanguage, router  # the apps register their viewsets (pilots, surveys: AppConfig.ready)


@extend_schema(exclude=True)
class NoSuchEndpoint(RequestLanguage, APIView):
    """Any other address under /api/v1/ (a slug with a dot or a slash in it, a round code of
    another shape): the API's own JSON 404, as its schema declares, not the site's HTML page."""

    def get(self, request, *args, **kwargs):
        raise NotFound


urlpatterns = [
    path("", include(router.urls)),
    path("iati/", include("pilots.iati.urls")),  # XML files, not a viewset: the apps' own paths
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^[\s\S]*/$", NoSuchEndpoint.as_view()),  # last: only what nothing above answers
]
