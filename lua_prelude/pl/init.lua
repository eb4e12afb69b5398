-- pl: `require 'pl'` makes every Penlight module a lazily loaded global
-- (path, stringx, List, ...), loaded the first time a script names it.
local import_into = require 'pl.import_into'
return import_into(_G)
