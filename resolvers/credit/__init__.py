"""Credit supervision through the whole dispute (全流程信用监管)."""
