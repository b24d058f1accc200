"""dateline.ingest"""
