"""Reports for the coordinators and the board: screening turnaround and the funnel (screening.py)."""
