"""Research publishing: authors, the research index and research report pages."""

from .pages import ResearchDocument, ResearchIndexPage, ResearchReportPage, StudyType
from .snippets import Author

__all__ = [
    "Author",
    "ResearchDocument",
    "ResearchIndexPage",
    "ResearchReportPage",
    "StudyType",
]
