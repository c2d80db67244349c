"""Backlog cases (信访积案): the leader in charge, reviews, supervision, closing."""
