"""drf-spectacular hooks: the published schema covers the portal's API only, not Wagtail's admin API."""

API_PREFIX = "/api/v1/"


def only_the_portal_api(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
