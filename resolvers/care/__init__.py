"""Psychological care (社会心理服务): screenings, sessions, plans, crisis, early warning."""
