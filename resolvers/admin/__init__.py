"""Administration: staff accounts and who may administer which organisations."""
