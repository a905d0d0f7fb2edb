from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "homeward.lib"
    label = "lib"
    verbose_name = "Homeward core"

    def ready(self):
        from homeward.lib import tasks  # noqa: F401  (registers the core's daily jobs)
