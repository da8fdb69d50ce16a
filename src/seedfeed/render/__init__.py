"""Render: entries -> the bytes of every public file (feeds and pages). Pure; writes nothing."""
