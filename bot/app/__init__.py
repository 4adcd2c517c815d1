"""What every process shares, whatever its transport: settings, logging, start-up, housekeeping."""
