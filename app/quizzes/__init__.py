"""Quizzes: question types by registry (types.py); attempts and their pages come next."""
