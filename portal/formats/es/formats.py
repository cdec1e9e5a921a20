"""Spanish as the association's members write it: Django's Spanish formats, with thousands
separated by a point ("18.500") as Latin America writes them, not by the no-break space of
Django's default. Input is read by `portal.numbers.parse_number`, which also takes spaces."""

from django.conf.locale.es.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "."
