"""Admin actions (issue 15): maintenance a tenant admin runs as a tracked background job."""
