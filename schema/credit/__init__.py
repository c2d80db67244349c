"""Credit supervision (全流程信用监管) as GraphQL: records, their history, the steps."""
