from django.contrib import admin

from homeward.families.models import Precedent

# Loved ones are deliberately not registered: admins never see a member's records.


@admin.register(Precedent)
class PrecedentAdmin(admin.ModelAdmin):
    list_display = ["name_ru", "name_en", "days", "note_ru", "order"]
    fields = ["name_ru", "name_en", "days", "source", "note_ru", "note_en", "order"]
