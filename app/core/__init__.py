"""Shared ground for every feature: database base, time, errors, authorization, forms."""
