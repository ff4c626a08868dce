from portal.scaffold import not_built_yet

point_lookup = not_built_yet()
