"""ingest stage: files, directories, stdin, JSONL, HTML, RSS/Atom -> Article (or Failure).

CONTRACT (owned by the ingest work):
  normalize_text(text: str) -> str            NFC + whitespace normalization, done once here.
  article_id(normalized_text: str) -> str     stable content hash (same text, same id).
  make_article(text, title=None, published=None, url=None, outlet=None, byline=None,
               document_id=None, input_name=None, line=None) -> Article
      normalizes, computes id and Article.repeated (paragraphs repeating an earlier one).
  read_inputs(paths: Iterable[str], published: date | None = None, stdin=None)
      -> Iterator[Article | Failure]   lazily; never raises for a bad document.

Also: parse_published(value) -> date | None (lenient: ISO, RFC 822, ...), MAX_DOCUMENT_BYTES (size cap
of one document: a file, a JSONL line, stdin).
"""
from sitrep.ingest.article import (
           article_id,
           make_article,
           normalize_text,
           parse_published,
           repeated_paragraphs,
)
from sitrep.ingest.readers import MAX_DOCUMENT_BYTES, read_inputs

__all__ = ["MAX_DOCUMENT_BYTES", "article_id", "make_article", "normalize_text", "parse_published",
           "read_inputs", "repeated_paragraphs"]
