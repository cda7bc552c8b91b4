"""knowledge: documents, ingest, chunking, embeddings and hybrid retrieval over Chroma.

Import what you need from here; the modules behind it are the package's own business.
"""

from knowledge.documents import Document, Section, SourceEntry, View
from knowledge.library import DEMO_FOLDER, IngestOutcome, Library
from knowledge.passage import Passage

__all__ = [
    "DEMO_FOLDER",
    "Document",
    "IngestOutcome",
    "Library",
    "Passage",
    "Section",
    "SourceEntry",
    "View",
]
