"""union-warehouse: command line, configuration and paths shared by every layer."""
