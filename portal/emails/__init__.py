"""E-mails the portal sends, with texts the association's staff can edit in both languages.

Each app registers the e-mails it sends (`registry.register`, from its `AppConfig.ready`):
a key, what the e-mail is for, the placeholders its text may use (`{institution}`,
`{link}`, …) with a sentence and a sample value each, and its default file templates.
Staff edit the subject and body per language as an `EmailTemplate` snippet in the Wagtail
admin, previewed with the sample values; `rendering.render_email` uses the edited text
when there is one and the default file template otherwise. See docs/emails.md.
"""
