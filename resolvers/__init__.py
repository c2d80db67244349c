"""The domain: workflow, deadlines and the working-day calendar, access policy, events.

Plain async functions over a session and the caller; imports neither strawberry
nor starlette.
"""
