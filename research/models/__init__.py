"""Research publishing: authors, the research index and research report pages,
and the knowledge entries the database search engine indexes."""

from .knowledge import KnowledgeEntry
from .pages import ResearchDocument, ResearchIndexPage, ResearchReportPage, StudyType
from .snippets import Author

__all__ = [
    "Author",
    "KnowledgeEntry",
    "ResearchDocument",
    "ResearchIndexPage",
    "ResearchReportPage",
    "StudyType",
]
