#pragma once
#include <string>
#include <vector>

#include "store/db.hpp"

namespace arrimage::store {

struct Migration {
    int version;
    std::string name;
    std::string_view sql;
};

// The migrations shipped in the binary for a dialect, in version order.
std::vector<Migration> migrations_for(Dialect d);
int current_version(Database& db);  // the highest applied; 0 on an empty database
std::vector<Migration> pending_migrations(Database& db);
// Applies each pending migration in its own transaction. Returns the versions applied.
std::vector<int> migrate(Database& db);

}  // namespace arrimage::store
