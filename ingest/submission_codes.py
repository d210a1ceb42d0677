"""Codes of the problems that reading and intake attach to an extraction, which rules of the catalogue report.

One place, so the reading side (ingest) and the rules (expectations) agree on them without importing each other's
modules.
"""

UNREAD_MONEY = "unread_money"  # ingest.audit: money-like numbers neither read nor dismissed
ORG_UNCONFIRMED = "org_unconfirmed"  # intake.submission: own name or year not confirmed by the document
TEMPLATE_CELL = "template_cell"  # ingest.template: a template cell that is not what its column asks for
TABLE_DOUBT = "table_doubt"  # ingest.tables: a reading of a table its own arithmetic did not confirm
OCR_LOW_CONFIDENCE = "ocr_low_confidence"  # ingest.scan_places: a figure read from a scan the recogniser was unsure of
