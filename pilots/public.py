"""What the tracker offers the other apps: the one module `research` and `surveys` import
from `pilots`. Everything else in `pilots` is its own business and may move; the names
here stay. `pilots` itself never imports another app: what it shows of them (the studies
on an innovation's page) they register with it (`register_related`: see `pilots.related`).
"""

from .charts import indicator_figure
from .cycle import Stage
from .models import Indicator, Innovation
from .related import register as register_related
from .selectors import Progress, indicator_progress, measurement_rows

__all__ = [
    "Indicator",
    "Innovation",
    "Progress",
    "Stage",
    "indicator_figure",
    "indicator_progress",
    "measurement_rows",
    "register_related",
]
