"""Staff's "Para hoy" (`portal.today`) as the first panel of the Wagtail admin's home."""

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import today
from .permissions import is_staff


class TodayPanel(Component):
    name = "today"
    order = 10  # before Wagtail's own panels
    template_name = "portal/admin/today_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"lines": today.lines_for(self.user, timezone.localdate())}


@hooks.register("construct_homepage_panels")
def add_today_panel(request, panels):
    if is_staff(request.user):
        panels.insert(0, TodayPanel(request.user))
