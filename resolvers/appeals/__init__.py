"""Appeals (诉求): intake, reading within the slice, the worklist, numbers, and what each
caller is shown of them (petitioners, repeats)."""
