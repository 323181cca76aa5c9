"""What the scheduler runs: the jobs and their lease, the minute scan (deadline flags and the
escalation ladder), return visits falling due and the daily jobs."""
