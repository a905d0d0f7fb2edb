# A package, so that e2e/conftest.py is imported as "e2e.conftest" and does not shadow
# the project's root conftest.py (imported as "conftest" by homeward's tests).
