"""The innovations as IATI 2.03 activities: what donors' systems read (docs/iati.md)."""
