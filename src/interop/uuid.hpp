#pragma once
// Deterministic RFC 4122 version-5 UUIDs (SHA-1 of a namespace and a name), so HSDS exports
// give every record the same id each time: uuid5(arrimage_namespace, "service:42").
#include <cstdint>
#include <string>
#include <string_view>

namespace arrimage::interop {

// The SHA-1 digest (20 bytes) of `data`.
std::string sha1(std::string_view data);
// `ns` is a UUID in canonical text form.
std::string uuid_v5(std::string_view ns, std::string_view name);
// Arrimage's fixed namespace; `kind` is "organization", "service", "location", ...
std::string hsds_id(std::string_view kind, std::int64_t id);
std::string hsds_id(std::string_view kind, std::string_view key);
bool valid_uuid(std::string_view s);

}  // namespace arrimage::interop
