"""The districts' and the city's web portal (`uwh portal`): an interface on the same intake, verdict and registry
code as the command line and the pipeline."""
