"""Staff deadlines and their reminders: state, parsing, planning, the scheduler, wording, calendar."""
