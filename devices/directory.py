from portal.scaffold import not_built_yet

directory = not_built_yet()
directory_csv = not_built_yet()
