"""Order line tasks: make sure the CAD file is ready, publish media, finish the order."""
