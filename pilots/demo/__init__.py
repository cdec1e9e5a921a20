"""The five cases of DESIGN.md, with the numbers, dates, participants and funders of the seed
documents (SEEP 2011, CGAP 2012, FINCA Perú), read from one TOML document per case in
`cases/` (Spanish and English side by side) and written through the services, as staff would.

Idempotent: an innovation that already exists (by slug) is left as it is, so re-running the
loader never overwrites what staff have logged since. Where the seeds give counts but no
names (REDCAMIF's ten MFIs, RFR's ten MFIs), the institutions are `illustrative`.
"""

from portal.accounts.models import User

from ..models import Innovation, SelectionCriterion
from . import benchmarking, case, english, files, pricing, reporting


def load(stdout=None) -> None:
    for criterion in files.shared()["criteria"]:
        code, names = criterion["code"], {"name_es": criterion["name_es"], "name_en": criterion["name_en"]}
        SelectionCriterion.objects.update_or_create(code=code, defaults=names)
    staff = User.objects.get(username="staff")
    for data in files.cases():
        case.write(data, staff)
    reporting.load(staff)
    for data in files.cases():
        pricing.write(data, staff)
    english.translate()
    reports = benchmarking.load(staff)
    if stdout:
        stdout.write(f"Innovations: {Innovation.objects.count()} loaded.")
        stdout.write(f"Financial reports: {reports} illustrative semesters written.")
