"""Appeals (诉求): intake, reading within the slice, the worklist, numbers."""
