from portal.scaffold import not_built_yet

contract_page = not_built_yet()
