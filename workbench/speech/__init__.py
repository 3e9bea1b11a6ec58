"""Speech for the workbench, the tuning toolkit and the tests alike: one espeak-ng wrapper and one
phone line."""
