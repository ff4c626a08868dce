from portal.scaffold import not_built_yet

coverage_gaps = not_built_yet()
coverage_gaps_csv = not_built_yet()
