from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

STAFF_GROUP = "Association staff"
# "portal": the association's settings (Settings › Association in the admin) among them.
STAFF_APPS = ("accounts", "portal", "pilots", "research", "surveys", "wagtaildocs", "wagtailimages")


def ensure_staff_group(**kwargs):
    """Association staff edit everything: one group holding every permission of the
    portal's own apps plus access to the Wagtail admin. Add a staff user to it."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    permissions = Permission.objects.filter(
        Q(content_type__app_label__in=STAFF_APPS) | Q(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    group.permissions.add(*permissions)


class AccountsConfig(AppConfig):
    """Accounts, roles and the association's network (members, funders, product lines).

    A separate app from `portal` because Wagtail's own migrations depend on the
    user model, and the home page depends on Wagtail's.
    """

    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Network and accounts")

    def ready(self):
        post_migrate.connect(ensure_staff_group, dispatch_uid="accounts.ensure_staff_group")
