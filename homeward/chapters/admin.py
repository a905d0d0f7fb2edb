from django.contrib import admin

from homeward.chapters.models import Chapter, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "name_en", "kind"]
    search_fields = ["code", "name_ru", "name_en"]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["slug", "region", "is_open", "created_on"]
    list_filter = ["is_open"]
    fields = ["region", "slug", "is_open", "description"]
