"""Pieces the pages share: safe Markdown, receipts, answers, quotes."""
