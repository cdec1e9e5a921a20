"""Member performance benchmarking: how each member MFI compares with its peers.

Members report their raw figures for a semester (`pilots.models.FinancialReport`) through
the same flow as an MFI's pilot report: a draft kept on the server, submission, staff's
review (approve, or return with a comment), every change in the history. The portal
computes the ratios from the figures, one documented formula each, never typed by anyone
(`ratios`). Approved reports feed the peer groups and their quartiles, suppressed where a
group is too small to hide an institution (`peers`), which members read as "where you
stand" and everyone reads as the association's public bulletin.

- `ratios`: the ten ratios (PAR30, write-off ratio, OSS, …), their formulas and sources.
- `services`: every write of a report — saving a draft, submitting, approving, returning.
- `peers` (and `standing`): peer groups, quartiles, a member's position and trends.
- `views*`, `forms`, `urls`: the member's, staff's and the public bulletin's pages.

The whole design, with a worked example of each ratio, is in docs/benchmarking.md.
"""
