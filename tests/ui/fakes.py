"""The app tests' fakes live in `assistant.testing.fakes`; this name stays for old imports."""

from assistant.testing.fakes import FakeAssistant, FakeLibrary, FakeResearch, demo_documents

__all__ = ["FakeAssistant", "FakeLibrary", "FakeResearch", "demo_documents"]
