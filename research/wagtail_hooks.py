"""Research in the Wagtail admin: authors (created and edited through the services), the study editor's
chooser URLs, and document links that say their type and size (`document_links`)."""

from django.core.exceptions import ValidationError
from django.urls import path
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from . import services, views
from .document_links import SizedDocumentLinkHandler
from .models import Author


class ServiceErrorsOnForm:
    """A service's refusal comes back on the form, next to its field, instead of a 500."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)


def _author_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data.get("name", ""),
        "affiliation": data.get("affiliation", ""),
        "website": data.get("website", ""),
    }


class AuthorCreateView(ServiceErrorsOnForm, CreateView):
    """The snippet's "Add author" saves through `services.author_create`: a twin name is
    refused with the same message as in the study editor's chooser."""

    def save_instance(self):
        author = services.author_create(user=self.request.user, **_author_fields(self.form))
        log(instance=author, action="wagtail.create", user=self.request.user)
        return author


class AuthorEditView(ServiceErrorsOnForm, EditView):
    """Editing an author saves through `services.author_update`: renaming it to another
    author's name is refused as adding a twin is."""

    def save_instance(self):
        author = services.author_update(author=self.object, user=self.request.user, **_author_fields(self.form))
        log(instance=author, action="wagtail.edit", user=self.request.user)
        return author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    add_view_class = AuthorCreateView
    edit_view_class = AuthorEditView
    list_display = ["name", "affiliation"]
    search_fields = ["name", "affiliation"]


register_snippet(AuthorViewSet)


@hooks.register("register_admin_urls")
def chooser_urls():
    return [
        path("research/choose/<slug:kind>/", views.chooser_search, name="research_chooser_search"),
        path("research/authors/new/", views.author_create, name="research_author_create"),
    ]


@hooks.register("register_rich_text_features", order=1)  # after wagtail.documents' own handler
def document_links_with_type_and_size(features):
    features.register_link_type(SizedDocumentLinkHandler)
