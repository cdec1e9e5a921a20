"""`{% per_request "name" %}…{% endper_request %}`: a part of the site's frame that differs per
request (the signed-in user's tools, the messages, the search box's text). Rendered as usual,
except while `portal.frames` renders a frame to keep: then it leaves a marker and hands over
its content, which each request renders for itself."""

from django import template

from portal.frames import SLOTS

register = template.Library()


class PerRequestNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> str:
        slots = context.get(SLOTS)
        if slots is None:
            return self.nodelist.render(context)
        slots[self.name] = self.nodelist
        return f"<!--frame:{self.name}-->"


@register.tag
def per_request(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% per_request "name" %}…{% endper_request %}')
    name = bits[1][1:-1]
    if not name.replace("-", "").isalpha() or not name.islower():
        raise template.TemplateSyntaxError("per_request names are lower-case letters and hyphens")
    nodelist = parser.parse(("endper_request",))
    parser.delete_first_token()
    return PerRequestNode(name, nodelist)
