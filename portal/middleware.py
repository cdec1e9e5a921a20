"""The Wagtail admin's Content-Security-Policy.

The public pages run under `settings.SECURE_CSP`, with no inline script at all. The
Wagtail admin still relies on a few inline scripts and on embeds from other sites, so
its pages get `settings.SECURE_CSP_ADMIN`. Listed after Django's CSP middleware, this
runs first on the way out and sets the policy that middleware then writes.
"""

from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return response
