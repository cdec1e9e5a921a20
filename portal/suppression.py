"""Small-group suppression: which groups of a published table to hide so that no member's
answers or figures can be read off it.

One rule for the whole portal: the demand survey's breakdowns (`surveys.selectors.results`)
and the benchmarking peer groups (`pilots.benchmarking.peers`) both call `hidden_groups`.
"""

from collections.abc import Hashable, Iterable, Mapping

MIN_GROUP_SIZE = 3  # no published group describes fewer members than this


def hidden_groups[K: Hashable](
    counts: Mapping[K, int],
    *,
    total_shown: bool = True,
    already_hidden: Iterable[K] = (),
    minimum: int = MIN_GROUP_SIZE,
) -> set[K]:
    """The groups of one table to hide, given how many members each group counts.

    *Primary suppression*: a group of fewer than `minimum` (3) members is hidden.

    *Complementary suppression*: when the table's total is shown too (`total_shown`), the
    hidden groups together can be worked out by subtracting the shown groups from it. While
    the hidden groups together hold fewer than `minimum` members (but more than none), the
    smallest shown group is hidden as well (on equal counts, the first key in text order).
    Without a shown total nothing can be subtracted, so only primary suppression applies.

    `already_hidden`: groups hidden for another reason (the same group is hidden in another
    table that shares its total); they count as hidden here, and are returned again.

    Worked example (tests/portal/test_suppression.py and the survey's results): Ecuador 4,
    Guatemala 3, Peru 1, total 8 shown. Peru is hidden (1 < 3). The total minus Ecuador and
    Guatemala would give Peru's one member, so Guatemala, the smallest shown group, is hidden
    as well: subtraction now gives Guatemala and Peru together, 4 members, never one.
    With Ecuador 3 and Peru 1, both are hidden. With Ecuador 4, Peru 2 and Bolivia 2, Peru and
    Bolivia are hidden and nothing else: together they are 4.
    """
    hidden = {key for key in already_hidden if key in counts}
    hidden |= {key for key, count in counts.items() if count < minimum}
    if not total_shown:
        return hidden
    while 0 < sum(counts[key] for key in hidden) < minimum and len(hidden) < len(counts):
        shown = [key for key in counts if key not in hidden]
        hidden.add(min(shown, key=lambda key: (counts[key], str(key))))
    return hidden
