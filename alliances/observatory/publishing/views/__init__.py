"""Pages of the published reports: each module declares its `urlpatterns`.

- `reports`: a report page (national or regional), its preview for analysts and its PDF;
- `downloads`: a report's tables as CSV and XLSX;
- `library`: the publications library and each wave's publication page;
- `analyst`: computing, previewing and publishing a release.
"""
