"""What every viewset of the JSON API shares, and its router: each app registers its
viewsets from its `AppConfig.ready()` (the site shell imports no app)."""

import re
from functools import wraps

from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def register(prefix: str, viewset, basename: str) -> None:
    """Add an app's viewset to /api/v1/ (once, however often the app is made ready)."""
    if basename not in {name for _prefix, _viewset, name in router.registry}:
        router.register(prefix, viewset, basename=basename)


class CodeLabel(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the request's language (Accept-Language: es or en).")


class Pages(PageNumberPagination):
    """DRF's numbered pages, declared as they are read: `page` is a number from 1, `last`, or
    empty for the first; anything else (`3_0`, `+3`) is no such page (404)."""

    pattern = r"^([0-9]*|last)$"

    def get_page_number(self, request, paginator):
        if not re.search(self.pattern, request.query_params.get(self.page_query_param, "")):
            raise NotFound(self.invalid_page_message)
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "string", "pattern": self.pattern}
                parameter["description"] = "A page number (from 1) or last; empty: the first page."
        return parameters


class Refusal(serializers.Serializer):
    """What a refused request is told (401, 403, 404): DRF's `detail`."""

    detail = serializers.CharField(help_text="Why, in the request's language.")


# A 400 for bad query parameters: each parameter's name with what is wrong with its value.
FILTER_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def code_label(code: str, label) -> dict:
    return {"code": code, "label": str(label)}


def answered_as(serializer: serializers.BaseSerializer):
    """A `SerializerMethodField`'s method, declared in the schema as `serializer` and answered
    through it: its JSON is then what the schema says (decimals rounded to their places, dates
    as ISO 8601, only the fields declared), not whatever the method returned."""

    def decorate(method):
        @wraps(method)
        def answer(self, instance):
            value = method(self, instance)
            return None if value is None else serializer.to_representation(value)

        return extend_schema_field(serializer)(answer)

    return decorate


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
