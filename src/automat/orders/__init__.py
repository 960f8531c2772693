"""Orders: order lines, the order state machine, dispatch of render jobs."""
