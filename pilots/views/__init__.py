"""The tracker's pages, one module per family:

- `portfolio`: the innovation list, the dashboard and a donor's "Innovations you fund";
- `innovation`: an innovation's page and one indicator's measurements;
- `quick_forms`: staff's forms on the innovation's page (measurement, milestone, stage, checklist);
- `downloads`: the CSV/XLSX files of the pages (the tables are in `pilots.exports`);
- `reports`: the semester reports of an innovation and of the portfolio, and their PDFs.

Views are thin: visibility comes from `pilots.viewing`, what a page shows from its selector
(`pilots.innovation_page`, `pilots.report_pages`, `pilots.selectors`), writes from `pilots.services`.
"""
