"""critmin: cleaning, analysis and report building for the critical-minerals report."""
