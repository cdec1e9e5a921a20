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


def _require_permission(user, action: str) -> None:
    if user is None or not user.has_perm(f"research.{action}_author"):
        raise PermissionDenied(_("You may not add authors."))


def author_create(*, user, name: str, affiliation: str = "", website: str = "") -> Author:
    """A new author for the studies' author lists.

    Refused: a user who may not add authors, a blank name, and a name that already exists
    once spaces and capitals are ignored ("cgap " is "CGAP"): the message names the author to
    choose instead, so the list does not grow twins.
    """
    _require_permission(user, "add")
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


def author_update(*, author: Author, user, name: str, affiliation: str = "", website: str = "") -> Author:
    """Correct an author: the same rules as adding one (a twin of another author's name is
    refused, naming the author to choose instead)."""
    _require_permission(user, "change")
    name = _clean_name(name)
    if not name:
        raise ValidationError({"name": _("Write the author's name.")}, code="required")
    with transaction.atomic():
        author = Author.objects.select_for_update().get(pk=author.pk)
        twin = Author.objects.filter(name__iexact=name).exclude(pk=author.pk).first()
        if twin is not None:
            raise ValidationError({"name": twin_name_message(twin.name)}, code="duplicate")
        author.name = name
        author.affiliation = _clean_name(affiliation)
        author.website = (website or "").strip()
        author.full_clean()
        author.save()
    return author
