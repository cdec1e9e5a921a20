"""The survey services' refusals shown on the admin form that asked for the write.

The forms run the services' checks before saving (`round_check_update`, `question_check`,
`questionnaire_check_editable`), but the round may change between the check and the save
(the scheduler opens it, a colleague closes it): the service then refuses, and the person
sees why on the form they sent, field by field, rather than an error page.
"""

from django.core.exceptions import ValidationError


def show_on_form(form, error: ValidationError) -> None:
    """Each message under its field when the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class ServiceErrorsOnForm:
    """For a Wagtail create or edit view whose `save_instance` calls a survey service."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            show_on_form(form, error)
            self.produced_error_message = self.get_error_message()  # as Wagtail's own refusal
            return self.form_invalid(form)
