"""The survey's pages in the Wagtail admin (rounds, questions); `surveys.wagtail_hooks` registers them."""
