"""The association's network in the Wagtail admin: member institutions, funders, product lines."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from portal.admin_forms import NumberFieldsMixin

from .models import Funder, MemberInstitution, ProductLine


class MemberInstitutionViewSet(NumberFieldsMixin, ModelViewSet):
    model = MemberInstitution
    icon = "home"
    menu_label = _("Member institutions")
    list_display = ["name", "country", "institution_type", "clients_served", "illustrative"]
    list_filter = ["country", "institution_type", "illustrative"]
    search_fields = ["name"]
    form_fields = ["name", "country", "institution_type", "clients_served", "contact_email", "language", "illustrative"]


class FunderViewSet(NumberFieldsMixin, ModelViewSet):
    model = Funder
    icon = "group"
    menu_label = _("Funders")
    list_display = ["name", "website", "iati_ref"]
    search_fields = ["name"]
    form_fields = ["name", "name_en", "website", "iati_ref", "iati_type"]


class ProductLineViewSet(NumberFieldsMixin, ModelViewSet):
    model = ProductLine
    icon = "tag"
    menu_label = _("Product lines")
    list_display = ["code", "name_es", "name_en", "dac_sector"]
    search_fields = ["name_es", "name_en"]
    form_fields = ["code", "name_es", "name_en", "dac_sector"]


class NetworkGroup(ViewSetGroup):
    menu_label = _("Network")
    menu_icon = "site"
    menu_order = 210
    items = (
        MemberInstitutionViewSet("member-institutions"),
        FunderViewSet("funders"),
        ProductLineViewSet("product-lines"),
    )


@hooks.register("register_admin_viewset")
def register_network():
    return NetworkGroup()
