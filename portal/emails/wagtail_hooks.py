"""The e-mail templates in the Wagtail admin (Settings › E-mail templates), for association staff.

One row per e-mail the apps register; staff edit the texts (never add or delete a row), with
the e-mail's placeholders listed above the fields and a preview in Spanish and in English
with sample values. The edit view saves through `services.email_template_update`, and the
form shows the service's refusals next to the fields.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from portal.accounts.models import Role
from portal.accounts.people import display_person
from portal.permissions import is_staff

from . import registry, services
from .models import EmailTemplate
from .rendering import default_texts


class StaffEditOnly(BasePermissionPolicy):
    """Association staff see and change the texts; nobody adds or deletes a row (there is one
    per registered e-mail), whatever Wagtail permissions a user was given."""

    actions = frozenset({"view", "change"})

    def user_has_permission(self, user, action):
        return action in self.actions and is_staff(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.actions.intersection(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(role=Role.STAFF, is_staff=True))


class EmailTemplateForm(WagtailAdminModelForm):
    """Starts a language that follows the default from the default text (with its
    placeholders), and checks the texts with the service's rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.instance.kind
        if self.is_bound or kind is None:
            return
        for language, (subject_field, body_field) in services.FIELDS.items():
            if not self.instance.is_edited(language):
                self.initial[subject_field], self.initial[body_field] = default_texts(kind=kind, language=language)

    def clean(self):
        cleaned = super().clean()
        texts = {field: cleaned.get(field) or "" for fields in services.FIELDS.values() for field in fields}
        try:
            cleaned.update(services.email_template_clean(key=self.instance.key, texts=texts))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


class EmailTemplateIndexView(IndexView):
    @cached_property
    def columns(self):
        """Without the bulk-action checkboxes: there is nothing to do to several rows at once."""
        return [column for column in super().columns if not isinstance(column, BulkActionsCheckboxColumn)]

    def get(self, request, *args, **kwargs):
        services.email_templates_ensure()  # a row for an e-mail registered since the last visit
        return super().get(request, *args, **kwargs)


class EmailTemplateEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        template = services.email_template_update(
            template=self.object,
            user=self.request.user,
            **{field: data[field] for fields in services.FIELDS.values() for field in fields},
        )
        log(instance=template, action="wagtail.edit", user=self.request.user)
        return template

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return self.form_invalid(form)


def _status(language: str):
    def status(template: EmailTemplate) -> str:
        return _("Edited") if template.is_edited(language) else _("Default text")

    return status


def _updated(template: EmailTemplate) -> str:
    if template.updated_at is None:
        return "—"
    when = formats.date_format(timezone.localtime(template.updated_at), "DATETIME_FORMAT")
    return f"{when} · {display_person(template.updated_by)}"


class EmailTemplateViewSet(SnippetViewSet):
    model = EmailTemplate
    icon = "mail"
    menu_label = _("E-mail templates")
    add_to_settings_menu = True
    index_view_class = EmailTemplateIndexView
    edit_view_class = EmailTemplateEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "__str__",
        Column(
            "description", label=_("Who receives it, and when"), accessor=lambda template: template.kind.description
        ),
        Column("spanish", label=_("Spanish"), accessor=_status("es")),
        Column("english", label=_("English"), accessor=_status("en")),
        Column("updated", label=_("Last edited"), accessor=_updated),
    ]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            HelpPanel(template="emails/admin/placeholders_panel.html", heading=_("Placeholders")),
            MultiFieldPanel([FieldPanel("subject_es"), FieldPanel("body_es")], heading=_("Spanish")),
            MultiFieldPanel([FieldPanel("subject_en"), FieldPanel("body_en")], heading=_("English")),
        ],
        base_form_class=EmailTemplateForm,
    )

    def get_queryset(self, request):
        """The registered e-mails in their order (a row whose app no longer sends it is hidden)."""
        keys = [kind.key for kind in registry.kinds()]
        if not keys:
            return EmailTemplate.objects.none()
        order = Case(*(When(key=key, then=Value(i)) for i, key in enumerate(keys)), output_field=IntegerField())
        return EmailTemplate.objects.filter(key__in=keys).select_related("updated_by").order_by(order)


register_permission_policy(EmailTemplate, StaffEditOnly(EmailTemplate), exact_class=True)
register_snippet(EmailTemplateViewSet)
