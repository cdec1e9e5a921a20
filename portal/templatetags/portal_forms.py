"""The error summary at the top of a refused form (the GOV.UK pattern).

One include for every form of the site: `{% error_summary form %}` for a Django form, or
`{% error_summary problems=… %}` for a page whose inputs are not a form's fields (the survey's
answers, `q-<id>`). It says how many things are wrong and links each one to its input;
static/js/error_summary.js focuses the summary when the page loads and the input when a link
is followed. Problems of the form as a whole, and of hidden fields, are listed without a link.
"""

from django import template

register = template.Library()


def form_problems(form) -> list[dict]:
    """What is wrong with a bound form, one entry per field (its messages together), in the
    order of the page: the form's own problems first, then each field's."""
    if form is None or not form.errors:
        return []
    problems = [{"target": "", "label": "", "message": message} for message in form.non_field_errors()]
    for field in form:
        if field.errors:
            visible = not field.is_hidden
            problems.append(
                {
                    "target": field.id_for_label if visible else "",
                    # A field may name itself more fully for the summary (which indicator's "Value").
                    "label": (getattr(field.field, "summary_label", None) or field.label) if visible else "",
                    "message": " ".join(str(message) for message in field.errors),
                }
            )
    return problems


def _problem(item) -> dict:
    if isinstance(item, dict):
        return {"target": item.get("target", ""), "label": item.get("label", ""), "message": item["message"]}
    if len(item) == 2:
        target, message = item
        return {"target": target or "", "label": "", "message": message}
    target, label, message = item
    return {"target": target or "", "label": label, "message": message}


@register.inclusion_tag("portal/includes/error_summary.html")
def error_summary(form=None, problems=None, noun: str = "", note: str = "", summary_id: str = "") -> dict:
    """The summary of `form`'s errors, or of `problems`: (input id, message) or (input id, label,
    message) pairs, an empty id for a problem with no input of its own.

    `noun="answers"` counts answers ("3 answers need your attention") when every problem is one;
    `note` adds a sentence under the list; `summary_id` names the box when a page may hold
    several forms (by default the form's prefix, or "error-summary")."""
    items = form_problems(form) if form is not None else [_problem(item) for item in problems or []]
    prefix = getattr(form, "prefix", None)
    return {
        "problems": items,
        "count": len(items),
        "answers": noun == "answers" and all(item["target"] for item in items),
        "note": note,
        "summary_id": summary_id or (f"{prefix}-error-summary" if prefix else "error-summary"),
    }
