"""Views of the appeals app: thin, one service call each, post/redirect/get."""
