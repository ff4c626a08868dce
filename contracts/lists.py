from portal.scaffold import not_built_yet

contract_list = not_built_yet()
