"""From consent to the person told: court lists, orders, sealing and notification."""
