"""Exercises: predict, then reveal."""
