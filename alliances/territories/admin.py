from django.contrib import admin

from alliances.territories.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "iso_code", "population"]
    readonly_fields = ["insee_code", "iso_code", "slug"]
    search_fields = ["name"]
