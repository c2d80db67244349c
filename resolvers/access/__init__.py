"""Who is calling and what they may see or do: the slice as SQL, tokens, sign-in,
authority, the audit log."""
