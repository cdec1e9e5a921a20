"""The admin's reference tables: selection criteria, product terms, and the peer figures
(`pilots.pricing`) that product costs are compared with."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from portal.admin_forms import NumberFieldsMixin

from ..models import InstitutionRatio, PeerAverage, ProductTerms, SelectionCriterion
from ..services.pricing import PRODUCT_TERMS_FIELDS, product_terms_save
from .base import ServiceViewSet


class SelectionCriterionViewSet(NumberFieldsMixin, ModelViewSet):
    """A closed list with no rules beyond its model's (unique code, names)."""

    model = SelectionCriterion
    icon = "list-ul"
    menu_label = _("Selection criteria")
    list_display = ["code", "name_es", "name_en"]
    form_fields = ["code", "name_es", "name_en"]


class ProductTermsViewSet(ServiceViewSet):
    """A product's terms; the service refuses terms that cannot be a product (pilots.pricing.cost)."""

    model = ProductTerms
    icon = "form"
    menu_label = _("Product terms")
    list_display = ["display_name", "innovation", "amount", "currency", "term", "frequency", "method", "rate"]
    list_filter = ["innovation", "method", "frequency"]
    search_fields = ["name", "name_en"]
    form_fields = ["innovation", *PRODUCT_TERMS_FIELDS]
    key_fields = ("innovation",)

    def save(self, *, form, user, instance):
        innovation = instance.innovation if instance else form.cleaned_data["innovation"]
        values = {name: form.cleaned_data.get(name) for name in PRODUCT_TERMS_FIELDS}
        return product_terms_save(innovation=innovation, user=user, instance=instance, **values)


class PeerAverageViewSet(NumberFieldsMixin, ModelViewSet):
    """Published peer figures, with no rules beyond their model's."""

    model = PeerAverage
    icon = "table"
    menu_label = _("Peer average APRs")
    list_display = ["country", "product_line", "size_band", "apr", "source", "as_of"]
    list_filter = ["product_line", "size_band"]
    form_fields = ["country", "product_line", "size_band", "apr", "source", "as_of"]
    copy_view_enabled = False


RATIO_FIELDS = [
    "institution",
    "year",
    "oss",
    "loan_loss_expense",
    "return_on_assets",
    "return_on_equity",
    "operating_expense_ratio",
    "operating_expense_ceiling",
    "claims_ratio",
    "source",
]


class InstitutionRatioViewSet(NumberFieldsMixin, ModelViewSet):
    """Institution ratios staff entered from published sources, with no rules beyond their model's.

    Standard 6C's institution signs read members' approved financial reports first; these rows
    are the fallback (see `InstitutionRatio`), so the screen says "entered by staff" and the
    year's help text on the form says when they are used."""

    model = InstitutionRatio
    icon = "table"
    menu_label = _("Institution ratios (entered by staff)")
    list_display = RATIO_FIELDS
    list_filter = ["year"]
    search_fields = ["institution__name"]
    form_fields = RATIO_FIELDS
    copy_view_enabled = False
