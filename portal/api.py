"""What every viewset of the JSON API shares, and its router: each app registers its
viewsets from its `AppConfig.ready()` (the site shell imports no app)."""

from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def register(prefix: str, viewset, basename: str) -> None:
    """Add an app's viewset to /api/v1/ (once, however often the app is made ready)."""
    if basename not in {name for _prefix, _viewset, name in router.registry}:
        router.register(prefix, viewset, basename=basename)


class CodeLabel(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the request's language (Accept-Language: es or en).")


def code_label(code: str, label) -> dict:
    return {"code": code, "label": str(label)}


class RequestLanguage:
    """Answer in the language the client asks for (`Accept-Language`: es or en).

    `/api/` has no language prefix, where the portal's LocaleMiddleware always picks
    Spanish; the answer says its language and varies with the header."""

    def initial(self, request, *args, **kwargs):
        translation.activate(translation.get_language_from_request(request))
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language"])
        return response
