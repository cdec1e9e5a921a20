"""MFIs report their own pilot figures; staff approve them before they count (docs/reporting.md)."""
