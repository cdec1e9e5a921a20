"""Background work that survives its worker: leases on running tasks and e-mail sent once.

The task worker (`manage.py db_worker`, django-tasks-db) marks a task RUNNING when it
claims it and nothing else ever looks at it again, so a worker killed mid-task (OOM,
`kill -9`, a host restart) left the task RUNNING for ever. Here a task RUNNING for longer
than its lease (settings.TASK_LEASE_SECONDS) is put back in the queue, by the worker when
it starts and by the scheduler every minute (`manage.py tasks_status --requeue-stale`).
Work is therefore done at least once; the e-mail tasks make their effect happen once
(`email_send_once`). See docs/tasks.md.
"""
