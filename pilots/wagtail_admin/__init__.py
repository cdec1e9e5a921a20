"""The tracker in the Wagtail admin, one module per group of tables; `pilots.wagtail_hooks`
puts them in one menu. Every write goes through `pilots.services` (see `base`)."""
