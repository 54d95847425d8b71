"""Reading YAML data into validated schemas, layer upon layer."""
