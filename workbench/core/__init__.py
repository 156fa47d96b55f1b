"""What every layer shares: errors, progress and cancellation, parameters, the registry."""
