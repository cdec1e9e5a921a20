"""The survey's landing page, by role."""

from django.shortcuts import render
from django.utils import timezone

from portal.permissions import is_member, is_staff

from .. import selectors
from ..models import Round


def home(request):
    """Staff: every round with its response rate. Members: their invitations. Others: what the survey is."""
    context = {}
    user = request.user
    if is_staff(user):
        rounds = list(Round.objects.all())
        rates = selectors.response_rates(rounds=rounds)
        context["rounds"] = [{"round": r, "rate": rates.get(r.pk)} for r in rounds]
        context["today"] = timezone.localdate()
    elif is_member(user):
        context["invitations"] = selectors.member_invitations(institution_id=user.institution_id)
        context["today"] = timezone.localdate()
    return render(request, "surveys/home.html", context)
