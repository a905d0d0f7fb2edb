"""manage.py questions_recluster CAMPAIGN_ID [--json] — group a campaign's questions again from scratch."""

import json
import resource
import time

from django.core.management.base import BaseCommand, CommandError

from homeward.questions import services
from homeward.questions.models import Campaign


class Command(BaseCommand):
    help = "Re-cluster every question of a question campaign (coordinators' pinned decisions stay)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int)
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")

    def handle(self, *args, campaign, **options):
        found = Campaign.objects.filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"No question campaign {campaign}.")
        started, cpu = time.perf_counter(), time.process_time()
        result = services.recluster(campaign=found)
        figures = {
            "questions": result.questions,
            "clusters": result.clusters,
            "exemplars": result.exemplars,
            "moved": result.moved,
            "seconds": round(time.perf_counter() - started, 1),
            "compute_seconds": result.compute_seconds,
            "write_seconds": result.write_seconds,
            "cpu_seconds": round(time.process_time() - cpu, 1),
            # ru_maxrss is in KiB on Linux
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }
        if options["json"]:
            self.stdout.write(json.dumps(figures))
        else:
            self.stdout.write(
                f"{result.questions} questions in {result.clusters} groups; {result.moved} moved; "
                f"{figures['seconds']} s, peak memory {figures['peak_rss_mb']} MB"
            )
