"""The admin's change history page: who changed what in the tracker, and when (`pilots.history`)."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from portal.permissions import is_staff

from ..history import changes
from ..models import Innovation


class ChangeHistoryViewSet(ViewSet):
    """Who changed what in the tracker, and when (pilots.history), for association staff."""

    menu_label = _("Change history")
    icon = "history"
    limit = 200

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        return [path("", self.index, name="index")]

    def index(self, request):
        if not is_staff(request.user):
            raise PermissionDenied
        innovation = Innovation.objects.filter(slug=request.GET.get("innovation", "")).first()
        context = {
            "title": self.menu_label,
            "innovations": Innovation.objects.order_by("title"),
            "innovation": innovation,
            "changes": changes(innovation=innovation, limit=self.limit),
            "limit": self.limit,
        }
        return TemplateResponse(request, "pilots/admin/change_history.html", context)
