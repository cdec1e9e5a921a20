"""The IATI 2.03 codes the portal's activity files use, and how the tracker's values map to them.

Each list below is the part of an IATI codelist (https://iatistandard.org/en/iati-standard/203/codelists/)
that an association's innovations need; the codes and their English names are IATI's.
"""

from portal.iati_codes import OrganisationType

from ..cycle import Stage
from ..models import InnovationStatus, Unit

VERSION = "2.03"


SECTOR_VOCABULARY = "1"  # OECD DAC CRS purpose codes, 5 digit

# ActivityStatus: 1 pipeline/identification, 2 implementation, 3 finalisation, 4 closed,
# 5 cancelled, 6 suspended. An active innovation is in the pipeline while it is studied and
# designed, in implementation once piloted (evaluating a pilot, then scaling it, are still its
# implementation); its status, when not active, says the rest.
PIPELINE, IMPLEMENTATION, CLOSED, CANCELLED, SUSPENDED = "1", "2", "4", "5", "6"
STATUS_CODES = {
    InnovationStatus.COMPLETED: CLOSED,
    InnovationStatus.DISCONTINUED: CANCELLED,
    InnovationStatus.ON_HOLD: SUSPENDED,
}
STAGE_CODES = {
    Stage.IDENTIFY: PIPELINE,
    Stage.DESIGN: PIPELINE,
    Stage.PILOT: IMPLEMENTATION,
    Stage.EVALUATE: IMPLEMENTATION,
    Stage.SCALE: IMPLEMENTATION,
}


def activity_status(stage: str, status: str) -> str:
    """The IATI activity-status code of an innovation in `stage` with `status`."""
    return STATUS_CODES.get(status) or STAGE_CODES[stage]


# ActivityDateType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
# OrganisationRole
FUNDING, IMPLEMENTING = "1", "4"
# TransactionType: a funder's commitment to the activity, received by the reporting organisation
INCOMING_COMMITMENT = "11"
# IndicatorMeasure: 1 unit, 2 percentage
MEASURE_UNIT, MEASURE_PERCENTAGE = "1", "2"
# ResultType: 2 outcome
OUTCOME = "2"
# DocumentCategory
APPRAISAL, REVIEW, WEB_PAGE = "A01", "A07", "A12"


def measure(unit: str) -> str:
    """Percentages are IATI's percentage measure; counts, days and money are units."""
    return MEASURE_PERCENTAGE if unit == Unit.PERCENT else MEASURE_UNIT


# A participating MFI's organisation type, from its institution type: NGOs are NGOs based in the
# partner country; banks, cooperatives and finance companies the private sector there.
INSTITUTION_TYPES = {"ngo": OrganisationType.PARTNER_COUNTRY_NGO}


def institution_type(institution_type_value: str) -> str:
    return INSTITUTION_TYPES.get(institution_type_value, OrganisationType.PRIVATE_SECTOR_RECIPIENT)
