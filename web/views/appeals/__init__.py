"""Pages for appeals: the worklist, the appeal page, intake and exports."""
