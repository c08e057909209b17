"""Reply-template sources (`*.yaml`): a package only so the YAML files ship inside the wheel."""
