"""Extraction stages, in order: layout, marks, cues, attribution, speakers (see pipeline.py)."""
