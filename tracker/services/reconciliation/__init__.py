"""Holding the insurer's per-person list against what officers reported.

The list is read twice: once to preview it (every row checked, nothing kept in memory but the
problems and the counts), then again by a job that writes it a thousand rows at a time
(`job`). Each chunk is written into insurer_records, updated in place by social insurance
number, and matched to enrollments (`matching`): by citizen ID, then social insurance number,
then name, date of birth and area, diacritic-blind. A matched row is confirmed or mismatched
field by field (`compare`); a supervisor resolves what is left (`resolve`), and the pages read
the outcome (`queries`). docs/design.md, "The insurer's books", has the rules.
"""
