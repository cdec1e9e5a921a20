from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts, roles and the association's network (members, funders, product lines).

    A separate app from `portal` because Wagtail's own migrations depend on the
    user model, and the home page depends on Wagtail's.
    """

    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Network and accounts")
