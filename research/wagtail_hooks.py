"""Research in the Wagtail admin: authors (created through the service), the study editor's
chooser URLs, and document links that say their type and size (`document_links`)."""

from django.core.exceptions import ValidationError
from django.urls import path
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from . import services, views
from .document_links import SizedDocumentLinkHandler
from .models import Author


class AuthorCreateView(CreateView):
    """The snippet's "Add author" saves through `services.author_create`: a twin name is
    refused with the same message as in the study editor's chooser."""

    def save_instance(self):
        data = self.form.cleaned_data
        author = services.author_create(
            user=self.request.user,
            name=data.get("name", ""),
            affiliation=data.get("affiliation", ""),
            website=data.get("website", ""),
        )
        log(instance=author, action="wagtail.create", user=self.request.user)
        return author

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    add_view_class = AuthorCreateView
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
