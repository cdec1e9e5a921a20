"""Research publishing: authors, the research index and research report pages."""

from .index import ResearchIndexPage
from .reports import ResearchDocument, ResearchReportPage, ResearchReportTag, StudyType
from .snippets import Author

__all__ = [
    "Author",
    "ResearchDocument",
    "ResearchIndexPage",
    "ResearchReportPage",
    "ResearchReportTag",
    "StudyType",
]
