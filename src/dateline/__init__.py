"""dateline: news stories in, structured and explained political event data out."""

from dateline.coder import CODER_VERSION as __version__
from dateline.coder import code_document, code_documents, code_text

__all__ = ["__version__", "code_document", "code_documents", "code_text"]
