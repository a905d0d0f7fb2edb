"""manage.py questions_recluster CAMPAIGN_ID — group a campaign's questions again from scratch."""

import time

from django.core.management.base import BaseCommand, CommandError

from homeward.questions import services
from homeward.questions.models import Campaign


class Command(BaseCommand):
    help = "Re-cluster every question of a question campaign (coordinators' pinned decisions stay)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int)

    def handle(self, *args, campaign, **options):
        found = Campaign.objects.filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"No question campaign {campaign}.")
        started = time.perf_counter()
        result = services.recluster(campaign=found)
        self.stdout.write(
            f"{result.questions} questions in {result.clusters} groups; {result.moved} moved; "
            f"{time.perf_counter() - started:.1f} s"
        )
