"""The site's frame around a cached body: rendered once per page template, language and kind
of viewer, and filled per request.

A cached page's body comes from the cache (`portal.cache.render_cached`), but rendering the
frame around it — header, navigation, language switcher, footer, scripts — was still about a
third of a warm page: a dozen URL reversals and static file lookups that give the same HTML
for every request of the same page in the same language to the same kind of viewer. So the
frame is rendered once per process for each (page template, language, kind of viewer, the
values the page passes it such as its title), with markers where the body and the parts that
differ per request go.

The parts that differ per request are marked in the templates with
`{% per_request "name" %}…{% endper_request %}` (`portal.templatetags.frame`): the search
box's text, the signed-in user's name, sign-out form and language links, the messages.
Each request renders only those, with its own context (CSRF token, messages, user), as one
small template, and they are put in place of their markers. Rendered any other way — a
page without a cached body, an error page — the marked parts are ordinary template content.

The kind of viewer is what the navigation shows differently: signed in or not, staff,
member, donor. Templates hold no data, so a frame never goes stale; the number of frames
kept is bounded all the same.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass

from django.http import HttpResponse
from django.template import engines
from django.template.base import Node, NodeList, TextNode
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

SLOTS = "frame_slots"  # the context variable that switches `per_request` to leaving a marker
BODY = "<!--frame:body-->"
MARKER = re.compile(r"<!--frame:([a-z-]+)-->")
SEPARATOR = "<!--frame:separator-7d1c-->"
KEPT = 512  # frames kept per process; a page template has one per language and kind of viewer

_frames: dict[tuple, Frame] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Frame:
    parts: list[str]  # the frame split at its markers: text, marker name, text, marker name, text…
    slots: object  # a template rendering the per-request parts, separated by SEPARATOR


class _Slot(Node):
    def __init__(self, nodelist: NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return self.nodelist.render(context)


def viewer_kind(user) -> tuple[bool, ...]:
    """What the navigation shows differently: signed in, staff, member, donor."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    if not signed_in:
        return (False, False, False, False)
    return (True, bool(user.is_association_staff), bool(user.is_member), bool(user.is_donor))


def _build(request, template_name: str, context: dict) -> Frame:
    recorded: dict[str, NodeList] = {}
    html = get_template(template_name).render({**context, "body": mark_safe(BODY), SLOTS: recorded}, request)
    pieces = MARKER.split(html)  # text, name, text, name, text
    slots = engines["django"].from_string("")
    nodes = []
    for name in pieces[1::2]:
        if name != "body":
            nodes += [_Slot(recorded[name]), TextNode(SEPARATOR)]
    slots.template.nodelist = NodeList(nodes)
    return Frame(parts=pieces, slots=slots)


def render_framed(request, template_name: str, context: dict, body: str, *, key=None) -> HttpResponse:
    """`template_name` rendered with `context` around `body`, the frame from this process's
    memory when it has it; the per-request parts rendered for this request. The frame is
    kept per `key` (by default, the context's values: give one when they are objects)."""
    identity = json.dumps(context if key is None else key, sort_keys=True, default=str)
    key = (template_name, translation.get_language(), viewer_kind(request.user), identity)
    frame = _frames.get(key)
    if frame is None:
        frame = _build(request, template_name, context)
        with _lock:
            if len(_frames) >= KEPT:
                _frames.clear()
            _frames[key] = frame
    filled = iter(frame.slots.render(context, request).split(SEPARATOR))
    out = []
    for index, piece in enumerate(frame.parts):
        if index % 2 == 0:
            out.append(piece)
        else:
            out.append(body if piece == "body" else next(filled))
    return HttpResponse("".join(out))
