"""The admin's views and viewset for tracker tables: every create, edit and delete goes
through a service (`pilots.services`), whose refusals come back on the form, next to their
fields, with what the person typed still there (never a 500)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import modelform_factory
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from portal.admin_forms import NumberFieldsMixin

from ..forms import add_service_errors
from ..services.deletion import record_delete


class ServiceSaveMixin:
    """Save through a service; show its refusal on the form instead of a 500."""

    service = None  # callable(form=..., user=..., instance=None | existing) -> instance

    def save_instance(self):
        existing = None if isinstance(self, generic.CreateView) else self.object
        return self.service(form=self.form, user=self.request.user, instance=existing)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ServiceRulesForm:
    """An admin form whose rules are its service's. The form does not check the table's
    database constraints itself: it would answer "Constraint “milestone_start_before_due” is
    violated." before the service could say, next to the field, "The planned start must be on
    or before the planned date.". The service checks its rules, then the constraints
    (`full_clean`), so a constraint no rule covers is still refused on the form."""

    def validate_constraints(self):
        pass


class ServiceCreateView(ServiceSaveMixin, generic.CreateView):
    pass


class ServiceEditView(ServiceSaveMixin, generic.EditView):
    pass


class ServiceDeleteView(generic.DeleteView):
    """Delete through a service (who deleted it, in the change history); Wagtail's log as before."""

    service = None  # callable(record=..., user=...)

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            self.service(record=self.object, user=self.request.user)


class ServiceViewSet(NumberFieldsMixin, ModelViewSet):
    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    delete_view_class = ServiceDeleteView
    copy_view_enabled = False
    # Fields that identify a record (its services find it by them): set when the
    # record is created, not editable afterwards, so an edit never forks a record.
    key_fields: tuple[str, ...] = ()

    def get_form_class(self, for_update=False):
        if for_update and self.key_fields:
            form_class = modelform_factory(
                self.model,
                formfield_callback=self.formfield_for_dbfield,
                fields=[field for field in self.form_fields if field not in self.key_fields],
            )
        else:
            form_class = super().get_form_class(for_update)
        return type(form_class.__name__, (ServiceRulesForm, form_class), {})

    def values(self, form, instance, *names) -> dict:
        """The form's values, with the key fields taken from the record being edited."""
        return {
            name: getattr(instance, name)
            if instance is not None and name in self.key_fields
            else form.cleaned_data.get(name)
            for name in names
        }

    def save(self, *, form, user, instance):
        raise NotImplementedError

    def delete_record(self, *, record, user) -> None:
        record_delete(record=record, user=user)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(service=self.save, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(service=self.save, **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        kwargs = super().get_delete_view_kwargs(**kwargs)
        if issubclass(self.delete_view_class, ServiceDeleteView):
            kwargs["service"] = self.delete_record
        return kwargs


def data(form, *fields) -> dict:
    """The form's cleaned values of `fields` (None for one the form does not have)."""
    return {field: form.cleaned_data.get(field) for field in fields}


def changes(form, *fields) -> dict:
    """The form's cleaned values of those of `fields` the form has: what an edit changes."""
    return {field: form.cleaned_data[field] for field in fields if field in form.cleaned_data}
