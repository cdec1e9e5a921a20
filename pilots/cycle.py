"""The five-stage product innovation cycle (seed 000, Figure 2 and Table 1).

The stages and the association's actions at each stage are a closed list:
they are defined here once and used by models, forms, the demo data and the
checklist on each innovation's page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IDENTIFY = "identify", _("Identify opportunities")
    DESIGN = "design", _("Design")
    PILOT = "pilot", _("Pilot")
    EVALUATE = "evaluate", _("Evaluate")
    SCALE = "scale", _("Scale up")


STAGE_ORDER = {stage.value: number for number, stage in enumerate(Stage, start=1)}


def stage_number(stage: str) -> int:
    return STAGE_ORDER[stage]


# Table 1: what the association does at each stage. Codes are stable keys.
ACTIONS = {
    Stage.IDENTIFY: [
        ("survey_members", _("Survey members and keep in contact to understand client needs")),
        ("sector_data", _("Collect sector data to find gaps between demand and supply")),
        ("publications", _("Conferences and publications on uncovered niches")),
        ("link_associations", _("Link with other associations")),
        ("supply_demand_studies", _("Supply and demand studies")),
        ("impact_studies", _("Impact studies with universities")),
    ],
    Stage.DESIGN: [
        ("pool_funds", _("Pool funds for sector-level research")),
        ("feasibility", _("Feasibility studies")),
        ("alternative_designs", _("Assess alternative designs")),
        ("hire_experts", _("Hire subject experts")),
        ("share_design_learning", _("Document and share the learning")),
    ],
    Stage.PILOT: [
        ("training_support", _("Training and support throughout the pilot")),
        ("incentives", _("Financial incentives to take part")),
        ("participation_criteria", _("Participation criteria so that every variable is tested")),
        ("share_pilot_learning", _("Document and share the learning")),
    ],
    Stage.EVALUATE: [
        ("document_process", _("Document the development process")),
        ("adjust_product", _("Adjust the product before mass roll-out")),
        ("impact_systems", _("Systems to measure impact on clients")),
    ],
    Stage.SCALE: [
        ("marketing", _("Marketing and client-education campaigns")),
        ("rollout_support", _("Ongoing support for large-scale roll-out")),
        ("scale_targets", _("Short- and long-term scale targets")),
    ],
}

ACTION_CHOICES = [(code, label) for actions in ACTIONS.values() for code, label in actions]
ACTION_STAGE = {code: stage for stage, actions in ACTIONS.items() for code, _label in actions}


class EvaluationQuestion(models.TextChoices):
    """The questions stage 4 must answer (Table 1)."""

    SCALE_REACHED = "scale_reached", _("Has the service reached its potential scale?")
    BENEFITS = "benefits", _("Did the institution and the client get the expected benefits?")
    COSTS = "costs", _("What did it cost?")
    IMPACTS = "impacts", _("What were the impacts?")
