"""Research publishing: authors, the research index and research report pages."""

from .pages import ResearchDocument, ResearchIndexPage, ResearchReportPage, ResearchReportTag, StudyType
from .snippets import Author

__all__ = [
    "Author",
    "ResearchDocument",
    "ResearchIndexPage",
    "ResearchReportPage",
    "ResearchReportTag",
    "StudyType",
]
