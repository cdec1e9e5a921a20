"""`manage.py db_worker`: django-tasks-db's worker, which first puts back the tasks whose
worker died (`tasks_requeue_stale`: RUNNING for longer than TASK_LEASE_SECONDS).

It takes the place of django-tasks-db's own command of the same name (this app comes
first in INSTALLED_APPS), so that docker-compose.yml and every deployment keep running
`manage.py db_worker` with the same options. The scheduler repeats the requeue every
minute for the tasks whose lease runs out while the worker is up.
"""

import logging

from django_tasks_db.management.commands import db_worker

from ...services import lease, tasks_requeue_stale

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = db_worker.Command.help + " (first requeueing tasks whose worker died: see tasks_status)"

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        result = tasks_requeue_stale()
        db_worker.logger.info(
            "Requeued %d stale task(s) (lease %d s)%s",
            len(result.requeued),
            lease().total_seconds(),
            f"; {len(result.abandoned)} lost their worker too often and failed" if result.abandoned else "",
        )
        return super().handle(*args, **options)
