from portal.scaffold import not_built_yet

neighbourhood_page = not_built_yet()
commune_page = not_built_yet()
epci_page = not_built_yet()
