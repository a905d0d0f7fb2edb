from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "homeward.lib"
    label = "lib"
    verbose_name = "Homeward core"
