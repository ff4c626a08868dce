from portal.scaffold import not_built_yet

partnerships = not_built_yet()
