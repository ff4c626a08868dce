from portal.scaffold import not_built_yet

scheme_page = not_built_yet()
structure_page = not_built_yet()
