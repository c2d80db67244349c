"""The directory: regions, organisations and enterprises."""
