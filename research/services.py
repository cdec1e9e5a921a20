"""Every write with rules on research: the authors editors create while writing a study.

The study page itself is saved by Wagtail's page editor (its form validates the fields and
the attached PDFs); what an editor adds from the page, such as a new author, goes through
here so the chooser and the snippet admin refuse the same input with the same message.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Author
from .models.snippets import twin_name_message


def _clean_name(text: str) -> str:
    """A name as people mean it: inner runs of spaces collapsed, none at the ends."""
    return " ".join((text or "").split())


def author_create(*, user, name: str, affiliation: str = "", website: str = "") -> Author:
    """A new author for the studies' author lists.

    Refused: a user who may not add authors, a blank name, and a name that already exists
    once spaces and capitals are ignored ("cgap " is "CGAP"): the message names the author to
    choose instead, so the list does not grow twins.
    """
    if user is None or not user.has_perm("research.add_author"):
        raise PermissionDenied(_("You may not add authors."))
    name = _clean_name(name)
    affiliation = _clean_name(affiliation)
    if not name:
        raise ValidationError({"name": _("Write the author's name.")}, code="required")
    with transaction.atomic():
        existing = Author.objects.select_for_update().filter(name__iexact=name).first()
        if existing is not None:
            raise ValidationError({"name": twin_name_message(existing.name)}, code="duplicate")
        author = Author(name=name, affiliation=affiliation, website=(website or "").strip())
        author.full_clean()
        author.save()
    return author
