"""RQ cron configuration, loaded by `manage.py rqcron apps.haastavat_erot.cron` (Procfile).

An interval job (not a cron string) so that the first run starts as soon as the scheduler does:
destruction that fell due while the service was down is caught up at once."""

from django.conf import settings
from rq import cron

from apps.haastavat_erot import jobs

cron.register(jobs.run_scheduled_destruction, queue_name="default",
              interval=settings.DESTRUCTION_INTERVAL_MINUTES * 60, job_timeout=1800)
# Every night at 03:30 (the scheduler's clock): worker accounts unused for 12 months.
cron.register(jobs.deactivate_unused_accounts, queue_name="default", cron="30 3 * * *", job_timeout=600)
